/**
 * An ECS cluster on Fargate (optionally Fargate Spot) or on its own EC2 Auto Scaling group behind a capacity
 * provider with managed scaling (AP2), with Container Insights switchable, ECS Exec session logging to an
 * encrypted log group, and an optional Cloud Map private DNS namespace for service discovery (AP7).
 */
import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsCluster as EcsClusterResource } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { ServiceDiscoveryPrivateDnsNamespace } from "@cdktf/provider-aws/lib/service-discovery-private-dns-namespace";
import { arn, fail, IGrantee, INetwork, logRetentionDays, matches } from "../core";
import { createEc2Capacity, Ec2Capacity, Ec2CapacityProps } from "./ec2-capacity";

/** What a service needs to know about the cluster it runs in. `EcsCluster` implements it. */
export interface IEcsCluster {
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly launchType: "EC2" | "FARGATE";
  /**
   * Capacity provider services use instead of a launch type: the cluster's EC2 provider, or FARGATE_SPOT on a
   * Fargate Spot cluster. Unset: services use `launchType`.
   */
  readonly capacityProviderName?: string;
  /** Cloud Map private DNS namespace for service discovery, when the cluster has one. */
  readonly namespace?: { readonly id: string; readonly name: string; readonly arn: string };
  /** Log group of ECS Exec sessions (execute_command_configuration); services with ECS Exec write to it. */
  readonly execLogGroupName?: string;
  /** KMS key of ECS Exec sessions, when the cluster has one. */
  readonly execKmsKeyArn?: string;
  /** FARGATE_SPOT is attached beside FARGATE: services may mix them in a capacity-provider strategy. */
  readonly fargateSpotAvailable?: boolean;
  /** The capacity-provider association: services naming a provider are created after it. */
  readonly capacityProviders?: ITerraformDependable;
}

export type EcsCapacity =
  | {
      readonly kind: "fargate";
      /** Run every task on Fargate Spot (up to 70 % cheaper, interruptible with two minutes' notice). @default false */
      readonly spot?: boolean;
      /**
       * Attach FARGATE_SPOT beside FARGATE while the default stays on-demand, so services can mix both with
       * capacityProviderStrategy (an on-demand base, then weights). @default false (true with spot)
       */
      readonly spotAvailable?: boolean;
    }
  | ({ readonly kind: "ec2" } & Ec2CapacityProps);

export interface EcsClusterProps {
  /** Cluster name, e.g. "alerting-platform-dev". */
  readonly name: string;
  readonly network: INetwork;
  /** CloudWatch Container Insights (paid per metric). @default false */
  readonly containerInsights?: boolean;
  /** Where tasks run. @default { kind: "fargate" } */
  readonly capacity?: EcsCapacity;
  /** Cloud Map private DNS namespace created with the cluster, e.g. "alerting-platform-dev.internal". @default none */
  readonly privateNamespace?: string;
  /**
   * Customer KMS key for ECS Exec sessions, their log group and task storage (Fargate ephemeral storage).
   * Its key policy must allow CloudWatch Logs and Fargate to use it. @default AWS-managed keys
   */
  readonly kmsKeyArn?: string;
  /** Retention of the cluster's own log group (ECS Exec sessions), in days. @default 30 */
  readonly logRetentionDays?: number;
}

export class EcsCluster extends Construct implements IEcsCluster {
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly launchType: "EC2" | "FARGATE";
  readonly capacityProviderName?: string;
  readonly namespace?: { readonly id: string; readonly name: string; readonly arn: string };
  /** Log group of ECS Exec sessions. */
  readonly execLogGroupName: string;
  readonly execKmsKeyArn?: string;
  readonly fargateSpotAvailable: boolean;
  readonly capacityProviders: ITerraformDependable;
  /** Security group of the EC2 container instances (EC2 capacity only); tasks have their own groups. */
  readonly instanceSecurityGroupId?: string;
  /** Role of the EC2 container instances (EC2 capacity only). */
  readonly instanceRoleArn?: string;
  /** The container instances' role, on EC2 capacity (a grantee; tasks use their own roles). */
  readonly instanceRole?: IGrantee;
  /** Auto Scaling group of the EC2 container instances (EC2 capacity only). */
  readonly autoScalingGroupName?: string;
  readonly resource: EcsClusterResource;

