/**
 * dotnet-api (plan 000): a .NET 8 Web API on ECS Fargate behind an ALB, with ElastiCache Redis, Amazon MSK and
 * PostgreSQL (RDS instance or Aurora Serverless v2, per environment). Requirements DA1-DA7 and G1-G10.
 */
import { aspnetEnvironmentName } from "../environments";
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { allowFrom } from "../modules/core";
import { EcsCluster } from "../modules/ecs-cluster";
import { EcsService } from "../modules/ecs-service";
import { Alb } from "../modules/alb";
import { Database } from "../modules/rds";
import { Redis } from "../modules/redis";
import { ManagedKafka } from "../modules/kafka";
import { EcrRepository } from "../modules/ecr";
import { GithubDeployRole } from "../modules/github-oidc";
import { Parameter } from "../modules/secrets";
import { WebAcl } from "../modules/waf";
import { AlarmTopic, Alarms, albAlarms, ecsServiceAlarms, mskConsumerLagAlarm } from "../modules/observability";
import { SystemStack, SystemStackProps, VPC_PORTS } from "./system-stack";

export const SYSTEM = "dotnet-api";
const API_PORT = 8080;

export type DotnetApiStackProps = SystemStackProps;

export class DotnetApiStack extends SystemStack {
  readonly api: EcsService;

