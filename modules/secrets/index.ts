/**
 * Configuration a task reads through IAM (DA5, UP5, UP7, G7): Secrets Manager secrets whose values are set out
 * of band (never in Terraform), and SSM parameters for non-secret values known at plan time.
 */
export * from "./secret";
export * from "./parameter";
