/**
 * What every stack shares: the AWS provider with default tags (G3) and a `~> 5.100` version constraint, the
 * backend (G2), and the naming context handed to modules. A system stack extends it and only builds its system.
 */
import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider, AwsProviderConfig, AwsProviderEndpoints } from "@cdktf/provider-aws/lib/provider";
import { BackendMode, EmulatorSettings, configureBackend } from "../.terraform-backend";
import { OutsideDestination, PortSpec, Protection, setWorkloadEgress, SystemContext, standardTags } from "../modules/core";
import { checkSystem, EksSizing, Environment, NatGateways, systemKey } from "../environments";
import { EksCluster } from "../modules/eks";
import { KmsKey } from "../modules/kms-key";
import { Vpc } from "../modules/vpc";
import { fail } from "../modules/core/errors";
import { undeclaredReferences } from "./references";
import { FastTerraformStack } from "./synth/fast-stack";

/** The provider constraint written to every stack: takes 5.x fixes without waiting for new bindings. */
export const AWS_PROVIDER_CONSTRAINT = "~> 5.100";

/** Services the emulator serves; only used when main.ts is given an emulator endpoint. */
const EMULATED_SERVICES = [
  "acm", "apigateway", "applicationautoscaling", "autoscaling", "backup", "cloudfront", "cloudtrail", "cloudwatch", "codedeploy", "cognitoidp",
  "docdb", "dynamodb", "ec2", "ecr", "ecs", "efs", "eks", "elasticache", "elbv2", "events", "iam", "kafka", "kms",
  "lambda", "logs", "rds", "s3", "secretsmanager", "servicediscovery", "shield", "sns", "sqs", "ssm", "sts", "wafv2", "xray",
] as const;

function emulatorEndpoints(endpoint: string): AwsProviderEndpoints {
  return Object.fromEntries(EMULATED_SERVICES.map((s) => [s, endpoint])) as AwsProviderEndpoints;
}

export interface StackSettings {
  readonly project: string;
  readonly system: string;
  readonly environment: string;
  readonly region: string;
  readonly accountId?: string;
  readonly backend: BackendMode;
  /** Points the provider at an AWS API emulator; never set for real deployments. */
  readonly emulator?: EmulatorSettings;
}

export class BaseStack extends FastTerraformStack {
  readonly context: SystemContext;
  /** The default AWS provider (the stack's region). */
  readonly provider: AwsProvider;
  private readonly settings: StackSettings;

  constructor(scope: Construct, id: string, settings: StackSettings) {
    super(scope, id);
    this.context = {
      prefix: settings.system === settings.environment ? settings.system : `${settings.system}-${settings.environment}`,
      system: settings.system,
      environment: settings.environment,
      region: settings.region,
    };
    this.settings = settings;
    const emulator = settings.emulator;
    this.provider = new AwsProvider(this, "aws", this.providerConfig(settings.region));
    this.addOverride("terraform.required_providers.aws.version", AWS_PROVIDER_CONSTRAINT);
    // With an emulator, the S3 backend follows the provider there even when a stack passed its backend settings alone.
    const backend: BackendMode =
      emulator && settings.backend.kind === "s3" && !settings.backend.emulator ? { ...settings.backend, emulator } : settings.backend;
    configureBackend(this, backend, settings.system, settings.environment);
  }

  /**
   * Another provider of the same account in `region`, for resources that must live there (a CloudFront certificate
   * in us-east-1, a disaster-recovery replica). It carries the default tags (G3), the account guard and, in emulator
   * runs, the emulator's endpoints, so nothing reaches past the emulator.
   */
  regionalProvider(alias: string, region: string, id = `aws-${alias.replace(/_/g, "-")}`): AwsProvider {
    return new AwsProvider(this, id, { alias, ...this.providerConfig(region) });
  }

  private providerConfig(region: string): AwsProviderConfig {
    const s = this.settings;
    return {
      region,
      ...(s.accountId ? { allowedAccountIds: [s.accountId] } : {}),
      defaultTags: [{ tags: standardTags({ project: s.project, system: s.system, environment: s.environment }) }],
      ...(s.emulator
        ? {
            accessKey: "emulator",
            secretKey: "emulator",
            s3UsePathStyle: true,
            skipCredentialsValidation: true,
            skipMetadataApiCheck: "true",
            skipRequestingAccountId: false,
            endpoints: [emulatorEndpoints(s.emulator.endpoint)],
          }
        : {}),
    };
  }

