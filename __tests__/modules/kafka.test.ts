import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { kraftClusterId, ManagedKafka, ManagedKafkaProps, SelfHostedKafka, SelfHostedKafkaProps } from "../../modules/kafka";
import type { IEcsCluster } from "../../modules/ecs-cluster";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { allowFrom, INetwork, policyDocument } from "../../modules/core";
import { only, resources, Synthesized, synthWith } from "../support/synth";
import { deniesInsecureTransport } from "../support/stacks";

const network: INetwork = {
  vpcId: "vpc-123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};
const threeAzs: INetwork = {
  ...network,
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"],
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
};
const namespace = { id: "ns-123", name: "alerting-platform.dev.internal", arn: "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-123" };
const ec2Cluster: IEcsCluster = {
  clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/alerting-platform-dev",
  clusterName: "alerting-platform-dev",
  launchType: "EC2",
  capacityProviderName: "alerting-platform-dev-ec2",
  namespace,
};
const fargateCluster: IEcsCluster = { ...ec2Cluster, launchType: "FARGATE", capacityProviderName: "FARGATE_SPOT" };

const AP8_TOPICS = ["alerts.new", "rule.changed", "alerts.matched", "notifications.ready"].map((name) => ({ name, partitions: 9 }));
const selfHosted: SelfHostedKafkaProps = { name: "alerting-platform-dev-kafka", network, cluster: ec2Cluster, topics: AP8_TOPICS, logRetentionDays: 7 };

class Workload extends Construct {
  readonly securityGroupId = "sg-service";
}

interface Container {
  name: string;
  essential: boolean;
  environment?: { name: string; value: string }[];
  command?: string[];
  entryPoint?: string[];
  dependsOn?: { containerName: string; condition: string }[];
  mountPoints?: { sourceVolume: string; containerPath: string }[];
  healthCheck?: { command: string[] };
  logConfiguration: { options: Record<string, string> };
}

function containers(s: Synthesized): Container[] {
  return JSON.parse(only(s, "aws_ecs_task_definition").container_definitions as string);
}
function env(c: Container): Record<string, string> {
  return Object.fromEntries((c.environment ?? []).map((e) => [e.name, e.value]));
}
function named(s: Synthesized, name: string): Container {
  const c = containers(s).find((x) => x.name === name);
  if (!c) throw new Error(`no container ${name}`);
  return c;
}

describe("SelfHostedKafka", () => {
  describe("with defaults on an EC2 cluster", () => {
    let kafka!: SelfHostedKafka;
    const s = synthWith((scope) => {
      kafka = new SelfHostedKafka(scope, "Kafka", selfHosted);
      new TerraformOutput(scope, "FileSystem", { value: kafka.fileSystemId });
    });
    const broker = () => env(named(s, "kafka"));

    it("AP7: runs Kafka in KRaft combined mode with no ZooKeeper", () => {
      expect(broker().KAFKA_PROCESS_ROLES).toBe("broker,controller");
      expect(broker().KAFKA_NODE_ID).toBe("1");
      expect(broker().KAFKA_CONTROLLER_QUORUM_VOTERS).toBe("1@localhost:9093");
      expect(broker().KAFKA_LISTENERS).toMatch(/^PLAINTEXT:\/\/:9092,CONTROLLER:\/\/:9093/);
      expect(Object.keys(broker()).some((k) => /ZOOKEEPER/i.test(k))).toBe(false);
      expect(s.json).not.toMatch(/zookeeper/i);
      expect(named(s, "kafka")).toMatchObject({ essential: true });
      expect(only(s, "aws_ecs_task_definition").container_definitions).toContain("apache/kafka:4.1.0");
    });

    it("AP7: is reachable by its Cloud Map name kafka.<namespace>:9092", () => {
      const discovery = only(s, "aws_service_discovery_service");
      expect(discovery.name).toBe("kafka");
      expect(discovery.dns_config.namespace_id).toBe("ns-123");
      expect(discovery.dns_config.dns_records).toEqual([{ ttl: 10, type: "A" }]);
      expect(only(s, "aws_ecs_service").service_registries.registry_arn).toMatch(/aws_service_discovery_service\.\w+\.arn/);
      expect(kafka.bootstrapServers).toBe("kafka.alerting-platform.dev.internal:9092");
      expect(broker().KAFKA_ADVERTISED_LISTENERS).toContain("PLAINTEXT://kafka.alerting-platform.dev.internal:9092");
      expect(kafka.port).toBe(9092);
    });

    it("AP7: keeps its log directory on encrypted EFS, mounted with TLS and IAM through an access point", () => {
      expect(s.json).toHaveResourceWithProperties(EfsFileSystem, { encrypted: true, performance_mode: "generalPurpose", throughput_mode: "bursting" });
      const volume = only(s, "aws_ecs_task_definition").volume[0];
      expect(volume.efs_volume_configuration.transit_encryption).toBe("ENABLED");
      expect(volume.efs_volume_configuration.authorization_config.iam).toBe("ENABLED");
      expect(volume.efs_volume_configuration.authorization_config.access_point_id).toMatch(/aws_efs_access_point/);
      expect(named(s, "kafka").mountPoints).toEqual([{ sourceVolume: "kafka-data", containerPath: "/var/lib/kafka/data", readOnly: false }]);
      expect(broker().KAFKA_LOG_DIRS).toBe("/var/lib/kafka/data");
      const ap = only(s, "aws_efs_access_point");
      expect(ap.posix_user).toEqual({ uid: 1000, gid: 1000 });
      expect(s.parsed.output?.FileSystem.value).toMatch(/aws_efs_file_system\.\w+\.id/);
    });

    it("AP8: declares four topics of 9 partitions and creates them with a one-shot init container", () => {
      expect(kafka.topics.map((t) => t.name)).toEqual(["alerts.new", "rule.changed", "alerts.matched", "notifications.ready"]);
      const init = named(s, "create-topics");
      expect(init.essential).toBe(false);
      expect(init.dependsOn).toEqual([{ containerName: "kafka", condition: "HEALTHY" }]);
      const script = init.command![0];
      for (const topic of AP8_TOPICS) {
        expect(script).toContain(`--create --if-not-exists --topic '${topic.name}' --partitions 9 --replication-factor 1`);
      }
      expect(script.match(/kafka-topics\.sh/g)).toHaveLength(4);
      expect(init.entryPoint).toEqual(["/bin/sh", "-c"]);
    });

    it("health-checks the broker through a loopback listener so the check never waits for DNS", () => {
      const check = named(s, "kafka").healthCheck!.command;
      expect(check[0]).toBe("CMD-SHELL");
      expect(check[1]).toContain("kafka-broker-api-versions.sh --bootstrap-server 127.0.0.1:9094");
      expect(broker().KAFKA_ADVERTISED_LISTENERS).toContain("LOCAL://127.0.0.1:9094");
    });

    it("is a singleton: one task, the old one stopped before the new one starts", () => {
      expect(s.json).toHaveResourceWithProperties(EcsService, {
        desired_count: 1,
        deployment_maximum_percent: 100,
        deployment_minimum_healthy_percent: 0,
      });
    });

    it("runs on the cluster's EC2 capacity provider in private subnets without a public IP", () => {
      const service = only(s, "aws_ecs_service");
      expect(service.capacity_provider_strategy).toEqual([{ capacity_provider: "alerting-platform-dev-ec2", weight: 1, base: 0 }]);
      expect(service.launch_type).toBeUndefined();
      expect(service.network_configuration.subnets).toEqual(["subnet-priv-a", "subnet-priv-b"]);
      expect(service.network_configuration.assign_public_ip).toBe(false);
      expect(only(s, "aws_ecs_task_definition").network_mode).toBe("awsvpc");
      expect(only(s, "aws_ecs_task_definition").requires_compatibilities).toEqual(["EC2"]);
    });

    it("G5: puts a mount target in each private subnet that accepts NFS only from the broker", () => {
      const targets = Object.values(resources(s, "aws_efs_mount_target"));
      expect(targets.map((t) => t.subnet_id)).toEqual(["subnet-priv-a", "subnet-priv-b"]);
      const rules = Object.values(resources(s, "aws_vpc_security_group_ingress_rule"));
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({ from_port: 2049, to_port: 2049, ip_protocol: "tcp" });
      expect(rules[0].referenced_security_group_id).toMatch(/Kafka_SecurityGroup/);
      expect(deniesInsecureTransport(only(s, "aws_efs_file_system_policy").policy)).toBe(true);
    });

    it("G8: backs the log directory up daily with AWS Backup, 35 days by default, and waits for the mount targets", () => {
      expect(only(s, "aws_backup_selection").resources).toEqual([expect.stringMatching(/aws_efs_file_system\.\w+\.arn/)]);
      expect(only(s, "aws_backup_plan").rule[0].lifecycle.delete_after).toBe(35);
      expect(only(s, "aws_efs_file_system").creation_token).toBe("alerting-platform-dev-kafka-data");
      expect(only(s, "aws_ecs_service").depends_on).toHaveLength(2);
    });

    it("G9: gives the task role only ClientMount/ClientWrite through its access point", () => {
      const policies = Object.values(resources(s, "aws_iam_role_policy")).map((p) => p.policy as string);
      const task = policies.find((p) => p.includes("elasticfilesystem"))!;
      expect(task).toContain("elasticfilesystem:ClientMount");
      expect(task).toContain("elasticfilesystem:ClientWrite");
      expect(task).toContain("elasticfilesystem:AccessPointArn");
      expect(task).not.toMatch(/elasticfilesystem:\*/);
      const exec = policies.find((p) => p.includes("logs:PutLogEvents"))!;
      expect(exec).not.toContain("ecr:");
    });

    it("G9: logs both containers to its own log group /ecs/<name>", () => {
      const group = only(s, "aws_cloudwatch_log_group");
      expect(group.name).toBe("/ecs/alerting-platform-dev-kafka");
      expect(group.retention_in_days).toBe(7);
      expect(named(s, "create-topics").logConfiguration.options["awslogs-stream-prefix"]).toBe("create-topics");
    });

    it("formats storage with a stable cluster id derived from the name", () => {
      const id = broker().CLUSTER_ID;
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(id).toBe(kraftClusterId("alerting-platform-dev-kafka"));
      expect(kraftClusterId("other-kafka")).not.toBe(id);
    });

    it("keeps messages 168 hours, refuses auto-created topics and sizes the heap to half the task", () => {
      expect(broker().KAFKA_LOG_RETENTION_HOURS).toBe("168");
      expect(broker().KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe("false");
      expect(broker().KAFKA_HEAP_OPTS).toBe("-Xmx512m -Xms512m");
      expect(only(s, "aws_ecs_task_definition")).toMatchObject({ cpu: "512", memory: "1024" });
      expect(only(s, "aws_efs_file_system").lifecycle.prevent_destroy).toBe(false);
    });

    it("lets a stack allow a workload in on 9092", () => {
      const s2 = synthWith((scope) => {
        const k = new SelfHostedKafka(scope, "Kafka", selfHosted);
        allowFrom(k, new Workload(scope, "Evaluator"), k.port);
      });
      const rules = Object.values(resources(s2, "aws_vpc_security_group_ingress_rule"));
      expect(rules.find((r) => r.from_port === 9092)?.referenced_security_group_id).toBe("sg-service");
    });
  });

  describe("on a Fargate cluster with options", () => {
    const s = synthWith((scope) =>
      new SelfHostedKafka(scope, "Kafka", {
        ...selfHosted,
        cluster: fargateCluster,
        cpu: 1024,
        memoryMiB: 4096,
        retentionHours: 24,
        image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/kafka:4.1.0",
        imageRepositoryArn: "arn:aws:ecr:eu-west-1:123456789012:repository/kafka",
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        preventDestroy: true,
        logGroupName: "/ecs/alerting-platform/dev/kafka",
        topics: [{ name: "alerts.new", partitions: 3 }],
      }),
    );

    it("runs on regular Fargate (never Spot) with platform LATEST", () => {
      const service = only(s, "aws_ecs_service");
      expect(service.launch_type).toBe("FARGATE");
      expect(service.capacity_provider_strategy).toBeUndefined();
      expect(service.platform_version).toBe("LATEST");
    });

    it("encrypts EFS and logs with the customer key and protects the file system", () => {
      const fs = only(s, "aws_efs_file_system");
      expect(fs.kms_key_id).toBe("arn:aws:kms:eu-west-1:123456789012:key/abc");
      expect(fs.lifecycle.prevent_destroy).toBe(true);
      expect(only(s, "aws_cloudwatch_log_group").kms_key_id).toBe("arn:aws:kms:eu-west-1:123456789012:key/abc");
    });

    it("AP12: uses the log group name the stack chose", () => {
      expect(only(s, "aws_cloudwatch_log_group").name).toBe("/ecs/alerting-platform/dev/kafka");
    });

    it("lets the execution role pull from the ECR repository only", () => {
      const exec = Object.values(resources(s, "aws_iam_role_policy")).map((p) => p.policy as string).find((p) => p.includes("ecr:BatchGetImage"))!;
      expect(exec).toContain("arn:aws:ecr:eu-west-1:123456789012:repository/kafka");
    });

    it("passes retention hours and the heap size to the broker", () => {
      expect(env(named(s, "kafka")).KAFKA_LOG_RETENTION_HOURS).toBe("24");
      expect(env(named(s, "kafka")).KAFKA_HEAP_OPTS).toBe("-Xmx2048m -Xms2048m");
    });
  });

  describe("backupRetentionDays", () => {
    it("G8: sets the recovery points' retention", () => {
      const s = synthWith((scope) => new SelfHostedKafka(scope, "Kafka", { ...selfHosted, backupRetentionDays: 7 }));
      expect(only(s, "aws_backup_plan").rule[0].lifecycle.delete_after).toBe(7);
    });

    it("false declares no plan and keeps EFS automatic backups on", () => {
      const s = synthWith((scope) => new SelfHostedKafka(scope, "Kafka", { ...selfHosted, backupRetentionDays: false }));
      expect(resources(s, "aws_backup_plan")).toEqual({});
      expect(only(s, "aws_efs_backup_policy").backup_policy.status).toBe("ENABLED");
    });

    it("refuses a retention AWS Backup does not accept", () => {
      expect(() => synthWith((scope) => new SelfHostedKafka(scope, "Kafka", { ...selfHosted, backupRetentionDays: 0 }))).toThrow(
        /test\/Kafka: backupRetentionDays = 0 is not allowed; expected a whole number from 1 to 36500/,
      );
    });

    it("refuses a retention without durable storage", () => {
      expect(() => synthWith((scope) => new SelfHostedKafka(scope, "Kafka", { ...selfHosted, durableStorage: false, backupRetentionDays: 7 }))).toThrow(
        /test\/Kafka: backupRetentionDays = 7 is not allowed; expected no value when durableStorage is false/,
      );
    });
  });

  describe("without durable storage", () => {
    const s = synthWith((scope) => new SelfHostedKafka(scope, "Kafka", { ...selfHosted, durableStorage: false }));

    it("creates no EFS, no volume and no mount point", () => {
      expect(resources(s, "aws_efs_file_system")).toEqual({});
      expect(resources(s, "aws_efs_mount_target")).toEqual({});
      expect(only(s, "aws_ecs_task_definition").volume).toBeUndefined();
      expect(named(s, "kafka").mountPoints).toBeUndefined();
      expect(only(s, "aws_ecs_service").depends_on).toBeUndefined();
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<SelfHostedKafkaProps>) => () => synthWith((scope) => new SelfHostedKafka(scope, "Kafka", { ...selfHosted, ...props }));

    it("a topic name with characters Kafka does not allow", () => {
      expect(build({ topics: [{ name: "alerts/new", partitions: 9 }] })).toThrow(/test\/Kafka: topics\[0\]\.name = "alerts\/new" is not allowed; expected a Kafka topic name/);
    });
    it("the topic names \".\" and \"..\"", () => {
      expect(build({ topics: [{ name: "..", partitions: 1 }] })).toThrow(/topics\[0\]\.name = "\.\." is not allowed; expected a name other than/);
    });
    it("a topic name longer than 249 characters", () => {
      expect(build({ topics: [{ name: "a".repeat(250), partitions: 1 }] })).toThrow(/topics\[0\]\.name = "a+" is not allowed; expected at most 249 characters/);
    });
    it("a duplicate topic", () => {
      expect(build({ topics: [{ name: "alerts.new", partitions: 9 }, { name: "alerts.new", partitions: 3 }] })).toThrow(/topics\[1\]\.name = "alerts.new" is not allowed; expected each topic once/);
    });
    it("topics whose names collide in Kafka's metrics", () => {
      expect(build({ topics: [{ name: "alerts.new", partitions: 9 }, { name: "alerts_new", partitions: 9 }] })).toThrow(/topics\[1\]\.name = "alerts_new" .* collides with\) "alerts.new"/);
    });
    it("a topic with no partitions or too many", () => {
      expect(build({ topics: [{ name: "t", partitions: 0 }] })).toThrow(/topics\[0\]\.partitions = 0 is not allowed; expected a whole number from 1 to 1000/);
      expect(build({ topics: [{ name: "t", partitions: 1001 }] })).toThrow(/topics\[0\]\.partitions = 1001 is not allowed/);
    });
    it("a replication factor above the one broker", () => {
      expect(build({ topics: [{ name: "t", partitions: 3, replicationFactor: 3 }] })).toThrow(/topics\[0\]\.replicationFactor = 3 is not allowed; expected a whole number from 1 to 1/);
    });
    it("an empty topic list", () => {
      expect(build({ topics: [] })).toThrow(/topics = \[\] is not allowed; expected at least one entry/);
    });
    it("a retention under one hour", () => {
      expect(build({ retentionHours: 0 })).toThrow(/retentionHours = 0 is not allowed; expected a whole number from 1/);
    });
    it("a CPU size Fargate does not offer", () => {
      expect(build({ cluster: fargateCluster, cpu: 300 })).toThrow(/cpu = 300 is not allowed; expected a Fargate CPU size/);
    });
    it("memory that does not match the Fargate CPU size", () => {
      expect(build({ cluster: fargateCluster, cpu: 512, memoryMiB: 1500 })).toThrow(/memoryMiB = 1500 is not allowed; expected 1024-4096 MiB in steps of 1024/);
    });
    it("too little memory for a broker on EC2", () => {
      expect(build({ memoryMiB: 512 })).toThrow(/memoryMiB = 512 is not allowed; expected a whole number from 768/);
    });
    it("a cluster without a Cloud Map namespace", () => {
      expect(build({ cluster: { ...ec2Cluster, namespace: undefined } })).toThrow(/cluster\.namespace = undefined is not allowed; expected an ECS cluster with a Cloud Map namespace/);
    });
    it("a log retention CloudWatch does not offer", () => {
      expect(build({ logRetentionDays: 8 })).toThrow(/logRetentionDays = 8 is not allowed; expected a CloudWatch Logs retention value/);
    });
    it("a name ECS cannot use", () => {
      expect(build({ name: "kafka.broker" })).toThrow(/name = "kafka.broker" is not allowed; expected 1-255 letters, digits, hyphens and underscores/);
    });
  });
});

const managed: ManagedKafkaProps = { name: "chat-app-prod-kafka", network: threeAzs };

describe("ManagedKafka", () => {
  describe("with defaults across three AZs", () => {
    let msk!: ManagedKafka;
    const s = synthWith((scope) => {
      msk = new ManagedKafka(scope, "Msk", managed);
      new TerraformOutput(scope, "Iam", { value: msk.bootstrapBrokersSaslIam });
    });
    const cluster = () => only(s, "aws_msk_cluster");

    it("CA4: runs 3 brokers spread over the 3 private subnets (AZs)", () => {
      expect(cluster().number_of_broker_nodes).toBe(3);
      expect(cluster().broker_node_group_info.client_subnets).toEqual(["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"]);
    });

    it("DA3: keeps brokers private, requires TLS and IAM auth, encrypts at rest, on a supported version", () => {
      expect(s.json).toHaveResourceWithProperties(MskCluster, {
        kafka_version: "3.8.x",
        client_authentication: { sasl: { iam: true, scram: false }, unauthenticated: false },
        encryption_info: { encryption_in_transit: { client_broker: "TLS", in_cluster: true } },
      });
      expect(cluster().broker_node_group_info.connectivity_info.public_access.type).toBe("DISABLED");
      expect(msk.port).toBe(9098);
      expect(s.parsed.output?.Iam.value).toMatch(/bootstrap_brokers_sasl_iam/);
    });

    it("uses kafka.t3.small brokers with 100 GiB each and per-partition metrics for lag alarms", () => {
      expect(cluster().broker_node_group_info.instance_type).toBe("kafka.t3.small");
      expect(cluster().broker_node_group_info.storage_info.ebs_storage_info.volume_size).toBe(100);
      expect(cluster().enhanced_monitoring).toBe("PER_TOPIC_PER_PARTITION");
      expect(cluster().open_monitoring.prometheus.jmx_exporter.enabled_in_broker).toBe(false);
    });

    it("sets safe broker defaults in a configuration created before the old one is destroyed", () => {
      const config = only(s, "aws_msk_configuration");
      expect(config.server_properties).toContain("auto.create.topics.enable=false");
      expect(config.server_properties).toContain("default.replication.factor=3");
      expect(config.server_properties).toContain("min.insync.replicas=2");
      expect(config.server_properties).toContain("num.partitions=3");
      expect(config.kafka_versions).toEqual(["3.8.x"]);
      expect(config.name).toMatch(/^chat-app-prod-kafka-[0-9a-f]{8}$/);
      expect(config.lifecycle.create_before_destroy).toBe(true);
      expect(cluster().configuration_info.revision).toMatch(/latest_revision/);
    });

    it("sends broker logs to /msk/<name> for 30 days", () => {
      const group = only(s, "aws_cloudwatch_log_group");
      expect(group.name).toBe("/msk/chat-app-prod-kafka");
      expect(group.retention_in_days).toBe(30);
      expect(cluster().logging_info.broker_logs.cloudwatch_logs.enabled).toBe(true);
    });

    it("G5: has its own security group with no egress and no ingress until a stack allows a client", () => {
      expect(Object.keys(resources(s, "aws_security_group"))).toHaveLength(1);
      expect(resources(s, "aws_vpc_security_group_egress_rule")).toEqual({});
      expect(resources(s, "aws_vpc_security_group_ingress_rule")).toEqual({});
    });

    it("gives clients IAM statements scoped to this cluster's topics and groups", () => {
      const statements = msk.clientPolicyStatements("chat.");
      const actions = statements.flatMap((st) => st.actions);
      for (const a of ["Connect", "DescribeCluster", "ReadData", "WriteData", "DescribeTopic", "AlterGroup", "DescribeGroup"]) {
        expect(actions).toContain(`kafka-cluster:${a}`);
      }
      const s2 = synthWith((scope) => {
        const m = new ManagedKafka(scope, "Msk", managed);
        new TerraformOutput(scope, "Policy", { value: policyDocument(m.clientPolicyStatements("chat.")) });
      });
      const policy = s2.parsed.output?.Policy.value as string;
      expect(policy).toMatch(/replace\(aws_msk_cluster\.\w+\.arn, ":cluster\/", ":topic\/"\)\}\/chat\.\*/);
      expect(policy).toMatch(/":group\/"\)\}\/\*/);
      expect(policy).not.toMatch(/"Resource": *\["\*"\]/);
    });
  });

  describe("with two AZs, a customer key and options", () => {
    const s = synthWith((scope) =>
      new ManagedKafka(scope, "Msk", {
        name: "dotnet-api-prod-kafka",
        network,
        brokerCount: 4,
        kafkaVersion: "3.9.x",
        instanceType: "kafka.m7g.large",
        volumeGiB: 500,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        brokerLogs: { retentionDays: 90 },
        preventDestroy: true,
        enhancedMonitoring: "PER_TOPIC_PER_BROKER",
      }),
    );
    const cluster = () => only(s, "aws_msk_cluster");

    it("G6: encrypts at rest and the broker logs with the customer key", () => {
      expect(cluster().encryption_info.encryption_at_rest_kms_key_arn).toBe("arn:aws:kms:eu-west-1:123456789012:key/abc");
      expect(only(s, "aws_cloudwatch_log_group").kms_key_id).toBe("arn:aws:kms:eu-west-1:123456789012:key/abc");
      expect(only(s, "aws_cloudwatch_log_group").retention_in_days).toBe(90);
    });

    it("runs 4 brokers (2 per AZ) with min.insync.replicas 2", () => {
      expect(cluster().number_of_broker_nodes).toBe(4);
      expect(only(s, "aws_msk_configuration").server_properties).toContain("min.insync.replicas=2");
      expect(only(s, "aws_msk_configuration").server_properties).toContain("default.replication.factor=3");
    });

    it("carries prevent_destroy and the chosen sizes", () => {
      expect(cluster().lifecycle.prevent_destroy).toBe(true);
      expect(cluster()).toMatchObject({ kafka_version: "3.9.x", enhanced_monitoring: "PER_TOPIC_PER_BROKER" });
      expect(cluster().broker_node_group_info.storage_info.ebs_storage_info.volume_size).toBe(500);
    });
  });

  describe("with two brokers and no broker logs", () => {
    const s = synthWith((scope) => new ManagedKafka(scope, "Msk", { name: "dev-kafka", network, brokerLogs: false }));

    it("replicates twice, accepts one in-sync replica and creates no log group", () => {
      const props = only(s, "aws_msk_configuration").server_properties as string;
      expect(props).toContain("default.replication.factor=2");
      expect(props).toContain("min.insync.replicas=1");
      expect(props).toContain("num.partitions=2");
      expect(resources(s, "aws_cloudwatch_log_group")).toEqual({});
      expect(only(s, "aws_msk_cluster").logging_info.broker_logs.cloudwatch_logs.enabled).toBe(false);
    });

    it("names the configuration after its content, so a change makes a new one", () => {
      const other = synthWith((scope) => new ManagedKafka(scope, "Msk", { name: "dev-kafka", network, brokerLogs: false, defaultPartitions: 6 }));
      expect(only(other, "aws_msk_configuration").name).not.toBe(only(s, "aws_msk_configuration").name);
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<ManagedKafkaProps>) => () => synthWith((scope) => new ManagedKafka(scope, "Msk", { ...managed, ...props }));

    it("DA3: Kafka 2.x, naming the supported versions", () => {
      expect(build({ kafkaVersion: "2.8.1" })).toThrow(/test\/Msk: kafkaVersion = "2.8.1" is not allowed; Kafka 1.x and 2.x have reached end of support on MSK; expected one of 3.6.0, 3.7.x, 3.8.x/);
    });
    it("a 3.x version past its end of support", () => {
      expect(build({ kafkaVersion: "3.4.0" })).toThrow(/kafkaVersion = "3.4.0" is not allowed; expected a Kafka version MSK supports/);
    });
    it("a broker count that is not a multiple of the AZs", () => {
      expect(build({ brokerCount: 4 })).toThrow(/brokerCount = 4 is not allowed; expected a multiple of the 3 private subnets/);
    });
    it("a single broker", () => {
      expect(build({ network, brokerCount: 1 })).toThrow(/brokerCount = 1 is not allowed; expected a whole number from 2/);
    });
    it("a volume outside 1-16384 GiB", () => {
      expect(build({ volumeGiB: 20000 })).toThrow(/volumeGiB = 20000 is not allowed; expected a whole number from 1 to 16384/);
    });
    it("an instance type without the kafka. prefix", () => {
      expect(build({ instanceType: "m5.large" })).toThrow(/instanceType = "m5.large" is not allowed; expected an MSK broker type/);
    });
    it("a log retention CloudWatch does not offer", () => {
      expect(build({ brokerLogs: { retentionDays: 2 } })).toThrow(/brokerLogs\.retentionDays = 2 is not allowed; expected a CloudWatch Logs retention value/);
    });
    it("a network with more than three private subnets", () => {
      const four = { ...threeAzs, privateSubnetIds: ["a", "b", "c", "d"] };
      expect(build({ network: four })).toThrow(/network\.privateSubnetIds = \["a","b","c","d"\] is not allowed; expected 2 or 3 private subnets/);
    });
    it("a topic prefix with characters Kafka does not allow", () => {
      expect(() => synthWith((scope) => new ManagedKafka(scope, "Msk", managed).clientPolicyStatements("chat/*"))).toThrow(/topicsPrefix = "chat\/\*" is not allowed/);
    });
  });
});
