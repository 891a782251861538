/**
 * What grant methods share: the statements a customer-managed key needs alongside a grant on the resource it
 * encrypts. A grant on an encrypted resource also grants its key (aws-cdk's rule); resources on AWS-managed keys
 * need nothing extra.
 */
import type { IGrantee, PolicyStatement } from "./iam";

/** Key use for reading (decrypt) or for reading and writing (generate data keys too). */
export type KeyUse = "decrypt" | "encryptDecrypt";

const KEY_ACTIONS: Readonly<Record<KeyUse, readonly string[]>> = {
  decrypt: ["kms:Decrypt"],
  encryptDecrypt: ["kms:GenerateDataKey", "kms:Decrypt"],
};

/** The statement for using `keyArn` as `use`, or none without a customer key. */
export function keyStatements(keyArn: string | undefined, use: KeyUse, sid?: string): PolicyStatement[] {
  if (!keyArn) return [];
  return [{ ...(sid ? { sid } : {}), actions: [...KEY_ACTIONS[use]], resources: [keyArn] }];
}

/** Adds the statements to the grantee; returns them (for a caller that also documents or tests them). */
export function grant(grantee: IGrantee, statements: readonly PolicyStatement[]): PolicyStatement[] {
  grantee.addToPolicy(...statements);
  return [...statements];
}
