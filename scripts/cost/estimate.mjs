// @ts-check
/**
 * Monthly on-demand cost of one synthesized stack (cdk.tf.json), from cost/prices.json and usage assumptions.
 * Pure: no file or network access. Fixed parts (instance hours, brokers, keys, ...) come from the resources'
 * settings; usage-based parts (GB stored, processed, requests) come from `assumptions`, named in each line.
 */

/** Usage the configuration cannot tell; each is settable (`npm run cost -- --set natGiB=50`). */
export const DEFAULT_ASSUMPTIONS = Object.freeze({
  /** GB processed per NAT gateway per month. */
  natGiB: 10,
  /** Average load balancer capacity units per ALB (1 LCU: 25 new connections/s, 3,000 active, 1 GB/h). */
  albLcu: 1,
  /** GB ingested per log group per month (stored for its retention, at most one month counted). */
  logGiBPerGroup: 0.5,
  /** GB per S3 bucket. */
  s3GiBPerBucket: 5,
  /** GB per ECR repository. */
  ecrGiBPerRepository: 1,
  /** Million requests per web ACL per month. */
  wafMillionRequests: 1,
  /** GB served by each CloudFront distribution per month. */
  cloudfrontGiB: 10,
  /** GB per EFS file system. */
  efsGiB: 5,
  /** GB per Aurora or DocumentDB cluster. */
  clusterStorageGiB: 10,
  /** Average ACUs per Aurora Serverless v2 instance, as a fraction between its minimum (0) and maximum (1). */
  auroraLoad: 0,
  /** GB through each interface endpoint per month. */
  endpointGiB: 1,
  /** GB in AWS Backup per backup plan. */
  backupGiB: 10,
  /** Million SQS requests per queue per month (the first million of the account are free; not subtracted). */
  sqsMillionRequests: 1,
});

/** @typedef {{ [K in keyof typeof DEFAULT_ASSUMPTIONS]: number }} Assumptions */
/** @typedef {{ resource: string, what: string, monthly: number, usage?: string }} Line */
/** @typedef {Record<string, any>} Json */

/**
 * The region a resource runs in: its provider alias's region, else the default provider's.
 * @param {Json} config
 * @param {Json} resource
 */
export function regionOf(config, resource) {
  const providers = /** @type {Json[]} */ ([].concat(config.provider?.aws ?? []));
  const alias = typeof resource.provider === "string" ? resource.provider.replace(/^aws\./, "") : undefined;
  const p = providers.find((x) => (alias ? x.alias === alias : !x.alias)) ?? providers[0];
  return String(p?.region ?? "eu-west-1");
}

/** `${aws_x.NAME.attr}` -> the referenced resource of that type, if any. */
function referenced(/** @type {Json} */ config, /** @type {string} */ type, /** @type {unknown} */ ref) {
  const m = new RegExp(`\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.`).exec(String(ref ?? ""));
  return m ? config.resource?.[type]?.[m[1]] : undefined;
}

/**
 * @param {Json} config synthesized cdk.tf.json
 * @param {Json} prices cost/prices.json
 * @param {Partial<Assumptions>} [assume]
 * @returns {{ region: string, lines: Line[], total: number, unpriced: string[] }}
 */
