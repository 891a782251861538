/**
 * One containerised workload on ECS (G9): its own log group, execution role and task role, a health-checked
 * container from its image, awsvpc networking in private subnets behind its own security group, rolling deploys
 * with circuit-breaker rollback (or CodeDeploy blue/green), optional target-tracking auto scaling (AP4), a
 * singleton mode that can never run two copies (AP5), an optional ALB target group and Cloud Map name, EFS volumes
 * mounted with TLS and IAM (TV6), and an X-Ray daemon sidecar when tracing is on.
 */
import { Construct } from "constructs";
import { Fn, ITerraformDependable } from "cdktf";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { EcsService as EcsServiceResource, EcsServiceConfig } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { ServiceDiscoveryService } from "@cdktf/provider-aws/lib/service-discovery-service";
import {
  arn, createRole, createSecurityGroup, dnsLabel, exactName, fail, fitName, IConnectable, IGrantee, INetwork,
  logRetentionDays, matches, nonEmpty, oneOf, PolicyStatement, port, refuse, Role, serviceTrustPolicy,
} from "../core";
import type { IEcsCluster } from "../ecs-cluster";
import { checkEnvironment, imagePullStatements, secretReadStatements } from "./permissions";
import { checkTaskSize } from "./sizes";
import { checkEfsVolumes, EcsServiceEfsVolume, efsMountStatements, efsTaskVolumes, TMP_VOLUME } from "./volumes";
import { containerDefinitions } from "./container";
import { addScaling, checkScaling, EcsServiceScaling } from "./scaling";
import { XRAY_CPU, XRAY_DAEMON_ADDRESS, XRAY_MEMORY_RESERVATION_MIB } from "./xray";
import { checkArgv, checkSidecars, checkUlimits, EcsSidecar, EcsUlimit } from "./sidecars";
import { checkOptions, EcsCapacityStrategy, execStatements } from "./options";
import { checkHealthCheck, checkStatements } from "./checks";

export type { EcsServiceEfsVolume } from "./volumes";
export type { CustomMetricScaling, EcsServiceScaling, RequestCountScaling, ScheduledScaling } from "./scaling";
export type { EcsSidecar, EcsUlimit } from "./sidecars";
export type { EcsCapacityStrategy } from "./options";


export interface EcsServiceHealthCheck {
  /** e.g. ["CMD-SHELL", "pgrep -f worker || exit 1"]. */
  readonly command: readonly string[];
  /** @default 30 */
  readonly intervalSeconds?: number;
  /** Grace period after start before failures count. @default 60 */
  readonly startPeriodSeconds?: number;
}

