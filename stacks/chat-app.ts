/**
 * chat-app (plan 001): five chat microservices on ECS (Fargate) or EKS, RDS PostgreSQL, DocumentDB, MSK, S3 +
 * CloudFront, a self-managed Redis Cluster on EC2, WAF, X-Ray, optional blue/green. Requirements CA1-CA10, G1-G10.
 *
 * On ECS, `api-gateway` is the public entry behind the ALB and the other four are reached through Cloud Map. On EKS,
 * the Kubernetes workloads and their ingress are deployed by the application's Helm charts with the IRSA roles and
 * the WAF ACL this stack outputs (the ingress annotates `alb.ingress.kubernetes.io/wafv2-acl-arn`).
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { CHAT_SERVICES, ChatServiceName } from "../environments";
import { allowFrom, IConnectable, IGrantee } from "../modules/core";
import { KmsKey } from "../modules/kms-key";
import { Vpc } from "../modules/vpc";
import { EcsCluster } from "../modules/ecs-cluster";
import { EcsService } from "../modules/ecs-service";
import { EksCluster } from "../modules/eks";
import { Alb, AlbTarget } from "../modules/alb";
import { Database } from "../modules/rds";
import { DocumentDb } from "../modules/documentdb";
import { ManagedKafka } from "../modules/kafka";
import { S3Bucket } from "../modules/s3-bucket";
import { S3Distribution } from "../modules/cloudfront";
import { RedisClusterOnEc2 } from "../modules/redis-cluster";
import { WebAcl } from "../modules/waf";
import { EcsBlueGreen } from "../modules/ecs-blue-green";
import { EcrRepository } from "../modules/ecr";
import { GithubDeployRole } from "../modules/github-oidc";
import { AlarmTopic, Alarms, albAlarms, XraySamplingRule, grantTraceWrite } from "../modules/observability";
import { SystemStack, SystemStackProps } from "./system-stack";
import { pascal } from "./naming";

export const SYSTEM = "chat-app";
const SERVICE_PORT = 8080;
/** CloudFront reads web ACLs (CLOUDFRONT scope) and certificates from this region only. */
const EDGE_REGION = "us-east-1";

/** Which data stores each service uses (G5: a store accepts only the services listed here). */
const USES: Readonly<Record<ChatServiceName, { postgres?: boolean; documentDb?: boolean; kafka?: boolean; attachments?: boolean }>> = {
  "api-gateway": {},
  "auth-service": { postgres: true },
  "user-service": { postgres: true, attachments: true },
  "chat-service": { documentDb: true, kafka: true, attachments: true },
  "notification-service": { kafka: true },
};

export type ChatAppStackProps = SystemStackProps;

