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
}

export const stateBackend: BackendSettings = {
  bucket: "platform-terraform-state-eu-west-1",
  lockTable: "platform-terraform-locks",
  region: "eu-west-1",
  useLockfile: false,
};

export const bootstrap: BootstrapSettings = {
  project: "platform",
  region: "eu-west-1",
  backend: stateBackend,
  noncurrentStateVersionDays: 90,
  githubOidcProvider: true,
};