  constructor(scope: Construct, props: DotnetApiStackProps) {
    super(scope, SYSTEM, props);
    const env = this.env;
    const cfg = env.systems.dotnetApi;
    const protection = this.protection;
    const prefix = this.prefix;

    const key = this.stackKey("logs, parameters, secrets, repositories, data stores and alarms", ["sns.amazonaws.com", "cloudwatch.amazonaws.com"]);
    const network = this.systemNetwork(cfg, key, [VPC_PORTS.postgres, VPC_PORTS.redis, VPC_PORTS.mskIam]);
    const cluster = new EcsCluster(this, "Cluster", {
      name: prefix,
      network,
      containerInsights: cfg.containerInsights,
      capacity: { kind: "fargate" },
      kmsKeyArn: key.keyArn,
      logRetentionDays: cfg.logRetentionDays,
    });
    // DA1: the ALB in public subnets, the API in private ones.
    const alb = new Alb(this, "LoadBalancer", { ...this.accessLogs, name: prefix, network, certificateArn: cfg.certificateArn, ...(cfg.http ? { http: cfg.http } : {}), protection });
    const target = alb.addTarget("ApiTarget", { name: "api", port: API_PORT, healthCheckPath: "/health" });
    // G6: rate limit per client IP and AWS managed rules (common/XSS, known bad inputs, SQL injection, anonymous IPs) on the ALB.
    new WebAcl(this, "Firewall", { name: prefix, associateWith: [alb.albArn], logging: { retentionDays: cfg.logRetentionDays, kmsKeyArn: key.keyArn } });

    // DA4: instance or Aurora Serverless v2, chosen in environments/.
    const db = cfg.database;
    const database = new Database(this, "Database", {
      name: `${prefix}-db`,
      network,
      engine:
        db.kind === "instance"
          ? { kind: "instance", instanceClass: db.instanceClass, allocatedStorageGiB: db.allocatedStorageGiB, maxAllocatedStorageGiB: db.maxAllocatedStorageGiB }
          : { kind: "aurora-serverless-v2", minAcu: db.minAcu, maxAcu: db.maxAcu, instances: db.instances },
      multiAz: db.kind === "instance" ? db.multiAz : db.instances > 1,
      protection,
      kmsKeyArn: key.keyArn,
    });

    // DA2: a replication group; Multi-AZ automatic failover where the environment asks.
    const redis = new Redis(this, "Cache", {
      name: `${prefix}-redis`,
      network,
      nodeType: cfg.redis.nodeType,
      replicas: cfg.redis.replicas,
      multiAz: cfg.redis.multiAz,
      snapshotRetentionDays: cfg.redis.snapshotRetentionDays,
      kmsKeyArn: key.keyArn,
      protection,
      logs: { retentionDays: cfg.logRetentionDays },
    });

    // DA3: MSK with TLS + IAM client auth and encryption at rest.
    const kafka = new ManagedKafka(this, "Kafka", {
      name: `${prefix}-kafka`,
      network,
      instanceType: cfg.msk.instanceType,
      brokerCount: cfg.msk.brokerCount,
      volumeGiB: cfg.msk.volumeGiB,
      kmsKeyArn: key.keyArn,
      brokerLogs: { retentionDays: cfg.logRetentionDays },
      protection,
    });

    // DA5: connection settings live in Parameter Store / Secrets Manager, never as literals in the task definition.
    // SecureStrings under the stack's key (G6): the execution role decrypts them through secretsKmsKeyArn below.
    const paramPath = `/${SYSTEM}/${env.name}`;
    const kmsKeyArn = key.keyArn;
    const parameters = {
      KAFKA_BOOTSTRAP_SERVERS: new Parameter(this, "KafkaBootstrapParameter", { name: `${paramPath}/kafka/bootstrap-servers`, value: kafka.bootstrapBrokersSaslIam, description: "MSK bootstrap brokers (SASL/IAM over TLS)", kmsKeyArn }),
      REDIS_ENDPOINT: new Parameter(this, "RedisEndpointParameter", { name: `${paramPath}/redis/endpoint`, value: redis.endpoint.address, description: "Redis primary endpoint (TLS)", kmsKeyArn }),
      ...(redis.appUserName
        ? { REDIS_USER: new Parameter(this, "RedisUserParameter", { name: `${paramPath}/redis/user`, value: redis.appUserName, description: "Redis user the task signs IAM auth tokens for", kmsKeyArn }) }
        : {}),
      DATABASE_ENDPOINT: new Parameter(this, "DatabaseEndpointParameter", { name: `${paramPath}/database/endpoint`, value: database.endpoint.address, description: "PostgreSQL endpoint", kmsKeyArn }),
      DATABASE_NAME: new Parameter(this, "DatabaseNameParameter", { name: `${paramPath}/database/name`, value: database.databaseName, description: "PostgreSQL database name", kmsKeyArn }),
    };

    // DA6: the API image's repository.
    const repository = new EcrRepository(this, "ApiRepository", { name: `${prefix}/api`, kmsKeyArn: key.keyArn, forceDelete: protection.forceDestroy });

    this.api = new EcsService(this, "Api", {
      name: `${prefix}-api`,
      cluster,
      network,
      image: `${repository.repositoryUrl}:${env.imageTag}`,
      cpu: cfg.api.cpu,
      memoryMiB: cfg.api.memoryMiB,
      containerPort: API_PORT,
      desiredCount: cfg.api.desiredCount,
      scaling: { minCount: cfg.api.minCount, maxCount: cfg.api.maxCount },
      logGroupName: `/ecs/${SYSTEM}/${env.name}/api`,
      logRetentionDays: cfg.logRetentionDays,
      kmsKeyArn: key.keyArn,
      environment: { ASPNETCORE_URLS: `http://+:${API_PORT}`, ASPNETCORE_ENVIRONMENT: aspnetEnvironmentName(env) },
      secrets: {
        ...Object.fromEntries(Object.entries(parameters).map(([name, p]) => [name, p.parameterArn])),
        DATABASE_USERNAME: database.secret.field("username"),
        DATABASE_PASSWORD: database.secret.field("password"),
      },
      secretsKmsKeyArn: key.keyArn,
      healthCheckPath: "/health",
      loadBalancer: target,
    });
    // The task role reads its configuration (for reloads); Redis and MSK both authenticate with IAM: the task role
    // is the credential.
    for (const parameter of Object.values(parameters)) parameter.grantRead(this.api);
    kafka.grantProduceConsume(this.api);
    redis.grantConnect(this.api);

    allowFrom(this.api, alb, API_PORT);
    allowFrom(database, this.api, database.port);
    allowFrom(redis, this.api, redis.port);
    allowFrom(kafka, this.api, kafka.port);

    // DA7: consumer lag, 5xx rate and unhealthy hosts page the team.
    const topic = new AlarmTopic(this, "Alarms", { name: `${prefix}-alarms`, kmsKeyArn: key.keyArn, emailSubscriptions: cfg.alarmEmails });
    new Alarms(this, "ApiAlarms", {
      topic,
      alarms: [
        ...albAlarms({ name: `${prefix}-api`, albArnSuffix: alb.arnSuffix, targetGroupArnSuffix: target.arnSuffix }),
        ...ecsServiceAlarms({ name: `${prefix}-api`, clusterName: cluster.clusterName, serviceName: this.api.serviceName }),
        mskConsumerLagAlarm({ name: prefix, clusterName: kafka.clusterName, consumerGroup: cfg.consumerLag.consumerGroup, topic: cfg.consumerLag.topic, maxOffsetLag: cfg.consumerLag.maxOffsetLag }),
      ],
    });

    // DA6 / G10: GitHub Actions pushes the image and rolls the service.
    const deployRole = new GithubDeployRole(this, "DeployRole", {
      name: `${prefix}-github-deploy`,
      repositories: [`${env.githubOrg}/${SYSTEM}`],
      ecrRepositoryArns: [repository.repositoryArn],
      ecs: { clusterArn: cluster.clusterArn, serviceArns: [this.api.serviceArn], passRoleArns: [this.api.taskRoleArn, this.api.executionRoleArn] },
    });

    new TerraformOutput(this, "alb_dns_name", { value: alb.dnsName });
    new TerraformOutput(this, "ecr_repository_url", { value: repository.repositoryUrl });
    new TerraformOutput(this, "cluster_name", { value: cluster.clusterName });
    new TerraformOutput(this, "service_name", { value: this.api.serviceName });
    new TerraformOutput(this, "database_endpoint", { value: database.endpoint.address });
    new TerraformOutput(this, "kafka_cluster_arn", { value: kafka.clusterArn });
    new TerraformOutput(this, "deploy_role_arn", { value: deployRole.roleArn });
  }
}