  constructor(scope: Construct, id: string, props: EcsClusterProps) {
    super(scope, id);
    const name = matches(this, "name", props.name, /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/, "1-255 letters, digits, hyphens and underscores, starting with a letter or digit");
    const retention = logRetentionDays(this, "logRetentionDays", props.logRetentionDays ?? 30);
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    if (props.privateNamespace !== undefined) checkDnsName(this, "privateNamespace", props.privateNamespace);
    const capacity: EcsCapacity = props.capacity ?? { kind: "fargate" };
    this.launchType = capacity.kind === "ec2" ? "EC2" : "FARGATE";

    const execLogs = new CloudwatchLogGroup(this, "ExecLogGroup", {
      name: `/ecs/${name}/exec`,
      retentionInDays: retention,
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
    });
    this.execLogGroupName = execLogs.name;
    this.execKmsKeyArn = props.kmsKeyArn;

    this.resource = new EcsClusterResource(this, "Cluster", {
      name,
      // Explicit either way, so the plan never depends on the account-level default.
      setting: [{ name: "containerInsights", value: props.containerInsights ? "enabled" : "disabled" }],
      configuration: {
        executeCommandConfiguration: {
          ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
          logging: "OVERRIDE",
          logConfiguration: {
            cloudWatchLogGroupName: execLogs.name,
            // Sessions refuse to start when this is true and the log group has no KMS key.
            cloudWatchEncryptionEnabled: props.kmsKeyArn !== undefined,
          },
        },
        ...(props.kmsKeyArn ? { managedStorageConfiguration: { fargateEphemeralStorageKmsKeyId: props.kmsKeyArn, kmsKeyId: props.kmsKeyArn } } : {}),
      },
    });
    this.clusterArn = this.resource.arn;
    this.clusterName = this.resource.name;

    let ec2: Ec2Capacity | undefined;
    let providers: string[];
    let defaultProvider: string | undefined;
    if (capacity.kind === "ec2") {
      ec2 = createEc2Capacity(this, { ...capacity, clusterName: name, network: props.network, cluster: this.resource });
      providers = [ec2.capacityProviderName];
      defaultProvider = ec2.capacityProviderName;
      this.instanceSecurityGroupId = ec2.securityGroupId;
      this.instanceRoleArn = ec2.roleArn;
      this.instanceRole = ec2.role;
      this.autoScalingGroupName = ec2.autoScalingGroupName;
    } else {
      if (capacity.spotAvailable !== undefined && typeof capacity.spotAvailable !== "boolean") fail(this, "capacity.spotAvailable", capacity.spotAvailable, "expected true or false");
      providers = capacity.spot || capacity.spotAvailable ? ["FARGATE", "FARGATE_SPOT"] : ["FARGATE"];
      defaultProvider = capacity.spot ? "FARGATE_SPOT" : "FARGATE";
    }
    const association = new EcsClusterCapacityProviders(this, "CapacityProviders", {
      clusterName: this.resource.name,
      capacityProviders: providers,
      defaultCapacityProviderStrategy: [{ capacityProvider: defaultProvider, base: 0, weight: 1 }],
    });
    this.capacityProviders = association;
    this.fargateSpotAvailable = providers.includes("FARGATE_SPOT");
    if (ec2 || (capacity.kind === "fargate" && capacity.spot)) {
      // Read back through the association, so a service naming the provider is created after the provider is
      // attached (ECS refuses a strategy with a provider the cluster does not have) and destroyed before it is detached.
      this.capacityProviderName = association.defaultCapacityProviderStrategy.get(0).capacityProvider;
    }

    if (props.privateNamespace !== undefined) {
      const ns = new ServiceDiscoveryPrivateDnsNamespace(this, "Namespace", {
        name: props.privateNamespace,
        description: `Service discovery for ${name}`,
        vpc: props.network.vpcId,
      });
      this.namespace = { id: ns.id, name: ns.name, arn: ns.arn };
    }
  }
}

/** A lowercase DNS name of one or more labels, e.g. "alerting-platform-dev.internal". */
function checkDnsName(scope: Construct, setting: string, value: string): string {
  const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
  const labels = typeof value === "string" ? value.split(".") : [];
  if (labels.length === 0 || value.length > 253 || !labels.every((l) => label.test(l)) || /^[0-9]+$/.test(labels[labels.length - 1])) {
    fail(scope, setting, value, "expected a lowercase DNS name such as \"alerting-platform-dev.internal\": dot-separated labels of 1-63 letters, digits and hyphens (not starting or ending with a hyphen), at most 253 characters");
  }
  return value;
}