export interface EcsServiceProps {
  /** Service name and task family, e.g. "alerting-platform-dev-rule-service". */
  readonly name: string;
  readonly cluster: IEcsCluster;
  readonly network: INetwork;
  /** Image reference, e.g. `${repository.repositoryUrl}:latest`. */
  readonly image: string;
  /** Task CPU units; on Fargate a valid Fargate CPU/memory pair. */
  readonly cpu: number;
  readonly memoryMiB: number;
  /** Port the container listens on; none for workers. @default none */
  readonly containerPort?: number;
  /** Tasks at creation (with scaling: within minCount..maxCount). @default 1, or scaling.minCount */
  readonly desiredCount?: number;
  /** Target-tracking auto scaling on CPU and memory (or CPU only). @default none (fixed desiredCount) */
  readonly scaling?: EcsServiceScaling;
  /** Exactly one task, ever: desired = max = 1, no scaling, no overlap during deploys (AP5). @default false */
  readonly singleton?: boolean;
  /** Retention of the service's log group, a CloudWatch Logs value. */
  readonly logRetentionDays: number;
  /** @default `/ecs/${name}` */
  readonly logGroupName?: string;
  /** KMS key for the log group (its key policy must allow CloudWatch Logs). @default AWS-managed */
  readonly kmsKeyArn?: string;
  /** Plain environment variables; secret-looking names with literal values are refused. @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Injected by ECS: variable name -> ARN of an SSM parameter or Secrets Manager secret (optionally
   * "<secret-arn>:<json-key>::"). The execution role may read exactly these. @default none
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Customer KMS key the secrets are encrypted with; the execution role may decrypt with it. @default none */
  readonly secretsKmsKeyArn?: string;
  /** Container health check. @default with a port: curl of healthCheckPath on localhost; workers: none */
  readonly healthCheck?: EcsServiceHealthCheck;
  /** Path the default health check requests. @default "/health" */
  readonly healthCheckPath?: string;
  /** Register tasks with an ALB target group (from the alb module). Needs containerPort. @default none */
  readonly loadBalancer?: {
    readonly targetGroupArn: string;
    /** The listener or rule routing to the group (an AlbTarget carries it): the service is created after it. */
    readonly routing?: ITerraformDependable;
  };
  /** Register in the cluster's Cloud Map namespace under this name (A records). @default none */
  readonly serviceDiscoveryName?: string;
  /** Least-privilege statements for what the application itself calls. @default none */
  readonly taskPolicyStatements?: readonly PolicyStatement[];
  /**
   * X-Ray: an "xray-daemon" sidecar (32 CPU units taken from the app container, 64 MiB reserved, UDP 2000, logs
   * under the "xray" stream prefix), AWS_XRAY_DAEMON_ADDRESS=127.0.0.1:2000 for the app, and trace writing for the
   * task role. @default false
   */
  readonly xrayTracing?: boolean;
  /**
   * EFS file systems mounted in the app container, with TLS in transit and IAM authorization (through the access
   * point when given); the task role may mount exactly these (ClientMount, + ClientWrite unless readOnly). The file
   * system's security group must still allow NFS from the service: allowFrom(fileSystem, service, 2049). On Fargate
   * this needs platform version 1.4 or later (the module runs LATEST). @default none
   */
  readonly efsVolumes?: readonly EcsServiceEfsVolume[];
  /**
   * "ECS": rolling with circuit breaker and rollback. "CODE_DEPLOY": blue/green (needs loadBalancer; the
   * module then leaves task definition and load balancer to CodeDeploy). @default "ECS"
   */
  readonly deploymentController?: "ECS" | "CODE_DEPLOY";
  /** Sidecar containers: a FireLens log router (kind "logRouter"), agents. Their CPU comes out of the app's. @default [] */
  readonly sidecars?: readonly EcsSidecar[];
  /** The app container's command (replaces the image's CMD). @default the image's CMD */
  readonly command?: readonly string[];
  /** The app container's entry point (replaces the image's ENTRYPOINT). @default the image's ENTRYPOINT */
  readonly entryPoint?: readonly string[];
  /** Resource limits of the app container, e.g. `[{ name: "nofile", softLimit: 65536, hardLimit: 65536 }]`. @default the platform's */
  readonly ulimits?: readonly EcsUlimit[];
  /**
   * ECS Exec (`aws ecs execute-command`): the task role gets the SSM channels and the cluster's session log group;
   * the app container's root filesystem is then writable (the exec agent writes into it). @default false
   */
  readonly enableExecuteCommand?: boolean;
  /** CPU architecture of the task (runtime_platform, Linux); "ARM64" runs on Graviton. @default the platform's (X86_64), runtime_platform not set */
  readonly cpuArchitecture?: "X86_64" | "ARM64";
  /** Fargate ephemeral storage, 21-200 GiB. @default Fargate's 20 GiB */
  readonly ephemeralStorageGiB?: number;
  /**
   * Mix on-demand Fargate and Fargate Spot: `onDemandBase` tasks on demand, the rest by weight. The cluster needs
   * FARGATE_SPOT attached (capacity { kind: "fargate", spotAvailable: true }). @default the cluster's default provider
   */
  readonly capacityProviderStrategy?: EcsCapacityStrategy;
}

const CONTAINER_NAME = "app";

/**
 * A service is a grantee: `bucket.grantRead(service)` adds to its task role (what the application calls); the
 * execution role (image pull, logs, the `secrets`) is `executionRole`.
 */
export class EcsService extends Construct implements IConnectable, IGrantee {
  readonly serviceName: string;
  readonly serviceArn: string;
  readonly securityGroupId: string;
  readonly taskRoleArn: string;
  readonly taskRoleName: string;
  readonly executionRoleArn: string;
  /** The application's role; grants on the service land here. */
  readonly taskRole: Role;
  /** The ECS agent's role: image pull, logs, the task's `secrets`. */
  readonly executionRole: Role;
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly taskDefinitionArn: string;
  readonly containerName: string = CONTAINER_NAME;
  readonly containerPort?: number;
  /** Number of tasks at creation. */
  readonly desiredCount: number;
  /** The Application Auto Scaling target (its resourceId is `service/<cluster>/<service>`), when scaling is on. */
  readonly scalingTarget?: AppautoscalingTarget;
  readonly resource: EcsServiceResource;

