/** Issue 10 item 4: the Redis Cluster on EC2 serves TLS to clients, replicas and the cluster bus. */
import { TerraformOutput } from "cdktf";
import { RedisClusterOnEc2, RedisClusterOnEc2Props, REDIS_PORT } from "../../modules/redis-cluster";
import { CLI_TLS, TLS_LABEL } from "../../modules/redis-cluster/user-data";
import { INetwork } from "../../modules/core";
import { resources, synthWith } from "../support/synth";
import { statementsOfPolicy } from "../support/stacks";
import { threeAzNetwork } from "../support/networks";

const network: INetwork = threeAzNetwork;
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/abc";
const base: RedisClusterOnEc2Props = { name: "chat-prod-redis", network, instanceType: "t3.medium", backupBucketName: "chat-prod-redis-backups", logRetentionDays: 30, kmsKeyArn: KEY };

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

  it("issue 10 item 4: keeps the TLS bundle in an Advanced SSM SecureString (CMK), its placeholder write-only, read and written by the nodes through grants", () => {
    expect(Object.values(resources(s, "aws_secretsmanager_secret")).map((x: any) => x.name)).toEqual(["chat-prod-redis/redis-auth"]);
    const params = Object.values(resources(s, "aws_ssm_parameter")).filter((p: any) => p.name.endsWith("/redis-tls")) as any[];
    expect(params.map((p) => [p.name, p.type, p.tier, p.key_id, p.value, p.value_wo_version])).toEqual([
      ["/chat-prod-redis/redis-tls", "SecureString", "Advanced", KEY, undefined, 1],
    ]);
    expect(params[0].value_wo).toMatch(/^pending/);
    expect(redis.tlsBundle?.parameterArn).toEqual(expect.any(String));
    const policy = Object.values(resources(s, "aws_iam_role_policy"))[0] as { policy: string };
    const bySid = Object.fromEntries(statementsOfPolicy(policy.policy).map((st: any) => [st.Sid, st]));
    const param = expect.stringMatching(/^<ref:aws_ssm_parameter\.Redis_TlsBundle_Parameter_\w+\.arn>$/);
    expect([bySid.ReadParameter.Action, bySid.ReadParameter.Resource]).toEqual([["ssm:GetParameters", "ssm:GetParameter"], [param]]);
    expect([bySid.WriteParameter.Action, bySid.WriteParameter.Resource]).toEqual([["ssm:PutParameter", "ssm:LabelParameterVersion"], [param]]);
    expect(bySid.EncryptParameter.Resource).toEqual([KEY]);
    expect(bySid.TlsBundle).toBeUndefined();
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
      expect(lines.filter((l) => l.startsWith("TLS_PARAMETER=")).map((l) => /Redis_TlsBundle_Parameter_\w+\.name/.test(l))).toEqual([true]);
      expect(lines.filter((l) => l.startsWith("TLS_KEY_ID="))).toEqual([`TLS_KEY_ID="${KEY}"`]);
      expect(lines.filter((l) => l.includes("label-parameter-version"))).toEqual([`aws ssm label-parameter-version --name "$TLS_PARAMETER" --parameter-version 2 --labels ${TLS_LABEL} >/dev/null 2>&1 || true`]);
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

  it("tls: false serves plain TCP: no TLS parameter, no TLS settings", () => {
    const plain = synthWith((scope) => new RedisClusterOnEc2(scope, "Redis", { ...base, tls: false }));
    expect(Object.values(resources(plain, "aws_ssm_parameter")).filter((p: any) => p.name.endsWith("/redis-tls"))).toEqual([]);
    const lines = confLines((Object.values(resources(plain, "aws_instance"))[0] as { user_data: string }).user_data);
    expect(lines.filter((l) => l.startsWith("TLS_PARAMETER="))).toEqual(['TLS_PARAMETER=""']);
  });

  it("without a customer key the bundle is still a SecureString, under the aws/ssm key", () => {
    const noKey = synthWith((scope) => new RedisClusterOnEc2(scope, "Redis", { ...base, kmsKeyArn: undefined }));
    const param = Object.values(resources(noKey, "aws_ssm_parameter")).find((p: any) => p.name.endsWith("/redis-tls")) as any;
    expect([param.type, param.key_id]).toEqual(["SecureString", undefined]);
    const lines = confLines((Object.values(resources(noKey, "aws_instance"))[0] as { user_data: string }).user_data);
    expect(lines.filter((l) => l.startsWith("TLS_KEY_ID="))).toEqual(['TLS_KEY_ID="alias/aws/ssm"']);
  });
});
