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
  /**
   * Issue 10 item 3: the account's audit trail and its log buckets. `accessLogsBucket` (SSE-S3: ALB access logs
   * cannot be written to SSE-KMS) receives S3 server access logs and ALB access logs of every stack that sets
   * `accessLogsBucket`; `dataEventBuckets` are the buckets (besides the state bucket) whose object reads and writes
   * the trail records. Stacks may not reference each other, so the names travel through here.
   */
  readonly audit: {
    readonly trailName: string;
    readonly trailBucket: string;
    readonly accessLogsBucket: string;
    readonly dataEventBuckets: readonly string[];
    /** Days trail files, log events and access logs are kept. */
    readonly retentionDays: number;
  };
  /**
   * Disaster-recovery copies in a second region (as terraform-aws-modules' remote-state-s3-backend replicates its
   * state bucket): the state bucket and the trail bucket replicate there under a key of that region, and
   * `accessLogsBucket` there (SSE-S3) receives the replicated access logs and is the log target of every replica
   * bucket in that region (environments name it in `replicaAccessLogs`). Unset: no second region.
   */
  readonly replica?: {
    readonly region: string;
    readonly accessLogsBucket: string;
    readonly stateBucket: string;
    readonly trailBucket: string;
  };
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

// ---- Issue 10 item 3: audit trail and access logs (bootstrap creates them; prod stacks write to the log bucket). ----
export const audit: BootstrapSettings["audit"] = {
  trailName: "platform-audit",
  trailBucket: "platform-cloudtrail-eu-west-1",
  accessLogsBucket: "platform-access-logs-eu-west-1",
  // The prod upload bucket (UP) and chat attachments (CA): `<system>-prod-<name>` as their stacks name them.
  dataEventBuckets: ["upload-pipeline-prod-uploads", "chat-app-prod-attachments"],
  retentionDays: 365,
};
// ---- end issue 10 item 3 ----

/** The prod estate's disaster-recovery region: bootstrap's copies, and every stack's replica buckets, log there. */
export const replica: NonNullable<BootstrapSettings["replica"]> = {
  region: "eu-central-1",
  accessLogsBucket: "platform-access-logs-eu-central-1",
  stateBucket: "platform-terraform-state-eu-central-1",
  trailBucket: "platform-cloudtrail-eu-central-1",
};

export const bootstrap: BootstrapSettings = {
  project: "platform",
  region: "eu-west-1",
  backend: stateBackend,
  noncurrentStateVersionDays: 90,
  githubOidcProvider: true,
  audit,
  replica,
  pipeline: { repository: "example-org/aws-platform-cdktf", environments: ["dev", "staging", "prod"] },
};
