/**
 * Account-level settings: the state bucket and lock table the bootstrap stack creates and every other stack's
 * S3 backend uses, and the GitHub OIDC identity provider the deploy roles trust (G10).
 */
import type { BackendSettings } from "../.terraform-backend";

export interface BootstrapSettings {
  readonly project: string;
  readonly region: string;
  readonly accountId?: string;
  readonly backend: BackendSettings;
  /** Days a superseded state version is kept before it expires. */
  readonly noncurrentStateVersionDays: number;
  /** Create the account's GitHub Actions OIDC provider (one per account). */
  readonly githubOidcProvider: boolean;
  /**
   * The Terraform roles GitHub Actions of this repository assume through OIDC (.github/workflows): the deployer
   * (apply) for jobs of the listed GitHub environments only, and a read-only planner for pull-request plans.
   */
  readonly pipeline: {
    /** This infrastructure repository, "owner/name" (the owner is a placeholder until set, see README). */
    readonly repository: string;
    /** GitHub environments whose jobs may apply with the deployer role. */
    readonly environments: readonly string[];
  };
}

export const stateBackend: BackendSettings = {
  bucket: "platform-terraform-state-eu-west-1",
  lockTable: "platform-terraform-locks",
  region: "eu-west-1",
  // Terraform's S3 lock file beside the DynamoDB table (README "State locking": how to move off the table).
  useLockfile: true,
};

export const bootstrap: BootstrapSettings = {
  project: "platform",
  region: "eu-west-1",
  backend: stateBackend,
  noncurrentStateVersionDays: 90,
  githubOidcProvider: true,
  pipeline: { repository: "example-org/aws-platform-cdktf", environments: ["dev", "staging", "prod"] },
};