export class ChatAppStack extends SystemStack {
  constructor(scope: Construct, props: ChatAppStackProps) {
    super(scope, SYSTEM, props);
    const env = this.env;
    const cfg = env.systems.chatApp;
    const protection = this.protection;
    const prefix = this.prefix;

    const key = new KmsKey(this, "Key", {
      name: prefix,
      description: `${prefix}: logs, buckets, data stores, brokers and alarms`,
      // CloudFront reads the SSE-KMS attachments through origin access control, so it must decrypt with this key;
      // the bucket policy lets only this stack's distribution read (CA5).
      allowServices: ["sns.amazonaws.com", "cloudwatch.amazonaws.com", "cloudfront.amazonaws.com"],
      protection,
});
    // CA10: 10.0.0.0/16 across three AZs.
    const network = new Vpc(this, "Network", {
      name: prefix,
      cidr: cfg.vpcCidr,
      azCount: cfg.azCount,
      natGateways: cfg.natGateways,
      flowLogs: { retentionDays: cfg.logRetentionDays, kmsKeyArn: key.keyArn },
    });

    // CA2: PostgreSQL, Multi-AZ in prod, a supported major version (16, not the plan's 14).
    const database = new Database(this, "Database", {
      name: `${prefix}-db`,
      network,
      engine: { kind: "instance", instanceClass: cfg.database.instanceClass, allocatedStorageGiB: cfg.database.allocatedStorageGiB, maxAllocatedStorageGiB: cfg.database.maxAllocatedStorageGiB },
      engineVersion: "16",
      multiAz: cfg.database.multiAz,
      protection,
      kmsKeyArn: key.keyArn,
    });
    // CA3: DocumentDB, encrypted, private.
    const documentDb = new DocumentDb(this, "DocumentDb", {
      name: `${prefix}-docdb`,
      network,
      instanceClass: cfg.documentDb.instanceClass,
      instances: cfg.documentDb.instances,
      protection,
      kmsKeyArn: key.keyArn,
      logRetentionDays: cfg.logRetentionDays,
    });
    // CA4: three brokers across three AZs, a supported Kafka version.
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
    // CA6: six Redis nodes on EC2 across three AZs, backups to S3 with 7/4/3 retention.
    const redis = new RedisClusterOnEc2(this, "RedisCluster", {
      name: `${prefix}-redis`,
      network,
      instanceType: cfg.redisCluster.instanceType,
      dataVolumeGiB: cfg.redisCluster.dataVolumeGiB,
      kmsKeyArn: key.keyArn,
      backupBucketName: `${prefix}-redis-backups`,
      protection,
      logRetentionDays: cfg.logRetentionDays,
    });

    // us-east-1 (a second provider with the same default tags, G3): the CDN's web ACL and the attachments replica.
    const edge = this.regionalProvider("us_east_1", EDGE_REGION);
    const edgeKey = new KmsKey(this, "EdgeKey", {
      name: `${prefix}-edge`,
      description: `${prefix}: attachments replica and CDN firewall logs in ${EDGE_REGION}`,
      // CloudFront reads the replica through origin access control when it fails over, so it decrypts with this key.
      allowServices: ["cloudfront.amazonaws.com"],
      protection,
      provider: edge,
    });
    // CA5: a copy of every attachment in us-east-1, the CDN's failover origin (and the attachments' disaster recovery).
    const replica = new S3Bucket(this, "AttachmentsReplicaBucket", {
      bucketName: `${prefix}-attachments-replica`,
      kmsKeyArn: edgeKey.keyArn,
      provider: edge,
      protection,
});
    // CA5: attachments in a private, versioned bucket, served by CloudFront through origin access control.
    const attachments = new S3Bucket(this, "AttachmentsBucket", {
      bucketName: `${prefix}-attachments`,
      kmsKeyArn: key.keyArn,
      replicateTo: { destinationBucketArn: replica.bucketArn, destinationKmsKeyArn: edgeKey.keyArn },
      protection,
});
    // CA7: the CDN's own web ACL, CLOUDFRONT scope, with its request logs in us-east-1 too.
    const cdnFirewall = new WebAcl(this, "CdnFirewall", {
      name: `${prefix}-cdn`,
      scope: "CLOUDFRONT",
      provider: edge,
      logging: { retentionDays: cfg.logRetentionDays, kmsKeyArn: edgeKey.keyArn },
    });
    const cdn = new S3Distribution(this, "Cdn", {
      name: `${prefix}-cdn`,
      bucket: attachments,
      failoverBucket: replica,
      aliases: cfg.cdn.aliases,
      certificateArn: cfg.cdn.certificateArn,
      blockedCountries: cfg.cdn.blockedCountries,
      webAclArn: cdnFirewall.webAclArn,
    });
    attachments.addPolicyStatement(cdn.bucketPolicyStatement());
    replica.addPolicyStatement(cdn.failoverBucketPolicyStatement());

    // CA8: X-Ray sampling; task roles (ECS: xrayTracing) and pod roles (EKS) may write traces.
    new XraySamplingRule(this, "Sampling", { name: prefix, fixedRate: cfg.tracingSampleRate });
    // What each service's application calls, besides X-Ray and its secrets.
    const grantUses = (grantee: IGrantee, name: ChatServiceName): void => {
      if (USES[name].kafka) kafka.grantProduceConsume(grantee);
      if (USES[name].attachments) attachments.grantReadWrite(grantee);
    };

    // CA1: one repository per service.
    const repositories = Object.fromEntries(
      CHAT_SERVICES.map((name) => [name, new EcrRepository(this, `${pascal(name)}Repository`, { name: `${prefix}/${name}`, kmsKeyArn: key.keyArn, forceDelete: protection.forceDestroy })]),
    ) as Record<ChatServiceName, EcrRepository>;

    const topic = new AlarmTopic(this, "Alarms", { name: `${prefix}-alarms`, kmsKeyArn: key.keyArn, emailSubscriptions: cfg.alarmEmails });
    // CA7: WAF in front of the public entry; Shield Advanced (opt-in) protects the ALB on ECS.
    const firewall = (associateWith: string[]) =>
      new WebAcl(this, "Firewall", {
        name: prefix,
        shieldAdvanced: cfg.shieldAdvanced,
        logging: { retentionDays: cfg.logRetentionDays, kmsKeyArn: key.keyArn },
        associateWith,
      });

    // The secrets a pod reads through IRSA (ECS tasks read theirs through the execution role).
    const grantSecrets = (grantee: IGrantee, name: ChatServiceName): void => {
      redis.authSecret?.grantRead(grantee);
      if (USES[name].postgres) database.secret.grantRead(grantee);
      if (USES[name].documentDb) documentDb.secret.grantRead(grantee);
    };

    const grant = (client: IConnectable, name: ChatServiceName) => {
      if (USES[name].postgres) allowFrom(database, client, database.port);
      if (USES[name].documentDb) allowFrom(documentDb, client, documentDb.port);
      if (USES[name].kafka) allowFrom(kafka, client, kafka.port);
    };

    const outputs: Record<string, string> = {};
    let deployRole: GithubDeployRole;
    const repositoryArns = CHAT_SERVICES.map((n) => repositories[n].repositoryArn);

    if (cfg.compute === "ecs") {
      const cluster = new EcsCluster(this, "Cluster", {
        name: prefix,
        network,
        capacity: { kind: "fargate" },
        privateNamespace: `${prefix}.internal`,
        kmsKeyArn: key.keyArn,
        logRetentionDays: cfg.logRetentionDays,
        containerInsights: cfg.containerInsights,
      });
      const alb = new Alb(this, "LoadBalancer", { name: prefix, network, certificateArn: cfg.certificateArn, protection });
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
        const service = new EcsService(this, pascal(name), {
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
        grant(service, name); // Redis Cluster nodes accept the whole VPC on 6379/16379 (CA6).
        grantUses(service, name);
        if (isEntry) allowFrom(service, alb, SERVICE_PORT);
        return service;
      });
      // The gateway calls the four internal services on their port.
      for (const service of services.slice(1)) allowFrom(service, services[0], SERVICE_PORT);

      // With blue/green, production traffic alternates between the two groups: watch both, so a rollback alarm
      // fires whichever group the new task set is in.
      const alarms = new Alarms(this, "EdgeAlarms", {
        topic,
        alarms: [
          ...albAlarms({ name: `${prefix}-alb`, albArnSuffix: alb.arnSuffix, targetGroupArnSuffix: target.arnSuffix }),
          ...(pair ? albAlarms({ name: `${prefix}-alb-green`, idPrefix: "Green", albArnSuffix: alb.arnSuffix, targetGroupArnSuffix: pair[1].arnSuffix }) : []),
        ],
      });
      let blueGreen: EcsBlueGreen | undefined;
      if (pair) {
        blueGreen = new EcsBlueGreen(this, "ApiGatewayBlueGreen", {
          name: `${prefix}-api-gateway`,
          clusterName: cluster.clusterName,
          serviceName: services[0].serviceName,
          listenerArn: alb.listenerArn,
          blueTargetGroupName: pair[0].targetGroupName,
          greenTargetGroupName: pair[1].targetGroupName,
          rollbackAlarmNames: Object.values(alarms.alarmNames),
        });
      }
      deployRole = new GithubDeployRole(this, "DeployRole", {
        name: `${prefix}-github-deploy`,
        repositories: [`${env.githubOrg}/${SYSTEM}`],
        ecrRepositoryArns: repositoryArns,
        ecs: { clusterArn: cluster.clusterArn, serviceArns: services.map((s) => s.serviceArn), passRoleArns: services.flatMap((s) => [s.taskRoleArn, s.executionRoleArn]) },
        ...(blueGreen ? { codeDeploy: { applicationArn: blueGreen.applicationArn, deploymentGroupArn: blueGreen.deploymentGroupArn } } : {}),
      });
      outputs.alb_dns_name = alb.dnsName;
      outputs.cluster_name = cluster.clusterName;
    } else {
      const cluster = new EksCluster(this, "Cluster", {
        name: prefix,
        network,
        kubernetesVersion: cfg.eks.kubernetesVersion,
        nodeGroups: [{ name: "default", instanceTypes: cfg.eks.instanceTypes, minSize: cfg.eks.minSize, desiredSize: cfg.eks.desiredSize, maxSize: cfg.eks.maxSize }],
        logRetentionDays: cfg.logRetentionDays,
        logKmsKeyArn: key.keyArn,
        secretsKmsKeyArn: key.keyArn,
      });
      // On EKS the ingress controller creates the ALB; it attaches this ACL through its wafv2-acl-arn annotation.
      outputs.waf_acl_arn = firewall([]).webAclArn;
      // Pods share the cluster's security group; the data stores accept it for the services that use them.
      for (const name of CHAT_SERVICES) grant(cluster, name);
      for (const name of CHAT_SERVICES) {
        const role = cluster.serviceAccountRole(`${pascal(name)}Role`, {
          name: `${prefix}-${name}`,
          namespace: SYSTEM,
          serviceAccount: name,
        });
        grantUses(role, name);
        grantTraceWrite(role);
        grantSecrets(role, name);
        outputs[`${name.replace(/-/g, "_")}_role_arn`] = role.roleArn;
      }
      deployRole = new GithubDeployRole(this, "DeployRole", {
        name: `${prefix}-github-deploy`,
        repositories: [`${env.githubOrg}/${SYSTEM}`],
        ecrRepositoryArns: repositoryArns,
        eks: { clusterArn: cluster.clusterArn },
      });
      cluster.grantAccess("DeployAccess", { principalArn: deployRole.roleArn, policy: "AmazonEKSEditPolicy", namespaces: [SYSTEM] });
      outputs.cluster_name = cluster.clusterName;
      outputs.cluster_endpoint = cluster.endpoint;
    }

    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
    new TerraformOutput(this, "cdn_domain_name", { value: cdn.domainName });
    new TerraformOutput(this, "attachments_bucket", { value: attachments.bucketName });
    new TerraformOutput(this, "attachments_replica_bucket", { value: replica.bucketName });
    new TerraformOutput(this, "cdn_waf_acl_arn", { value: cdnFirewall.webAclArn });
    new TerraformOutput(this, "redis_cluster_nodes", { value: redis.privateIps });
    new TerraformOutput(this, "database_endpoint", { value: database.endpoint.address });
    new TerraformOutput(this, "documentdb_endpoint", { value: documentDb.endpoint.address });
    new TerraformOutput(this, "kafka_bootstrap_brokers", { value: kafka.bootstrapBrokersSaslIam });
    new TerraformOutput(this, "deploy_role_arn", { value: deployRole.roleArn });
  }
}
