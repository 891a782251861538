/**
 * alerting-platform (plan 003): six services on ECS with the EC2 launch type, self-hosted Kafka (KRaft) on ECS,
 * RDS PostgreSQL 15, ElastiCache Redis 7, an ALB. Requirements AP1-AP12 and G1-G10.
 * Sizes and switches come from `environments/<env>.ts` (systems.alertingPlatform); this file only wires modules.
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { ALERTING_SERVICES, AlertingServiceName } from "../environments";
import { allowFrom } from "../modules/core";
import { EcsCluster } from "../modules/ecs-cluster";
import { EcsService } from "../modules/ecs-service";
import { Alb, AlbTarget } from "../modules/alb";
import { Database } from "../modules/rds";
import { Redis } from "../modules/redis";
import { SelfHostedKafka } from "../modules/kafka";
import { EcrRepository } from "../modules/ecr";
import { GithubDeployRole } from "../modules/github-oidc";
import { WebAcl } from "../modules/waf";
import { SystemStack, SystemStackProps, VPC_PORTS } from "./system-stack";
import { pascal } from "./naming";

export const SYSTEM = "alerting-platform";

/** AP8: the topics, declared as data; the Kafka module creates them. */
export const ALERTING_TOPICS = ["alerts.new", "rule.changed", "alerts.matched", "notifications.ready"] as const;

/** AP3 / AP6: which services listen, and which sit behind the ALB (and on which paths). */
const SERVICE_ROUTES: Readonly<Record<AlertingServiceName, { port?: number; alb?: { pathPatterns?: string[]; priority?: number } }>> = {
  "rule-service": { port: 8080, alb: {} }, // default route
  "alert-producer": { port: 8081, alb: { pathPatterns: ["/alerts", "/alerts/*"], priority: 100 } },
  evaluator: {},
  aggregator: {},
  sender: {},
  "rule-updater": {},
};

/**
 * G9: workers have no port to probe; they touch /tmp/heartbeat from their main loop, and a heartbeat older than
 * 60 s marks the task unhealthy (ECS replaces it).
 */
export const WORKER_HEALTH_CHECK = {
  command: ["CMD-SHELL", "test $(( $(date +%s) - $(stat -c %Y /tmp/heartbeat) )) -lt 60 || exit 1"],
  intervalSeconds: 30,
  startPeriodSeconds: 60,
} as const;

/** AP5: the one service that must never run more than one task. */
const SINGLETONS: readonly AlertingServiceName[] = ["rule-updater"];

export type AlertingPlatformStackProps = SystemStackProps;

export class AlertingPlatformStack extends SystemStack {
  /** The six services, by name (tests and extensions read them). */
  readonly services: Readonly<Record<string, EcsService>>;

