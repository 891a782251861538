/**
 * What moto 5.2.1 (with hashicorp/aws 5.100.0) cannot do on its own, by Terraform resource TYPE, and who serves it.
 * This list mirrors the two tables of docs/emulator.md; __tests__/emulator/gaps.test.ts fails when they differ.
 *
 * - servedBy "project extension": emulator/extensions/ adds or fixes the API call (with a boto3 test of its own in
 *   emulator/tests/), so the type is applied (or read back) like any other; the row stays to say why the extension exists.
 * - servedBy "moto": nothing serves it yet.
 *   - "not created": the tier leaves every resource of the type, and everything that references one, out of
 *     `terraform apply` (-target) and prints them per stack.
 *   - "perpetual diff": created, but read back differently, so every plan shows a change; the re-plan check
 *     tolerates changes to these types only.
 * Every entry was observed on this repository's toolchain; add a row here and in the docs when a new one shows up.
 */
export type GapEffect = "not created" | "perpetual diff";
export type ServedBy = "moto" | "project extension";

export interface EmulatorGap {
  /** Terraform resource type, e.g. "aws_msk_cluster". */
  readonly type: string;
  /** The API call moto lacks or gets wrong (for perpetual diffs: what it returns differently). */
  readonly missing: string;
  readonly effect: GapEffect;
  /** Who serves the call: still moto alone (the gap is open), or the project's extension (closed). */
  readonly servedBy: ServedBy;
}

const X = "project extension" as const;

