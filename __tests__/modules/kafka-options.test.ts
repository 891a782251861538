import { ManagedKafka, ManagedKafkaProps } from "../../modules/kafka";
import { INetwork } from "../../modules/core";
import { only, resources, synthWith } from "../support/synth";
import { threeAzNetwork, withDatabaseTier } from "../support/networks";

const network: INetwork = withDatabaseTier(threeAzNetwork);
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_chat-app-prod-alice-AbCdEf";
const build = (props: Partial<ManagedKafkaProps> = {}) => synthWith((scope) => new ManagedKafka(scope, "Kafka", { name: "sys-dev-kafka", network, ...props }));

describe("ManagedKafka options (issue 8.8)", () => {
  it("issue 8.4: brokers sit in the network's isolated database subnets", () => {
    expect(only(build(), "aws_msk_cluster").broker_node_group_info.client_subnets).toEqual(["subnet-db-a", "subnet-db-b", "subnet-db-c"]);
  });

  it("issue 8.8: storage auto scaling tracks broker disk use on kafka:broker-storage:VolumeSize, scale-out only", () => {
    const s = build({ volumeGiB: 100, storageAutoScaling: { maxVolumeGiB: 1000 } });
    const target = only(s, "aws_appautoscaling_target");
    expect(target).toMatchObject({ service_namespace: "kafka", scalable_dimension: "kafka:broker-storage:VolumeSize", min_capacity: 1, max_capacity: 1000 });
    expect(target.resource_id).toMatch(/^\$\{aws_msk_cluster\.Kafka_Cluster_[A-Z0-9]+\.arn\}$/);
    const policy = only(s, "aws_appautoscaling_policy");
    expect(policy.policy_type).toBe("TargetTrackingScaling");
    expect(policy.target_tracking_scaling_policy_configuration).toEqual({ predefined_metric_specification: { predefined_metric_type: "KafkaBrokerStorageUtilization" }, target_value: 60, disable_scale_in: true });
    expect(only(s, "aws_msk_cluster").lifecycle.ignore_changes).toEqual(["broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size"]);
  });

  it("issue 8.8: SASL/SCRAM beside IAM, with the AmazonMSK_ secrets associated", () => {
    const s = build({ scram: { secretArns: [SECRET] } });
    expect(only(s, "aws_msk_cluster").client_authentication).toEqual({ sasl: { iam: true, scram: true }, unauthenticated: false });
    const assoc = only(s, "aws_msk_scram_secret_association");
    expect(assoc.secret_arn_list).toEqual([SECRET]);
    expect(assoc.cluster_arn).toMatch(/^\$\{aws_msk_cluster\.Kafka_Cluster_[A-Z0-9]+\.arn\}$/);
  });

  it("issue 8.8: IAM only and no scaling by default", () => {
    const s = build();
    expect(only(s, "aws_msk_cluster").client_authentication.sasl).toEqual({ iam: true, scram: false });
    expect(resources(s, "aws_msk_scram_secret_association")).toEqual({});
    expect(resources(s, "aws_appautoscaling_target")).toEqual({});
  });

  it("issue 8.8: custom server properties merged over the module's, in the versioned configuration", () => {
    const s = build({ serverProperties: { "log.retention.hours": 168, "num.partitions": 6, "compression.type": "zstd" } });
    const lines = String(only(s, "aws_msk_configuration").server_properties).split("\n");
    expect(lines).toEqual([
      "auto.create.topics.enable=false", "compression.type=zstd", "default.replication.factor=3", "log.retention.hours=168",
      "min.insync.replicas=2", "num.partitions=6", "unclean.leader.election.enable=false",
    ]);
    expect(only(s, "aws_msk_configuration").name).not.toBe(only(build(), "aws_msk_configuration").name);
  });

  describe("refuses", () => {
    const refuse = (props: Partial<ManagedKafkaProps>) => () => build(props);
    it("a scaling ceiling not above the volume, or a target outside 10-90 %", () => {
      expect(refuse({ volumeGiB: 100, storageAutoScaling: { maxVolumeGiB: 100 } })).toThrow(/^test\/Kafka: storageAutoScaling\.maxVolumeGiB = 100 is not allowed; expected a whole number from 101 to 16384$/);
      expect(refuse({ storageAutoScaling: { maxVolumeGiB: 500, targetUtilizationPercent: 95 } })).toThrow(/storageAutoScaling\.targetUtilizationPercent = 95 is not allowed; expected a whole number from 10 to 90/);
    });
    it("SCRAM secrets not named AmazonMSK_, none, or repeated", () => {
      expect(refuse({ scram: { secretArns: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:alice-AbCdEf"] } })).toThrow(/^test\/Kafka: scram\.secretArns\[0\] = ".*:secret:alice-AbCdEf" is not allowed; expected a Secrets Manager secret ARN whose name starts with "AmazonMSK_"/);
      expect(refuse({ scram: { secretArns: [] } })).toThrow(/scram\.secretArns = \[\] is not allowed; expected at least one entry/);
      expect(refuse({ scram: { secretArns: [SECRET, SECRET] } })).toThrow(/scram\.secretArns\[1\] = .* is not allowed; expected each secret once/);
    });
    it("a server property with a bad name or a multi-line value", () => {
      expect(refuse({ serverProperties: { "Log Retention": 1 } })).toThrow(/^test\/Kafka: serverProperties = "Log Retention" is not allowed; expected Kafka property names/);
      expect(refuse({ serverProperties: { "log.retention.hours": "1\nx=y" } })).toThrow(/serverProperties\.log\.retention\.hours = "1\\nx=y" is not allowed; expected a single-line string, number or boolean/);
    });
  });
});