  constructor(scope: Construct, props: AlertingPlatformStackProps) {
    super(scope, SYSTEM, props);
    const env = this.env;
    const cfg = env.systems.alertingPlatform;
    const protection = this.protection;
    const prefix = this.prefix;

    const key = this.stackKey("logs, secrets, repositories and data stores");

    // AP1: 10.0.0.0/16, two public + two private subnets in two AZs, NAT switchable.
    const network = this.systemNetwork(cfg, key, [VPC_PORTS.postgres, VPC_PORTS.redis, VPC_PORTS.kafka, VPC_PORTS.nfs, { from: 8080, to: 8081 }]);

    // AP2: EC2 capacity (t3.micro, 1-4) behind a capacity provider with managed scaling; Cloud Map for Kafka (AP7).
    const cluster = new EcsCluster(this, "Cluster", {
      name: prefix,
      network,
      containerInsights: cfg.containerInsights,
      capacity: { kind: "ec2", instanceType: cfg.cluster.instanceType, minInstances: cfg.cluster.minInstances, maxInstances: cfg.cluster.maxInstances },
      privateNamespace: `${prefix}.internal`,
      kmsKeyArn: key.keyArn,
      logRetentionDays: cfg.logRetentionDays,
    });

    // AP6: one ALB, HTTPS when a certificate is set (port 80 redirecting to it, or closed, as the settings say).
    const alb = new Alb(this, "LoadBalancer", {
      ...this.accessLogs,
      name: prefix,
      network,
      certificateArn: cfg.certificateArn,
      ...(cfg.http ? { http: cfg.http } : {}),
      protection,
    });
    // G6: rate limit per client IP and AWS managed rules (common/XSS, known bad inputs, SQL injection, anonymous IPs) on the ALB.
    new WebAcl(this, "Firewall", { name: prefix, associateWith: [alb.albArn], logging: { retentionDays: cfg.logRetentionDays, kmsKeyArn: key.keyArn } });

    // AP9: PostgreSQL 15, encrypted, 7-day backups, Multi-AZ per environment; RDS manages the password (G7).
    const database = new Database(this, "Database", {
      name: `${prefix}-db`,
      network,
      engine: {
        kind: "instance",
        instanceClass: cfg.database.instanceClass,
        allocatedStorageGiB: cfg.database.allocatedStorageGiB,
        maxAllocatedStorageGiB: cfg.database.maxAllocatedStorageGiB,
      },
      engineVersion: "15",
      multiAz: cfg.database.multiAz,
      protection,
      kmsKeyArn: key.keyArn,
    });

    // AP10: Redis 7, single node, daily snapshots kept 5 days.
    const redis = new Redis(this, "Cache", {
      name: `${prefix}-redis`,
      network,
      nodeType: cfg.redis.nodeType,
      replicas: 0,
      snapshotRetentionDays: cfg.redis.snapshotRetentionDays,
      kmsKeyArn: key.keyArn,
      protection,
      logs: { retentionDays: cfg.logRetentionDays },
    });

    // AP7 / AP8: Kafka in KRaft mode with durable storage; topics created by the module's init container.
    const kafka = new SelfHostedKafka(this, "Kafka", {
      name: `${prefix}-kafka`,
      network,
      cluster,
      cpu: cfg.kafka.cpu,
      memoryMiB: cfg.kafka.memoryMiB,
      topics: ALERTING_TOPICS.map((name) => ({ name, partitions: cfg.kafka.partitions })),
      logGroupName: `/ecs/${SYSTEM}/${env.name}/kafka`,
      logRetentionDays: cfg.logRetentionDays,
      kmsKeyArn: key.keyArn,
      protection,
    });

    const repositories: EcrRepository[] = [];
    const services: Record<string, EcsService> = {};
    for (const name of ALERTING_SERVICES) {
      const id = pascal(name);
      const sizing = cfg.services[name];
      const route = SERVICE_ROUTES[name];
      const singleton = SINGLETONS.includes(name);

      // AP11: one repository per service.
      const repository = new EcrRepository(this, `${id}Repository`, {
        name: `${prefix}/${name}`,
        kmsKeyArn: key.keyArn,
        forceDelete: protection.forceDestroy,
      });
      repositories.push(repository);

      let target: AlbTarget | undefined;
      if (route.alb && route.port) {
        target = alb.addTarget(`${id}Target`, {
          name,
          port: route.port,
          healthCheckPath: "/health",
          pathPatterns: route.alb.pathPatterns,
          priority: route.alb.priority,
        });
      }

      const service = new EcsService(this, id, {
        name: `${prefix}-${name}`,
        cluster,
        network,
        image: `${repository.repositoryUrl}:${env.imageTag}`,
        cpu: sizing.cpu,
        memoryMiB: sizing.memoryMiB,
        containerPort: route.port,
        desiredCount: sizing.desiredCount,
        // AP4: services scale on CPU 70 % / memory 80 % within the environment's counts. AP5: the singleton gets
        // scaling only if the environment asks for more than one task, and the module refuses that.
        singleton,
        scaling:
          singleton && sizing.minCount === 1 && sizing.maxCount === 1
            ? undefined
            : { minCount: sizing.minCount, maxCount: sizing.maxCount, cpuTargetPercent: 70, memoryTargetPercent: 80, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300 },
        // AP12: /ecs/alerting-platform/<env>/<service>.
        logGroupName: `/ecs/${SYSTEM}/${env.name}/${name}`,
        logRetentionDays: cfg.logRetentionDays,
        kmsKeyArn: key.keyArn,
        environment: {
          SERVICE_NAME: name,
          KAFKA_BOOTSTRAP_SERVERS: kafka.bootstrapServers,
          REDIS_HOST: redis.endpoint.hostname,
          REDIS_PORT: String(redis.endpoint.port),
          REDIS_TLS: "true",
          // Redis authenticates with IAM: the task signs a token for this user with its role (no password anywhere).
          REDIS_USER: redis.appUserName ?? "",
          REDIS_REPLICATION_GROUP_ID: redis.replicationGroupId,
          DB_HOST: database.endpoint.hostname,
          DB_PORT: String(database.endpoint.port),
          DB_NAME: database.databaseName,
          DB_SSLMODE: "require",
        },
        // G7: credentials come from the RDS-managed secret, read by the execution role.
        secrets: {
          DB_USERNAME: database.secret.field("username"),
          DB_PASSWORD: database.secret.field("password"),
        },
        secretsKmsKeyArn: key.keyArn,
        healthCheckPath: "/health",
        healthCheck: route.port ? undefined : WORKER_HEALTH_CHECK,
        loadBalancer: target,
        serviceDiscoveryName: name,
      });
      services[name] = service;
      redis.grantConnect(service);

      // G5: each data store accepts only its port, only from the services that use it.
      allowFrom(database, service, database.port);
      allowFrom(redis, service, redis.port);
      allowFrom(kafka, service, kafka.port);
      if (route.port && target) allowFrom(service, alb, route.port);
    }
    this.services = services;

    // G10: GitHub Actions pushes images and rolls the services through OIDC.
    const deployRole = new GithubDeployRole(this, "DeployRole", {
      name: `${prefix}-github-deploy`,
      repositories: [`${env.githubOrg}/${SYSTEM}`],
      ecrRepositoryArns: repositories.map((r) => r.repositoryArn),
      ecs: {
        clusterArn: cluster.clusterArn,
        serviceArns: Object.values(services).map((s) => s.serviceArn),
        passRoleArns: Object.values(services).flatMap((s) => [s.taskRoleArn, s.executionRoleArn]),
      },
    });

    new TerraformOutput(this, "alb_dns_name", { value: alb.dnsName });
    new TerraformOutput(this, "cluster_name", { value: cluster.clusterName });
    new TerraformOutput(this, "database_endpoint", { value: database.endpoint.address });
    new TerraformOutput(this, "database_secret_arn", { value: database.secretArn });
    new TerraformOutput(this, "redis_endpoint", { value: redis.primaryEndpoint });
    new TerraformOutput(this, "kafka_bootstrap_servers", { value: kafka.bootstrapServers });
    new TerraformOutput(this, "ecr_repository_urls", { value: Object.fromEntries(ALERTING_SERVICES.map((n, i) => [n, repositories[i].repositoryUrl])) });
    new TerraformOutput(this, "deploy_role_arn", { value: deployRole.roleArn });
  }
}