  constructor(scope: Construct, id: string, props: EcsServiceProps) {
    super(scope, id);
    // ---- validation first: every refusal happens before any resource exists
    matches(this, "name", props.name, /^[A-Za-z0-9][A-Za-z0-9_-]*$/, "letters, digits, hyphens and underscores, starting with a letter or digit");
    const name = exactName(this, "name", props.name, "", "ecsServiceName");
    const launchType = props.cluster.launchType;
    matches(this, "image", props.image, /^\S+$/, "an image reference such as \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/rule-service:latest\"");
    checkTaskSize(this, launchType, props.cpu, props.memoryMiB);
    const containerPort = props.containerPort === undefined ? undefined : port(this, "containerPort", props.containerPort);
    const retention = logRetentionDays(this, "logRetentionDays", props.logRetentionDays);
    const logGroupName = matches(this, "logGroupName", props.logGroupName ?? `/ecs/${name}`, /^[A-Za-z0-9_\-/.#]{1,512}$/, "1-512 letters, digits and _ - / . #");
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    if (props.secretsKmsKeyArn !== undefined) arn(this, "secretsKmsKeyArn", props.secretsKmsKeyArn, "kms");
    const environment = props.environment ?? {};
    const secrets = props.secrets ?? {};
    checkEnvironment(this, environment, secrets);
    const controller = oneOf(this, "deploymentController", props.deploymentController ?? "ECS", ["ECS", "CODE_DEPLOY"]);
    const singleton = props.singleton ?? false;
    this.checkSingleton(props, controller);
    const sizes = checkScaling(this, props);
    this.desiredCount = sizes.desired;
    if (props.loadBalancer) {
      refuse(this, "loadBalancer", props.loadBalancer, containerPort === undefined, "a load balancer needs containerPort (the port the target group forwards to)");
      arn(this, "loadBalancer.targetGroupArn", props.loadBalancer.targetGroupArn, "elasticloadbalancing");
    }
    refuse(this, "deploymentController", controller, controller === "CODE_DEPLOY" && !props.loadBalancer, "blue/green deployments shift traffic between two target groups; set loadBalancer or use \"ECS\"");
    if (props.serviceDiscoveryName !== undefined) {
      dnsLabel(this, "serviceDiscoveryName", props.serviceDiscoveryName);
      refuse(this, "serviceDiscoveryName", props.serviceDiscoveryName, props.cluster.namespace === undefined, "the cluster has no Cloud Map namespace; create it with privateNamespace on the cluster");
    }
    const healthCheckPath = matches(this, "healthCheckPath", props.healthCheckPath ?? "/health", /^\/[A-Za-z0-9_\-./~%?=&]*$/, "a URL path starting with \"/\" (letters, digits and _ - . / ~ % ? = &)");
    const healthCheck = checkHealthCheck(this, props.healthCheck, containerPort, healthCheckPath);
    checkStatements(this, props.taskPolicyStatements ?? []);
    const efsVolumes = props.efsVolumes ?? [];
    checkEfsVolumes(this, efsVolumes);
    const xray = props.xrayTracing ?? false;
    if (xray) this.checkXray(props, environment);
    nonEmpty(this, "network.privateSubnetIds", props.network.privateSubnetIds);
    const sidecars = props.sidecars ?? [];
    const sidecarCpu = checkSidecars(this, sidecars, props.cpu, props.memoryMiB, xray ? XRAY_CPU : 0);
    const argv = { command: checkArgv(this, "command", props.command), entryPoint: checkArgv(this, "entryPoint", props.entryPoint), ulimits: checkUlimits(this, props.ulimits ?? []) };
    const options = checkOptions(this, props.cluster, props);
    this.containerPort = containerPort;

    // ---- logs, roles, task definition
    const region = new DataAwsRegion(this, "Region");
    const account = new DataAwsCallerIdentity(this, "Account");
    const partition = new DataAwsPartition(this, "Partition");

    const logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: logGroupName,
      retentionInDays: retention,
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
    });
    this.logGroupName = logGroup.name;
    this.logGroupArn = logGroup.arn;

    // Only ECS tasks of this account may assume the roles (confused-deputy guard).
    const trust = serviceTrustPolicy("ecs-tasks.amazonaws.com", {
      StringEquals: { "aws:SourceAccount": account.accountId },
      ArnLike: { "aws:SourceArn": `arn:${partition.partition}:ecs:${region.name}:${account.accountId}:*` },
    });
    const execution = createRole(this, "ExecutionRole", {
      name: fitName(this, "name", name, "exec", "iamRoleName"),
      description: `ECS agent for ${name}: pulls the image, writes logs, reads the task's secrets`,
      assumeRolePolicy: trust,
      statements: [
        ...imagePullStatements(props.image, partition.partition),
        ...sidecars.flatMap((c, i) => imagePullStatements(c.image, partition.partition).filter((st) => st.sid !== "EcrLogin").map((st) => ({ ...st, sid: `EcrPullSidecar${i}` }))),
        { sid: "WriteLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${logGroup.arn}:*`] },
        ...secretReadStatements(this, secrets, props.secretsKmsKeyArn),
      ],
    });
    this.executionRoleArn = execution.arn;
    this.executionRole = execution;

    const taskStatements: PolicyStatement[] = [
      ...(props.taskPolicyStatements ?? []),
      ...efsMountStatements(efsVolumes, { partition: partition.partition, region: region.name, account: account.accountId }),
    ];
    if (options.exec) taskStatements.push(...execStatements(props.cluster, { partition: partition.partition, region: region.name, account: account.accountId }));
    if (xray) {
      // X-Ray has no resource-level permissions for these actions.
      taskStatements.push({
        sid: "XRayTraces",
        actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"],
        resources: ["*"],
      });
    }
    const task = createRole(this, "TaskRole", {
      name: fitName(this, "name", name, "task", "iamRoleName"),
      description: `Application role of ${name}: only what the application calls`,
      assumeRolePolicy: trust,
      statements: taskStatements,
    });
    this.taskRoleArn = task.arn;
    this.taskRoleName = task.name;
    this.taskRole = task;

    const taskDefinition = new EcsTaskDefinition(this, "TaskDefinition", {
      family: name,
      networkMode: "awsvpc",
      requiresCompatibilities: [launchType],
      cpu: String(props.cpu),
      memory: String(props.memoryMiB),
      executionRoleArn: execution.arn,
      taskRoleArn: task.arn,
      // Writable scratch space, since the root filesystem is read-only; then the EFS volumes.
      volume: [{ name: TMP_VOLUME.name }, ...efsTaskVolumes(efsVolumes)],
      ...(options.runtimePlatform ? { runtimePlatform: options.runtimePlatform } : {}),
      ...(options.ephemeralStorage ? { ephemeralStorage: options.ephemeralStorage } : {}),
      containerDefinitions: Fn.jsonencode(containerDefinitions({
        name: CONTAINER_NAME, image: props.image, cpu: props.cpu, containerPort, environment, secrets, efsVolumes, healthCheck, xray,
        logGroupName: logGroup.name, region: region.name, sidecars, sidecarCpu, ...argv, readonlyRootFilesystem: !options.exec,
      })),
    });
    this.taskDefinitionArn = taskDefinition.arn;

    // ---- network, discovery, service
    const sg = createSecurityGroup(this, "SecurityGroup", {
      name: fitName(this, "name", name, "tasks", "securityGroupName"),
      description: `Tasks of ${name}`,
      vpcId: props.network.vpcId,
      egress: "all",
    });
    this.securityGroupId = sg.id;

    let registryArn: string | undefined;
    if (props.serviceDiscoveryName !== undefined && props.cluster.namespace) {
      const discovery = new ServiceDiscoveryService(this, "Discovery", {
        name: props.serviceDiscoveryName,
        description: `${name} tasks (A records, awsvpc)`,
        dnsConfig: { namespaceId: props.cluster.namespace.id, routingPolicy: "MULTIVALUE", dnsRecords: [{ type: "A", ttl: 10 }] },
        // ECS reports task health to Cloud Map; AWS fixes the threshold at 1.
        healthCheckCustomConfig: { failureThreshold: 1 },
      });
      registryArn = discovery.arn;
    }

    const ignoreChanges: string[] = [];
    if (props.scaling) ignoreChanges.push("desired_count"); // the scaling target owns it
    if (controller === "CODE_DEPLOY") ignoreChanges.push("task_definition", "load_balancer"); // CodeDeploy owns them
    const placement: Partial<EcsServiceConfig> = options.strategy
      ? { capacityProviderStrategy: options.strategy }
      : props.cluster.capacityProviderName
      ? { capacityProviderStrategy: [{ capacityProvider: props.cluster.capacityProviderName, base: 0, weight: 1 }] }
      : { launchType };
    // CodeDeploy drops the strategy unless the AppSpec repeats it; Terraform must not fight over it.
    if (controller === "CODE_DEPLOY" && placement.capacityProviderStrategy) ignoreChanges.push("capacity_provider_strategy");

    this.resource = new EcsServiceResource(this, "Service", {
      name,
      cluster: props.cluster.clusterArn,
      taskDefinition: taskDefinition.arn,
      desiredCount: sizes.desired,
      ...placement,
      ...(launchType === "FARGATE" ? { platformVersion: "LATEST" } : {}),
      ...(launchType === "EC2" ? { orderedPlacementStrategy: [{ type: "spread", field: "attribute:ecs.availability-zone" }] } : {}),
      networkConfiguration: { subnets: props.network.privateSubnetIds, securityGroups: [sg.id], assignPublicIp: false },
      deploymentController: { type: controller },
      ...(controller === "ECS" ? { deploymentCircuitBreaker: { enable: true, rollback: true } } : {}),
      // A singleton stops its old task before starting the new one (max 100 %, min healthy 0 %): a short gap
      // in service, but never two copies running at once, not even during a deploy.
      deploymentMaximumPercent: singleton ? 100 : 200,
      deploymentMinimumHealthyPercent: singleton ? 0 : 100,
      // Rebalancing stops and starts tasks; a singleton has nothing to balance and blue/green does not support it.
      availabilityZoneRebalancing: singleton || controller === "CODE_DEPLOY" ? "DISABLED" : "ENABLED",
      ...(props.loadBalancer && containerPort !== undefined
        ? {
            loadBalancer: [{ targetGroupArn: props.loadBalancer.targetGroupArn, containerName: CONTAINER_NAME, containerPort }],
            healthCheckGracePeriodSeconds: props.healthCheck?.startPeriodSeconds ?? 60,
          }
        : {}),
      ...(registryArn ? { serviceRegistries: { registryArn } } : {}),
      enableExecuteCommand: options.exec,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      waitForSteadyState: false,
      // Tasks must not start before the execution role can pull the image and read the secrets.
      dependsOn: [
        ...(execution.policy ? [execution.policy] : []),
        ...(props.loadBalancer?.routing ? [props.loadBalancer.routing] : []),
        ...(options.strategy && props.cluster.capacityProviders ? [props.cluster.capacityProviders] : []),
      ],
      ...(ignoreChanges.length > 0 ? { lifecycle: { ignoreChanges } } : {}),
    });
    this.serviceName = this.resource.name;
    this.serviceArn = this.resource.id;

    if (props.scaling) this.scalingTarget = addScaling(this, props.cluster.clusterName, this.resource.name, props.scaling, sizes, props.loadBalancer?.targetGroupArn);
  }

  get roleArn(): string {
    return this.taskRoleArn;
  }

  get roleName(): string {
    return this.taskRoleName;
  }

  addToPolicy(...statements: readonly PolicyStatement[]): void {
    this.taskRole.addToPolicy(...statements);
  }

  /** AP5: a singleton refuses anything that would run a second copy. */
  private checkSingleton(props: EcsServiceProps, controller: "ECS" | "CODE_DEPLOY"): void {
    if (!props.singleton) return;
    const why = "a singleton runs exactly one task (desired = max = 1)";
    refuse(this, "scaling", props.scaling, props.scaling !== undefined, `${why}; remove scaling or set singleton: false`);
    refuse(this, "desiredCount", props.desiredCount, props.desiredCount !== undefined && props.desiredCount !== 1, `${why}; expected 1`);
    refuse(this, "deploymentController", controller, controller === "CODE_DEPLOY", `${why}, and blue/green runs two task sets at once; expected "ECS"`);
  }

  /** The daemon needs its share of the task and owns AWS_XRAY_DAEMON_ADDRESS. */
  private checkXray(props: EcsServiceProps, environment: Readonly<Record<string, string>>): void {
    const name = XRAY_DAEMON_ADDRESS.name;
    if (name in environment) fail(this, `environment.${name}`, environment[name], `xrayTracing sets ${name}=${XRAY_DAEMON_ADDRESS.value} (the sidecar); remove it`);
    const minMemory = 2 * XRAY_MEMORY_RESERVATION_MIB;
    refuse(this, "memoryMiB", props.memoryMiB, props.memoryMiB < minMemory, `with xrayTracing the daemon reserves ${XRAY_MEMORY_RESERVATION_MIB} MiB; expected at least ${minMemory} MiB`);
  }
}
