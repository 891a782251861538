/**
 * Service options of issue 8: ECS Exec (its permissions, the cluster already logs the sessions), the CPU
 * architecture (runtime_platform), Fargate ephemeral storage and a Fargate / Fargate Spot capacity-provider strategy.
 */
import { Construct } from "constructs";
import { fail, inRange, oneOf, PolicyStatement, refuse } from "../core";
import type { IEcsCluster } from "../ecs-cluster";

export interface EcsCapacityStrategy {
  /** Tasks that always run on on-demand Fargate before the weights apply. @default 1 */
  readonly onDemandBase?: number;
  /** Relative share of on-demand Fargate beyond the base. @default 1 */
  readonly onDemandWeight?: number;
  /** Relative share of Fargate Spot beyond the base. @default 1 */
  readonly spotWeight?: number;
}

export interface ServiceOptions {
  readonly enableExecuteCommand?: boolean;
  readonly cpuArchitecture?: "X86_64" | "ARM64";
  readonly ephemeralStorageGiB?: number;
  readonly capacityProviderStrategy?: EcsCapacityStrategy;
}

export interface CheckedOptions {
  readonly exec: boolean;
  readonly runtimePlatform?: { operatingSystemFamily: "LINUX"; cpuArchitecture: "X86_64" | "ARM64" };
  readonly ephemeralStorage?: { sizeInGib: number };
  readonly strategy?: { capacityProvider: string; base: number; weight: number }[];
}

export function checkOptions(scope: Construct, cluster: IEcsCluster, o: ServiceOptions): CheckedOptions {
  const fargate = cluster.launchType === "FARGATE";
  const exec = o.enableExecuteCommand ?? false;
  if (typeof exec !== "boolean") fail(scope, "enableExecuteCommand", exec, "expected true or false");
  refuse(scope, "enableExecuteCommand", exec, exec && cluster.execLogGroupName === undefined, "the cluster does not log ECS Exec sessions; use an EcsCluster from the ecs-cluster module (it sets execute_command_configuration)");
  let runtimePlatform: CheckedOptions["runtimePlatform"];
  if (o.cpuArchitecture !== undefined) {
    runtimePlatform = { operatingSystemFamily: "LINUX", cpuArchitecture: oneOf(scope, "cpuArchitecture", o.cpuArchitecture, ["X86_64", "ARM64"]) };
  }
  let ephemeralStorage: CheckedOptions["ephemeralStorage"];
  if (o.ephemeralStorageGiB !== undefined) {
    refuse(scope, "ephemeralStorageGiB", o.ephemeralStorageGiB, !fargate, "ephemeral storage is a Fargate setting; on EC2 tasks use the instance's disk");
    ephemeralStorage = { sizeInGib: inRange(scope, "ephemeralStorageGiB", o.ephemeralStorageGiB, 21, 200) };
  }
  let strategy: CheckedOptions["strategy"];
  const s = o.capacityProviderStrategy;
  if (s !== undefined) {
    refuse(scope, "capacityProviderStrategy", s, !fargate, "a Fargate / Fargate Spot strategy needs a Fargate cluster; EC2 clusters use their own capacity provider");
    refuse(scope, "capacityProviderStrategy", s, !cluster.fargateSpotAvailable, "the cluster has no FARGATE_SPOT capacity provider; create it with capacity { kind: \"fargate\", spotAvailable: true }");
    const base = inRange(scope, "capacityProviderStrategy.onDemandBase", s.onDemandBase ?? 1, 0, 100000);
    const onDemand = inRange(scope, "capacityProviderStrategy.onDemandWeight", s.onDemandWeight ?? 1, 0, 1000);
    const spot = inRange(scope, "capacityProviderStrategy.spotWeight", s.spotWeight ?? 1, 0, 1000);
    if (onDemand + spot === 0) fail(scope, "capacityProviderStrategy", s, "expected a weight above 0 on at least one provider");
    strategy = [
      { capacityProvider: "FARGATE", base, weight: onDemand },
      { capacityProvider: "FARGATE_SPOT", base: 0, weight: spot },
    ];
  }
  return { exec, runtimePlatform, ephemeralStorage, strategy };
}

/** What the task role needs for ECS Exec: the SSM channels, and writing the session log the cluster configured. */
export function execStatements(cluster: IEcsCluster, where: { partition: string; region: string; account: string }): PolicyStatement[] {
  const logGroup = `arn:${where.partition}:logs:${where.region}:${where.account}:log-group:${cluster.execLogGroupName}`;
  return [
    {
      sid: "EcsExecChannels",
      // The SSM Session Manager channels have no resource-level permissions.
      actions: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
      resources: ["*"],
    },
    { sid: "EcsExecLogGroups", actions: ["logs:DescribeLogGroups"], resources: ["*"] },
    { sid: "EcsExecSessionLogs", actions: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], resources: [`${logGroup}:*`] },
    ...(cluster.execKmsKeyArn ? [{ sid: "EcsExecKey", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [cluster.execKmsKeyArn] }] : []),
  ];
}
