import { TerraformOutput } from "cdktf";
import { kraftClusterId, SelfHostedKafka, SelfHostedKafkaProps } from "../../modules/kafka";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { allowFrom } from "../../modules/core";
import { only, resources, synthWith } from "../support/synth";
import { deniesInsecureTransport } from "../support/stacks";
import { AP8_TOPICS, ec2Cluster, env, fargateCluster, named, selfHosted, Workload } from "./kafka.fixture";

// Kafka as an ECS service (KRaft, EFS log directory, topics). ManagedKafka (MSK): kafka-managed.test.ts; options: kafka-options.test.ts.
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
