/**
 * bootstrap: what every other stack's S3 backend needs (BS1-BS3), plus the account's GitHub OIDC provider (G10).
 * It keeps its own state in a local backend; README "Bootstrap" shows how to move that state into the bucket.
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import type { BootstrapSettings } from "../environments/bootstrap";
import type { EmulatorSettings } from "../.terraform-backend";
import { BaseStack } from "./system-stack";
import { S3Bucket } from "../modules/s3-bucket";
import { KmsKey } from "../modules/kms-key";
import { inRange } from "../modules/core";
import { terraformRoles } from "../modules/github-oidc/terraform-roles";
import { accessLogBucket } from "../modules/s3-bucket/access-logs";
import { AuditTrail } from "../modules/audit-trail";
import { bootstrapReplica } from "./bootstrap-replica";

export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";

export interface BootstrapStackProps {
  readonly settings: BootstrapSettings;
  readonly emulator?: EmulatorSettings;
}

export class BootstrapStack extends BaseStack {
  constructor(scope: Construct, props: BootstrapStackProps) {
    const s = props.settings;
    super(scope, "bootstrap", {
      project: s.project,
      system: "bootstrap",
      environment: "bootstrap",
      region: s.region,
      accountId: s.accountId,
      backend: { kind: "local" },
      emulator: props.emulator,
    });
    const noncurrentDays = inRange(this, "noncurrentStateVersionDays", s.noncurrentStateVersionDays, 1, 3650);

    // Used through S3 and DynamoDB by whoever runs Terraform; no service principal needs it directly.
    const key = new KmsKey(this, "StateKey", {
      name: `${s.project}-terraform-state`,
      description: "Encrypts Terraform state and locks",
      allowCloudWatchLogs: false,
      preventDestroy: true,
    });

    // The disaster-recovery region first (when set): the primary buckets replicate to it.
    const replica = bootstrapReplica(this, s, noncurrentDays);

    // Issue 10 item 3: the account's access-log bucket next; the state bucket logs to it.
    const logs = accessLogBucket(this, s.audit, replica ? { replicateTo: replica.accessLogs } : {});

    const bucket = new S3Bucket(this, "StateBucket", {
      bucketName: s.backend.bucket,
      accessLogsBucket: logs,
      versioned: true,
      kmsKeyArn: key.keyArn,
      lifecycleRules: [{ id: "expire-superseded-state", noncurrentExpirationDays: noncurrentDays }],
      ...(replica ? { replicateTo: { destinationBucketArn: replica.state.bucketArn, destinationKmsKeyArn: replica.key.keyArn } } : {}),
      preventDestroy: true,
    });

    const trail = new AuditTrail(this, "AuditTrail", {
      name: s.audit.trailName,
      bucketName: s.audit.trailBucket,
      accessLogsBucket: logs,
      dataEventBucketArns: [bucket.bucketArn, ...s.audit.dataEventBuckets.map((b) => `arn:aws:s3:::${b}`)],
      retentionDays: s.audit.retentionDays,
      ...(replica ? { replicateTo: { destinationBucketArn: replica.trail.bucketArn, destinationKmsKeyArn: replica.key.keyArn } } : {}),
    });

    const table = new DynamodbTable(this, "LockTable", {
      name: s.backend.lockTable,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: key.keyArn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });

    const oidc = s.githubOidcProvider
      ? new IamOpenidConnectProvider(this, "GithubOidc", {
        url: GITHUB_OIDC_URL,
        clientIdList: ["sts.amazonaws.com"],
        // AWS no longer checks thumbprints for this issuer; one is still required by the API.
        thumbprintList: ["6938fd4d98bab03faadb97b34396831e3780aea1"],
      })
      : undefined;

    const roles = terraformRoles(this, {
      project: s.project,
      pipeline: s.pipeline,
      oidcProviderArn: oidc?.arn,
      stateBucketArn: bucket.bucketArn,
      lockTableArn: table.arn,
      stateKeyArn: key.keyArn,
    });

    new TerraformOutput(this, "state_bucket", { value: bucket.bucketName });
    new TerraformOutput(this, "lock_table", { value: table.name });
    new TerraformOutput(this, "state_kms_key_arn", { value: key.keyArn });
    new TerraformOutput(this, "access_logs_bucket", { value: logs.bucketName });
    new TerraformOutput(this, "audit_trail_arn", { value: trail.trailArn });
    if (replica) new TerraformOutput(this, "replica_access_logs_bucket", { value: replica.accessLogs.bucketName, description: `Access-log bucket in ${replica.region}: replica buckets there log to it` });
    // Set as the AWS_DEPLOYER_ROLE_ARN / AWS_PLANNER_ROLE_ARN variables of the GitHub environments (README "Pipeline").
    new TerraformOutput(this, "deployer_role_arn", { value: roles.deployer.arn });
    new TerraformOutput(this, "planner_role_arn", { value: roles.planner.arn });
  }
}