export const EMULATOR_GAPS: readonly EmulatorGap[] = [
  { type: "aws_elasticache_replication_group", missing: "DescribeCacheClusters for the member clusters (moto creates the group without them)", effect: "not created", servedBy: X },
  { type: "aws_elasticache_parameter_group", missing: "CreateCacheParameterGroup (not implemented; the provider retries for 20 minutes)", effect: "not created", servedBy: X },
  { type: "aws_elasticache_user_group", missing: "CreateUserGroup (not implemented; the provider retries for 20 minutes)", effect: "not created", servedBy: X },
  { type: "aws_elasticache_subnet_group", missing: "DeleteCacheSubnetGroup (not implemented: it is created, but destroy retries for 20 minutes)", effect: "not created", servedBy: X },
  { type: "aws_efs_file_system_policy", missing: "DeleteFileSystemPolicy (not implemented: it is created, but destroy retries for 20 minutes)", effect: "not created", servedBy: X },
  { type: "aws_efs_backup_policy", missing: "PutBackupPolicy (not implemented)", effect: "not created", servedBy: X },
  { type: "aws_msk_cluster", missing: "GetBootstrapBrokers (not implemented), and clusters stay CREATING (the create waiter never ends)", effect: "not created", servedBy: X },
  { type: "aws_msk_configuration", missing: "CreateConfiguration (not implemented)", effect: "not created", servedBy: X },
  { type: "aws_docdb_cluster", missing: "CreateDBCluster with Engine=docdb (moto's RDS backend refuses the engine)", effect: "not created", servedBy: X },
  { type: "aws_appautoscaling_target", missing: "ListTagsForResource (not implemented; the provider retries for 20 minutes)", effect: "not created", servedBy: X },
  { type: "aws_appautoscaling_policy", missing: "ListTagsForResource on its scalable target", effect: "not created", servedBy: X },
  { type: "aws_backup_selection", missing: "CreateBackupSelection (not implemented; the provider retries)", effect: "not created", servedBy: X },
  { type: "aws_cloudfront_response_headers_policy", missing: "CreateResponseHeadersPolicy (not implemented)", effect: "not created", servedBy: X },
  { type: "aws_eks_access_entry", missing: "CreateAccessEntry (no such route: 404)", effect: "not created", servedBy: X },
  { type: "aws_eks_addon", missing: "CreateAddon (no such route: 404)", effect: "not created", servedBy: X },
  { type: "aws_eks_pod_identity_association", missing: "CreatePodIdentityAssociation (no such route: 404)", effect: "not created", servedBy: X },
  { type: "aws_sqs_queue_redrive_allow_policy", missing: "GetQueueAttributes never returns RedriveAllowPolicy (moto drops it; the create waiter never ends)", effect: "not created", servedBy: X },
  { type: "aws_sqs_queue_redrive_policy", missing: "SetQueueAttributes without Policy clears the queue's Policy (moto), so it would erase the queue's aws_sqs_queue_policy", effect: "not created", servedBy: X },
  { type: "aws_secretsmanager_secret_rotation", missing: "CancelRotateSecret (moto demands a rotation Lambda, which RDS-managed secrets do not have, so destroy fails)", effect: "not created", servedBy: X },
  { type: "aws_instance", missing: "MonitorInstances (not implemented; instances with detailed monitoring never finish creating)", effect: "not created", servedBy: X },
  { type: "aws_xray_sampling_rule", missing: "CreateSamplingRule (not implemented)", effect: "not created", servedBy: X },
  { type: "aws_codedeploy_app", missing: "GetApplication (createTime comes back as a string; the SDK cannot read it)", effect: "not created", servedBy: X },
  { type: "aws_shield_protection", missing: "a valid CloudFront distribution ARN (moto's has no region field, so resource_arn is refused)", effect: "not created", servedBy: X },
  { type: "aws_db_instance", missing: "DescribeDBInstances by dbi-resource-id (moto gives every DB instance the same DbiResourceId)", effect: "not created", servedBy: X },
  { type: "aws_ecs_service", missing: "DescribeServices omits availabilityZoneRebalancing", effect: "perpetual diff", servedBy: X },
  { type: "aws_sqs_queue", missing: "GetQueueAttributes returns RedrivePolicy re-serialized (spaces), a diff on queues with a dead-letter queue", effect: "perpetual diff", servedBy: X },
  { type: "aws_db_parameter_group", missing: "DescribeDBParameters omits the parameters that were set", effect: "perpetual diff", servedBy: X },
  { type: "aws_rds_cluster", missing: "DescribeDBClusters returns an empty ScalingConfigurationInfo for provisioned/Serverless v2 clusters", effect: "perpetual diff", servedBy: X },
  { type: "aws_cloudfront_distribution", missing: "GetDistribution drops origin_access_control_id and echoes forwarded_values beside a cache policy", effect: "perpetual diff", servedBy: X },
  { type: "aws_eks_cluster", missing: "DescribeCluster omits accessConfig (forces replacement)", effect: "perpetual diff", servedBy: X },
  { type: "aws_eks_node_group", missing: "DescribeNodegroup returns an empty remoteAccess block (forces replacement)", effect: "perpetual diff", servedBy: X },
  { type: "aws_kms_key", missing: "GetKeyRotationStatus omits RotationPeriodInDays (a diff on keys that set rotation_period_in_days)", effect: "perpetual diff", servedBy: X },
  { type: "aws_db_instance", missing: "DescribeDBInstances omits MonitoringInterval and MonitoringRoleArn (enhanced monitoring)", effect: "perpetual diff", servedBy: X },
  { type: "aws_launch_template", missing: "DescribeLaunchTemplateVersions adds a launch-template tag specification that was not asked for", effect: "perpetual diff", servedBy: X },
  { type: "aws_vpc_security_group_ingress_rule", missing: "DescribeSecurityGroupRules omits the Description of rules that reference a security group", effect: "perpetual diff", servedBy: X },
  { type: "aws_backup_plan", missing: "ListTags returns none of the tags set at create (default_tags)", effect: "perpetual diff", servedBy: X },
  { type: "aws_backup_vault", missing: "ListTags returns none of the tags set at create (default_tags)", effect: "perpetual diff", servedBy: X },
  { type: "aws_s3_bucket_replication_configuration", missing: "GetBucketReplication drops DeleteMarkerReplication and SourceSelectionCriteria", effect: "perpetual diff", servedBy: X },
  { type: "aws_s3_bucket_notification", missing: "GetBucketNotificationConfiguration omits EventBridgeConfiguration", effect: "perpetual diff", servedBy: X },
];

/** A type can be in both tables (e.g. aws_db_instance: served, and a perpetual diff). */
export function gapsFor(type: string): EmulatorGap[] {
  return EMULATOR_GAPS.filter((g) => g.type === type);
}

/** The open gap that keeps a type out of apply ("not created", served by moto alone), if any. */
export function notCreated(type: string): EmulatorGap | undefined {
  return EMULATOR_GAPS.find((g) => g.type === type && g.effect === "not created" && g.servedBy === "moto");
}

/** The open perpetual diff listed for a type, if any: the only changes a re-plan may show. */
export function perpetualDiff(type: string): EmulatorGap | undefined {
  return EMULATOR_GAPS.find((g) => g.type === type && g.effect === "perpetual diff" && g.servedBy === "moto");
}

/** State attributes that must never hold a literal value (G7). */
export const SECRET_ATTRIBUTES: readonly string[] = ["password", "master_password", "auth_token", "secret_string"];