  /**
   * cdktf's prepare step resolves every element of the stack once only to discover references to other stacks (and
   * to add the remote-state plumbing they need); synthesis then resolves everything again. Stacks here never reference
   * each other (each system owns its state; what they share travels through settings), so the pass is skipped: about
   * a third of synth time (profile in the README's Performance section). `toTerraform` below refuses the one thing
   * the pass would have handled, a reference to another stack's resource, instead of writing a broken reference.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }

  override toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    const tf = super.toTerraform() as Record<string, Record<string, Record<string, unknown>> | undefined>;
    const foreign = undeclaredReferences(tf);
    if (foreign.length) {
      fail(this, "reference", foreign[0], "stacks here are independent: a resource may only reference resources of its own stack (pass values between systems through settings or SSM parameters)");
    }
    return tf;
  }
}

export interface SystemStackProps {
  readonly environment: Environment;
  /** Points providers and backend at an AWS API emulator; never set for real deployments. */
  readonly emulator?: EmulatorSettings;
}

/**
 * The base of every system stack: from the system name and the environment it gives the stack id
 * (`<system>-<env>`), the provider(s) with default tags, the S3 backend (`<system>/<env>/terraform.tfstate`), the
 * naming context and the environment's protection profile as one value modules accept. It also runs the system's
 * cross-setting checks (environments/system-checks.ts), so a stack refuses what main.ts would.
 */
export class SystemStack extends BaseStack {
  /** The environment this stack is built for. */
  readonly env: Environment;
  /** Deletion protection, final snapshots, backups, prevent_destroy, force-destroy: `protection: this.protection`. */
  readonly protection: Protection;
  /** `<system>-<env>`: the physical-name prefix of everything in the stack. */
  readonly prefix: string;

  constructor(scope: Construct, system: string, props: SystemStackProps) {
    const env = props.environment;
    checkSystem(systemKey(system), env);
    super(scope, `${system}-${env.name}`, {
      project: env.project,
      system,
      environment: env.name,
      region: env.region,
      accountId: env.accountId,
      backend: { kind: "s3", settings: env.backend, emulator: props.emulator },
      emulator: props.emulator,
    });
    this.env = env;
    this.protection = env.safety;
    this.prefix = this.context.prefix;
  }

  /** `{ accessLogsBucket }` when the environment names the account's log bucket (issue 10 item 3), else `{}`: spread into S3Bucket and Alb props. */
  get accessLogs(): { readonly accessLogsBucket?: string } {
    return this.env.accessLogsBucket ? { accessLogsBucket: this.env.accessLogsBucket } : {};
  }

  /**
   * `{ accessLogsBucket }` for a bucket in `region` when the environment names its disaster-recovery region's log
   * bucket there (`replicaAccessLogs`), else `{}`: spread into the props of a replica S3Bucket.
   */
  replicaAccessLogs(region: string): { readonly accessLogsBucket?: string } {
    const r = this.env.replicaAccessLogs;
    return r && r.region === region ? { accessLogsBucket: r.bucket } : {};
  }

  /**
   * The stack's disaster-recovery side in `region`, made on first use: a provider (alias "replica", default tags G3)
   * and a customer-managed key there (construct id "ReplicaKey", alias `<prefix>-replica`); `allowServices` as for
   * stackKey. One replica region per stack.
   */
  protected replicaSide(region: string, description: string, allowServices?: string[]): { readonly provider: AwsProvider; readonly key: KmsKey } {
    if (this.replica) {
      if (this.replica.region !== region) fail(this, "replicaRegion", region, `expected one replica region per stack (${this.replica.region} is already used)`);
      return this.replica;
    }
    const provider = this.regionalProvider("replica", region);
    const key = new KmsKey(this, "ReplicaKey", {
      name: `${this.prefix}-replica`, description: `${this.prefix}: ${description}`, protection: this.protection, provider,
      ...(allowServices ? { allowServices } : {}),
    });
    this.replica = { region, provider, key };
    return this.replica;
  }

  private replica?: { readonly region: string; readonly provider: AwsProvider; readonly key: KmsKey };

  /**
   * The stack's customer-managed key (G6), construct id "Key", alias `<prefix>`, protected as the environment says;
   * `allowServices` lists the service principals that encrypt with it through their integrations.
   */
  protected stackKey(description: string, allowServices?: string[]): KmsKey {
    return new KmsKey(this, "Key", { name: this.prefix, description: `${this.prefix}: ${description}`, ...(allowServices ? { allowServices } : {}), protection: this.protection });
  }