export function estimateStack(config, prices, assume = {}) {
  /** @type {Assumptions} */
  const a = { ...DEFAULT_ASSUMPTIONS, ...assume };
  const hours = Number(prices.hoursPerMonth ?? 730);
  /** @type {Line[]} */
  const lines = [];
  /** @type {string[]} */
  const unpriced = [];
  const resources = /** @type {Record<string, Record<string, Json>>} */ (config.resource ?? {});
  const fallback = Object.keys(prices.regions)[0];
  const table = (/** @type {string} */ address, /** @type {Json} */ r) => {
    const region = regionOf(config, r);
    if (prices.regions[region]) return prices.regions[region];
    unpriced.push(`${address}: ${region} has no price table, priced at ${fallback} rates`);
    return prices.regions[fallback];
  };
  const each = (/** @type {string} */ type) => Object.entries(resources[type] ?? {}).map(([name, r]) => ({ address: `${type}.${name}`, r, p: table(`${type}.${name}`, r) }));
  const add = (/** @type {string} */ resource, /** @type {string} */ what, /** @type {number} */ monthly, /** @type {string} */ usage = "") => lines.push({ resource, what, monthly: Math.round(monthly * 100) / 100, ...(usage ? { usage } : {}) });
  const rate = (/** @type {Json | undefined} */ table, /** @type {string} */ key, /** @type {string} */ address) => {
    const v = table?.[key];
    if (typeof v !== "number") unpriced.push(`${address}: no price for ${key}`);
    return typeof v === "number" ? v : 0;
  };
  const ebsMonthly = (/** @type {Json} */ p, /** @type {number} */ gib, /** @type {string} */ type) => gib * (type === "gp2" ? p.ebs.gp2PerGiBMonth : p.ebs.gp3PerGiBMonth);
  const ltVolumes = (/** @type {Json | undefined} */ lt) => [].concat(lt?.block_device_mappings ?? []).reduce((s, /** @type {Json} */ b) => s + Number(b.ebs?.volume_size ?? 0), 0);

  for (const { address, r, p } of each("aws_instance")) {
    const type = String(r.instance_type);
    add(address, `EC2 ${type}`, rate(p.ec2.perHour, type, address) * hours);
    /** @type {Json | undefined} */
    const root = /** @type {Json[]} */ ([]).concat(r.root_block_device ?? [])[0];
    if (root) add(address, `EBS root ${root.volume_size ?? 8} GiB ${root.volume_type ?? "gp3"}`, ebsMonthly(p, Number(root.volume_size ?? 8), root.volume_type));
  }
  for (const { address, r, p } of each("aws_ebs_volume")) add(address, `EBS ${r.size} GiB ${r.type ?? "gp3"}`, ebsMonthly(p, Number(r.size ?? 0), r.type));
  for (const { address, r, p } of each("aws_autoscaling_group")) {
    const lt = referenced(config, "aws_launch_template", r.launch_template?.id);
    const type = String(lt?.instance_type ?? "unknown");
    const n = Number(r.desired_capacity ?? r.min_size ?? 0);
    add(address, `EC2 ${n} x ${type} (desired of ${r.min_size}-${r.max_size})`, n * rate(p.ec2.perHour, type, address) * hours);
    const gib = ltVolumes(lt);
    if (gib) add(address, `EBS ${n} x ${gib} GiB`, n * ebsMonthly(p, gib, "gp3"));
  }
  for (const { address, r, p } of each("aws_eks_node_group")) {
    const type = String([].concat(r.instance_types ?? ["t3.medium"])[0]);
    const n = Number(r.scaling_config?.desired_size ?? 0);
    add(address, `EKS nodes ${n} x ${type} (desired of ${r.scaling_config?.min_size}-${r.scaling_config?.max_size})`, n * rate(p.ec2.perHour, type, address) * hours);
    const gib = ltVolumes(referenced(config, "aws_launch_template", r.launch_template?.id)) || Number(r.disk_size ?? 20);
    add(address, `EBS ${n} x ${gib} GiB`, n * ebsMonthly(p, gib, "gp3"));
  }
  for (const { address, p } of each("aws_eks_cluster")) add(address, "EKS control plane", p.eks.clusterPerHour * hours);
  for (const { address, r, p } of each("aws_ecs_service")) {
    const td = referenced(config, "aws_ecs_task_definition", r.task_definition);
    if (!td || ![].concat(td.requires_compatibilities ?? []).includes(/** @type {never} */ ("FARGATE"))) continue; // EC2 tasks: priced as instances
    const n = Number(r.desired_count ?? 0);
    const vcpu = Number(td.cpu) / 1024;
    const gib = Number(td.memory) / 1024;
    add(address, `Fargate ${n} x (${vcpu} vCPU, ${gib} GB)`, n * (vcpu * p.fargate.vcpuPerHour + gib * p.fargate.gibPerHour) * hours);
  }
  for (const { address, r, p } of each("aws_db_instance")) {
    const cls = String(r.instance_class);
    const azs = r.multi_az ? 2 : 1;
    add(address, `RDS ${cls}${azs === 2 ? " Multi-AZ" : ""}`, azs * rate(p.rds.perHour, cls, address) * hours);
    add(address, `RDS storage ${r.allocated_storage} GiB${azs === 2 ? " x 2" : ""}`, azs * Number(r.allocated_storage ?? 20) * p.rds.storagePerGiBMonth);
    if (r.manage_master_user_password) add(address, "Secrets Manager: RDS-managed master secret", p.secretsmanager.secretPerMonth);
  }
  for (const { address, r, p } of each("aws_rds_cluster")) {
    const s = r.serverlessv2_scaling_configuration ?? {};
    const instances = Object.values(resources.aws_rds_cluster_instance ?? {}).filter((i) => referenced(config, "aws_rds_cluster", i.cluster_identifier) === r).length || 1;
    const acu = Number(s.min_capacity ?? 0.5) + a.auroraLoad * (Number(s.max_capacity ?? 1) - Number(s.min_capacity ?? 0.5));
    add(address, `Aurora Serverless v2 ${instances} x ${acu} ACU`, instances * acu * p.aurora.perAcuHour * hours, `auroraLoad=${a.auroraLoad}`);
    add(address, `Aurora storage ${a.clusterStorageGiB} GiB`, a.clusterStorageGiB * p.aurora.storagePerGiBMonth, `clusterStorageGiB=${a.clusterStorageGiB}`);
    if (r.manage_master_user_password) add(address, "Secrets Manager: RDS-managed master secret", p.secretsmanager.secretPerMonth);
  }
  for (const { address, r, p } of each("aws_docdb_cluster_instance")) add(address, `DocumentDB ${r.instance_class}`, rate(p.docdb.perHour, String(r.instance_class), address) * hours);
  for (const { address, r, p } of each("aws_docdb_cluster")) {
    add(address, `DocumentDB storage ${a.clusterStorageGiB} GiB`, a.clusterStorageGiB * p.docdb.storagePerGiBMonth, `clusterStorageGiB=${a.clusterStorageGiB}`);
    if (r.manage_master_user_password) add(address, "Secrets Manager: managed master secret", p.secretsmanager.secretPerMonth);
  }
  for (const { address, r, p } of each("aws_elasticache_replication_group")) {
    const n = Number(r.num_cache_clusters ?? 1 + Number(r.replicas_per_node_group ?? 0)) * Number(r.num_node_groups ?? 1);
    add(address, `ElastiCache ${n} x ${r.node_type}`, n * rate(p.elasticache.perHour, String(r.node_type), address) * hours);
  }
  for (const { address, r, p } of each("aws_elasticache_cluster")) {
    if (r.replication_group_id) continue;
    const n = Number(r.num_cache_nodes ?? 1);
    add(address, `ElastiCache ${n} x ${r.node_type}`, n * rate(p.elasticache.perHour, String(r.node_type), address) * hours);
  }
  for (const { address, r, p } of each("aws_msk_cluster")) {
    const n = Number(r.number_of_broker_nodes ?? 0);
    const type = String(r.broker_node_group_info?.instance_type);
    const gib = Number(r.broker_node_group_info?.storage_info?.ebs_storage_info?.volume_size ?? 0);
    add(address, `MSK ${n} x ${type}`, n * rate(p.msk.perBrokerHour, type, address) * hours);
    add(address, `MSK storage ${n} x ${gib} GiB`, n * gib * p.msk.storagePerGiBMonth);
  }
  for (const { address, p } of each("aws_nat_gateway")) add(address, `NAT gateway + ${a.natGiB} GB processed`, p.vpc.natPerHour * hours + a.natGiB * p.vpc.natPerGiB, `natGiB=${a.natGiB}`);
  for (const { address, p } of each("aws_eip")) add(address, "public IPv4 address", p.vpc.publicIpv4PerHour * hours);
  for (const { address, r, p } of each("aws_lb")) {
    add(address, `ALB + ${a.albLcu} LCU`, (p.elb.albPerHour + a.albLcu * p.elb.lcuPerHour) * hours, `albLcu=${a.albLcu}`);
    if (!r.internal) add(address, `ALB public IPv4 x ${[].concat(r.subnets ?? []).length}`, [].concat(r.subnets ?? []).length * p.vpc.publicIpv4PerHour * hours);
  }
  for (const { address, r, p } of each("aws_vpc_endpoint")) {
    if (r.vpc_endpoint_type !== "Interface") continue;
    const azs = [].concat(r.subnet_ids ?? []).length || 1;
    add(address, `interface endpoint x ${azs} AZ`, azs * p.vpc.interfaceEndpointPerAzHour * hours + a.endpointGiB * p.vpc.interfaceEndpointPerGiB, `endpointGiB=${a.endpointGiB}`);
  }
  for (const { address, p } of each("aws_kms_key")) add(address, "KMS key", p.kms.keyPerMonth);
  for (const { address, r, p } of each("aws_wafv2_web_acl")) {
    const rules = [].concat(r.rule ?? []).length;
    add(address, `WAF web ACL + ${rules} rules + ${a.wafMillionRequests}M requests`, p.waf.webAclPerMonth + rules * p.waf.rulePerMonth + a.wafMillionRequests * p.waf.perMillionRequests, `wafMillionRequests=${a.wafMillionRequests}`);
  }
  for (const { address, p } of each("aws_shield_protection")) add(address, "Shield Advanced subscription (per account, shown once per protection)", p.shield.advancedPerMonth);
  for (const { address, p } of each("aws_cloudwatch_log_group")) add(address, `logs ${a.logGiBPerGroup} GB ingested`, a.logGiBPerGroup * (p.cloudwatch.logsIngestPerGiB + p.cloudwatch.logsStoragePerGiBMonth), `logGiBPerGroup=${a.logGiBPerGroup}`);
  for (const { address, r, p } of each("aws_cloudwatch_metric_alarm")) {
    const metrics = [].concat(r.metric_query ?? []).filter((/** @type {Json} */ q) => q.metric).length || 1;
    add(address, `alarm (${metrics} metric${metrics > 1 ? "s" : ""})`, metrics * p.cloudwatch.alarmMetricPerMonth);
  }
  for (const { address, p } of each("aws_secretsmanager_secret")) add(address, "secret", p.secretsmanager.secretPerMonth);
  for (const { address, p } of each("aws_s3_bucket")) add(address, `S3 ${a.s3GiBPerBucket} GB`, a.s3GiBPerBucket * p.s3.standardPerGiBMonth, `s3GiBPerBucket=${a.s3GiBPerBucket}`);
  for (const { address, p } of each("aws_ecr_repository")) add(address, `ECR ${a.ecrGiBPerRepository} GB`, a.ecrGiBPerRepository * p.ecr.storagePerGiBMonth, `ecrGiBPerRepository=${a.ecrGiBPerRepository}`);
  for (const { address, p } of each("aws_efs_file_system")) add(address, `EFS ${a.efsGiB} GB`, a.efsGiB * p.efs.standardPerGiBMonth, `efsGiB=${a.efsGiB}`);
  for (const { address, p } of each("aws_cloudfront_distribution")) add(address, `CloudFront ${a.cloudfrontGiB} GB out`, a.cloudfrontGiB * p.cloudfront.perGiB, `cloudfrontGiB=${a.cloudfrontGiB}`);
  for (const { address, p } of each("aws_sqs_queue")) add(address, `SQS ${a.sqsMillionRequests}M requests`, a.sqsMillionRequests * p.sqs.perMillionRequests, `sqsMillionRequests=${a.sqsMillionRequests}`);
  for (const { address, p } of each("aws_backup_plan")) add(address, `AWS Backup ${a.backupGiB} GB`, a.backupGiB * p.backup.perGiBMonth, `backupGiB=${a.backupGiB}`);

  const total = Math.round(lines.reduce((s, l) => s + l.monthly, 0) * 100) / 100;
  return { region: regionOf(config, {}), lines, total, unpriced };
}

/**
 * Totals per service family (the first word of each line), largest first.
 * @param {readonly Line[]} lines
 * @returns {[string, number][]}
 */
export function byService(lines) {
  /** @type {Map<string, number>} */
  const sums = new Map();
  for (const l of lines) {
    const key = l.what.split(" ")[0].replace(/:$/, "");
    sums.set(key, (sums.get(key) ?? 0) + l.monthly);
  }
  return [...sums.entries()].map(([k, v]) => /** @type {[string, number]} */ ([k, Math.round(v * 100) / 100])).sort((x, y) => y[1] - x[1]);
}
