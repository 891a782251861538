/** Issue 10 item 4: the Redis Cluster on EC2 serves TLS to clients, replicas and the cluster bus. */
import { TerraformOutput } from "cdktf";
import { RedisClusterOnEc2, RedisClusterOnEc2Props, REDIS_PORT } from "../../modules/redis-cluster";
import { CLI_TLS } from "../../modules/redis-cluster/user-data";
import { INetwork } from "../../modules/core";
import { resources, synthWith } from "../support/synth";
import { statementsOfPolicy } from "../support/stacks";

const network: INetwork = {
  vpcId: "vpc-123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"],
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
};
const base: RedisClusterOnEc2Props = { name: "chat-prod-redis", network, instanceType: "t3.medium", backupBucketName: "chat-prod-redis-backups", logRetentionDays: 30 };

/** The lines of the first node's boot script that a `redis6.conf` heredoc or the TLS block writes. */
function confLines(userData: string): string[] {
  return userData.split("\n").map((l) => l.trim());
}

describe("RedisClusterOnEc2 TLS (issue 10 item 4)", () => {
  let redis!: RedisClusterOnEc2;
  const s = synthWith((scope) => {
    redis = new RedisClusterOnEc2(scope, "Redis", { ...base, accessLogsBucket: "platform-access-logs-eu-west-1" });
    new TerraformOutput(scope, "create", { value: redis.clusterCreateScript });
  });
  const instances = () => Object.values(resources(s, "aws_instance")) as { user_data: string }[];

  it("keeps the TLS bundle in its own Secrets Manager secret that every node may read and the first node writes", () => {
    const secrets = Object.values(resources(s, "aws_secretsmanager_secret")).map((x: any) => x.name).sort();
    expect(secrets).toEqual(["chat-prod-redis/redis-auth", "chat-prod-redis/redis-tls"]);
    expect(redis.tlsSecretArn).toEqual(expect.any(String));
    const policy = Object.values(resources(s, "aws_iam_role_policy"))[0] as { policy: string };
    const tls = statementsOfPolicy(policy.policy).find((st: any) => st.Sid === "TlsBundle") as any;
    expect([tls.Action, tls.Resource]).toEqual([["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"], [expect.stringMatching(/^<ref:aws_secretsmanager_secret\.Redis_TlsSecret_\w+\.arn>$/)]]);
  });

  it("every node turns the plain port off and serves clients, replication and the cluster bus over TLS", () => {
    expect(instances()).toHaveLength(6);
    for (const i of instances()) {
      const lines = confLines(i.user_data);
      expect(lines).toEqual(expect.arrayContaining([
        `sed -i 's/^port ${REDIS_PORT}$/port 0/' /etc/redis6/redis6.conf`,
        `tls-port ${REDIS_PORT}`, "tls-cluster yes", "tls-replication yes", 'tls-protocols "TLSv1.2 TLSv1.3"',
        "tls-ca-cert-file /etc/redis6/tls/ca.crt", "tls-cert-file /etc/redis6/tls/node.crt", "tls-key-file /etc/redis6/tls/node.key",
      ]));
      expect(lines.filter((l) => l.startsWith("TLS_SECRET_ARN=")).map((l) => /Redis_TlsSecret_\w+\.arn/.test(l))).toEqual([true]);
    }
  });

  it("creates the cluster and backs up with redis6-cli over TLS", () => {
    const create = (s.parsed.output!.create.value as string).split("\n");
    const cli = create.filter((l) => l.includes("redis6-cli"));
    expect(cli.length).toBe(5);
    expect(cli.every((l) => l.includes(`redis6-cli ${CLI_TLS} `))).toBe(true);
    expect(confLines(instances()[0].user_data)).toContain('cli() { redis6-cli $CLI_TLS -h "$PRIVATE_IP" -p 6379 "$@"; }');
  });

  it("logs access to the backup bucket when given a log bucket", () => {
    expect(Object.values(resources(s, "aws_s3_bucket_logging")).map((l: any) => l.target_bucket)).toEqual(["platform-access-logs-eu-west-1"]);
  });

  it("tls: false serves plain TCP: no TLS secret, no TLS settings", () => {
    const plain = synthWith((scope) => new RedisClusterOnEc2(scope, "Redis", { ...base, tls: false }));
    expect(Object.values(resources(plain, "aws_secretsmanager_secret")).map((x: any) => x.name)).toEqual(["chat-prod-redis/redis-auth"]);
    const lines = confLines((Object.values(resources(plain, "aws_instance"))[0] as { user_data: string }).user_data);
    expect(lines.filter((l) => l.startsWith("TLS_SECRET_ARN="))).toEqual(['TLS_SECRET_ARN=""']);
  });
});