  /**
   * The system's VPC (G4), construct id "Network", from its settings, with flow logs encrypted with `key`, the
   * interface endpoints the settings list, and the stack's workload egress (issue 10 item 2): TCP `vpcPorts` inside
   * the VPC, HTTPS to the endpoints and the S3 prefix list, and the settings' outside destinations. Without
   * interface endpoints, AWS APIs are reached through NAT: HTTPS to anywhere.
   */
  protected systemNetwork(cfg: NetworkSettings, key: KmsKey, vpcPorts: readonly PortSpec[] = []): Vpc {
    const endpoints = cfg.egress?.interfaceEndpoints ?? [];
    const vpc = new Vpc(this, "Network", {
      name: this.prefix,
      cidr: cfg.vpcCidr,
      azCount: cfg.azCount,
      natGateways: cfg.natGateways,
      databaseSubnets: true,
      flowLogs: { retentionDays: cfg.logRetentionDays, kmsKeyArn: key.keyArn },
      ...(endpoints.length ? { interfaceEndpoints: endpoints } : {}),
    });
    new TerraformOutput(this, "route_table_ids", {
      value: { public: vpc.publicRouteTableIds, private: vpc.privateRouteTableIds, database: vpc.databaseRouteTableIds },
      description: "Route tables of the VPC by tier, for transit gateway or VPN routes",
    });
    new TerraformOutput(this, "database_subnet_ids", { value: vpc.databaseSubnetIds, description: "The isolated database tier (no default route)" });
    setWorkloadEgress(this, workloadEgressOf(vpc, cfg, vpcPorts));
    return vpc;
  }

  /**
   * The system's EKS cluster (UP3, chat-app on EKS), construct id "Cluster": one managed node group in the private
   * subnets as `sizing` says, control-plane logs and Kubernetes secrets encrypted with `key`, the five managed add-ons
   * pinned per Kubernetes version (issue 8), and the AWS Load Balancer Controller's role bound through `identity`
   * (IRSA or EKS Pod Identity): the controller creates the system's ALB from its Ingress.
   */
  systemCluster(sizing: EksSizing, network: Vpc, key: KmsKey, logRetentionDays: number, identity: "irsa" | "podIdentity"): EksCluster {
    return new EksCluster(this, "Cluster", {
      name: this.prefix,
      network,
      kubernetesVersion: sizing.kubernetesVersion,
      nodeGroups: [{ name: "default", instanceTypes: sizing.instanceTypes, minSize: sizing.minSize, desiredSize: sizing.desiredSize, maxSize: sizing.maxSize }],
      logRetentionDays,
      logKmsKeyArn: key.keyArn,
      secretsKmsKeyArn: key.keyArn,
      addons: { versions: sizing.addonVersions },
      loadBalancerController: { identity },
    });
  }
}

/** The TCP ports workloads reach inside the VPC, by what listens on them (the `vpcPorts` of systemNetwork). */
export const VPC_PORTS = { postgres: 5432, redis: 6379, redisBus: 16379, documentDb: 27017, kafka: 9092, mskIam: 9098, nfs: 2049 } as const;

/** HTTPS to anywhere: AWS APIs through NAT when the VPC has no interface endpoints. */
export const HTTPS_THROUGH_NAT: OutsideDestination = {
  cidr: "0.0.0.0/0",
  port: 443,
  description: "HTTPS to AWS APIs through NAT (no interface endpoints in this environment)",
};

function workloadEgressOf(vpc: Vpc, cfg: NetworkSettings, vpcPorts: readonly PortSpec[]) {
  const endpointsSecurityGroupId = vpc.interfaceEndpointsSecurityGroupId;
  const outside = cfg.egress?.outside ?? [];
  return endpointsSecurityGroupId
    ? { vpcCidr: vpc.vpcCidr, endpointsSecurityGroupId, s3PrefixListId: vpc.s3PrefixListId, vpcPorts, outside }
    : { vpcCidr: vpc.vpcCidr, vpcPorts, outside: [HTTPS_THROUGH_NAT, ...outside] };
}

/** What every system's settings say about its network. */
export interface NetworkSettings {
  readonly vpcCidr: string;
  readonly azCount: number;
  readonly natGateways: NatGateways;
  readonly logRetentionDays: number;
  /** Interface endpoints and outside destinations of workloads (issue 10 item 2). @default none: HTTPS through NAT */
  readonly egress?: { readonly interfaceEndpoints: readonly string[]; readonly outside: readonly OutsideDestination[] };
}
