import { TerraformOutput } from "cdktf";
import { ManagedKafka, ManagedKafkaProps } from "../../modules/kafka";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { policyDocument } from "../../modules/core";
import { only, resources, synthWith } from "../support/synth";
import { network, threeAzs } from "./kafka.fixture";

// Amazon MSK: brokers, encryption, configuration, logs and client permissions. SelfHostedKafka: kafka.test.ts.
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
