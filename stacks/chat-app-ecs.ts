/**
 * chat-app on ECS Fargate (CA1 "ecs"): the five services (api-gateway behind the ALB, the others through Cloud Map),
 * optional CodeDeploy blue/green for the gateway (CA9), edge alarms and the ECS deploy role.
 */
import { allowFrom } from "../modules/core";
import { EcsCluster } from "../modules/ecs-cluster";
import { EcsService } from "../modules/ecs-service";
import { Alb, AlbTarget } from "../modules/alb";
import { EcsBlueGreen } from "../modules/ecs-blue-green";
import { GithubDeployRole } from "../modules/github-oidc";
import { Alarms, albAlarms } from "../modules/observability";
import { CHAT_SERVICES } from "../environments";
import { pascal } from "./naming";
import { ChatAppParts, ComputeResult, SERVICE_PORT, SYSTEM, USES } from "./chat-app-parts";

export function buildEcsServices(parts: ChatAppParts): ComputeResult {
  const { stack, cfg, prefix, key, network, repositories, topic, firewall, database, documentDb, kafka, redis, attachments, cdn, allow, grantUses } = parts;
  const env = stack.env;
  const protection = stack.protection;
  const outputs: Record<string, string> = {};
  const repositoryArns = CHAT_SERVICES.map((n) => repositories[n].repositoryArn);
  const cluster = new EcsCluster(stack, "Cluster", {
    name: prefix,
    network,
    capacity: { kind: "fargate" },
    privateNamespace: `${prefix}.internal`,
    kmsKeyArn: key.keyArn,
    logRetentionDays: cfg.logRetentionDays,
    containerInsights: cfg.containerInsights,
  });
  const alb = new Alb(stack, "LoadBalancer", { ...stack.accessLogs, name: prefix, network, certificateArn: cfg.certificateArn, ...(cfg.http ? { http: cfg.http } : {}), protection });
  outputs.waf_acl_arn = firewall([alb.albArn]).webAclArn;

  // CA9: the public entry gets a blue/green target group pair when the environment asks for it.
  let pair: [AlbTarget, AlbTarget] | undefined;
  let target: AlbTarget;
  if (cfg.blueGreen) {
    pair = alb.addTargetGroupPair("ApiGatewayTargets", { name: "api-gateway", port: SERVICE_PORT, healthCheckPath: "/health" });
    target = pair[0];
  } else {
    target = alb.addTarget("ApiGatewayTarget", { name: "api-gateway", port: SERVICE_PORT, healthCheckPath: "/health" });
  }

  const services = CHAT_SERVICES.map((name) => {
    const sizing = cfg.services[name];
    const isEntry = name === "api-gateway";
    const service = new EcsService(stack, pascal(name), {
      name: `${prefix}-${name}`,
      cluster,
      network,
      image: `${repositories[name].repositoryUrl}:${env.imageTag}`,
      cpu: sizing.cpu,
      memoryMiB: sizing.memoryMiB,
      containerPort: SERVICE_PORT,
      desiredCount: sizing.desiredCount,
      scaling: { minCount: sizing.minCount, maxCount: sizing.maxCount },
      logGroupName: `/ecs/${SYSTEM}/${env.name}/${name}`,
      logRetentionDays: cfg.logRetentionDays,
      kmsKeyArn: key.keyArn,
      environment: {
        SERVICE_NAME: name,
        SERVICE_DISCOVERY_DOMAIN: `${prefix}.internal`,
        ...(USES[name].postgres ? { POSTGRES_HOST: database.endpoint.hostname, POSTGRES_DB: database.databaseName } : {}),
        ...(USES[name].documentDb ? { MONGO_HOST: documentDb.endpoint.hostname } : {}),
        ...(USES[name].kafka ? { KAFKA_BOOTSTRAP_SERVERS: kafka.bootstrapBrokersSaslIam } : {}),
        ...(USES[name].attachments ? { ATTACHMENTS_BUCKET: attachments.bucketName, ATTACHMENTS_CDN: cdn.domainName } : {}),
        REDIS_CLUSTER_NODES: redis.privateIps.join(","),
      },
      secrets: {
        ...(redis.authSecretArn ? { REDIS_PASSWORD: redis.authSecretArn } : {}),
        ...(USES[name].postgres ? { POSTGRES_USERNAME: database.secret.field("username"), POSTGRES_PASSWORD: database.secret.field("password") } : {}),
        ...(USES[name].documentDb ? { MONGO_USERNAME: documentDb.secret.field("username"), MONGO_PASSWORD: documentDb.secret.field("password") } : {}),
      },
      secretsKmsKeyArn: key.keyArn,
      healthCheckPath: "/health",
      loadBalancer: isEntry ? target : undefined,
      serviceDiscoveryName: name,
      xrayTracing: true,
      deploymentController: isEntry && cfg.blueGreen ? "CODE_DEPLOY" : "ECS",
    });
    allow(service, name); // Redis Cluster nodes accept the whole VPC on 6379/16379 (CA6).
    grantUses(service, name);
    if (isEntry) allowFrom(service, alb, SERVICE_PORT);
    return service;
  });
  // The gateway calls the four internal services on their port.
  for (const service of services.slice(1)) allowFrom(service, services[0], SERVICE_PORT);

  // With blue/green, production traffic alternates between the two groups: watch both, so a rollback alarm
  // fires whichever group the new task set is in.
  const alarms = new Alarms(stack, "EdgeAlarms", {
    topic,
    alarms: [
      ...albAlarms({ name: `${prefix}-alb`, albArnSuffix: alb.arnSuffix, targetGroupArnSuffix: target.arnSuffix }),
      ...(pair ? albAlarms({ name: `${prefix}-alb-green`, idPrefix: "Green", albArnSuffix: alb.arnSuffix, targetGroupArnSuffix: pair[1].arnSuffix }) : []),
    ],
  });
  let blueGreen: EcsBlueGreen | undefined;
  if (pair) {
    blueGreen = new EcsBlueGreen(stack, "ApiGatewayBlueGreen", {
      name: `${prefix}-api-gateway`,
      clusterName: cluster.clusterName,
      serviceName: services[0].serviceName,
      listenerArn: alb.listenerArn,
      blueTargetGroupName: pair[0].targetGroupName,
      greenTargetGroupName: pair[1].targetGroupName,
      rollbackAlarmNames: Object.values(alarms.alarmNames),
    });
  }
  const deployRole = new GithubDeployRole(stack, "DeployRole", {
    name: `${prefix}-github-deploy`,
    repositories: [`${env.githubOrg}/${SYSTEM}`],
    ecrRepositoryArns: repositoryArns,
    ecs: { clusterArn: cluster.clusterArn, serviceArns: services.map((s) => s.serviceArn), passRoleArns: services.flatMap((s) => [s.taskRoleArn, s.executionRoleArn]) },
    ...(blueGreen ? { codeDeploy: { applicationArn: blueGreen.applicationArn, deploymentGroupArn: blueGreen.deploymentGroupArn } } : {}),
  });
  outputs.alb_dns_name = alb.dnsName;
  outputs.cluster_name = cluster.clusterName;
  return { outputs, deployRole };
}
