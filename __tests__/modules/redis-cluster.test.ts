import { spawnSync } from "node:child_process";
import { TerraformOutput } from "cdktf";
import { RedisClusterOnEc2, RedisClusterOnEc2Props } from "../../modules/redis-cluster";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { INetwork } from "../../modules/core";
import { only, resources, synthWith } from "../support/synth";
import { allowedActions, namedResources, statementsOfPolicy, trustedServices } from "../support/stacks";
import { threeAzNetwork } from "../support/networks";

const network: INetwork = threeAzNetwork;

const base: RedisClusterOnEc2Props = {
  name: "chat-platform-prod-redis",
  network,
  instanceType: "t3.medium",
  backupBucketName: "chat-platform-prod-redis-backups",
  logRetentionDays: 30,
};

const userData = (i: { user_data: string }) => i.user_data;

describe("RedisClusterOnEc2", () => {
  describe("with defaults (3 primaries, 1 replica each)", () => {
    let redis!: RedisClusterOnEc2;
    const s = synthWith((scope) => {
      redis = new RedisClusterOnEc2(scope, "Redis", base);
      new TerraformOutput(scope, "create", { value: redis.clusterCreateScript });
    });
    const instances = Object.values(resources(s, "aws_instance"));

    it("CA6: runs 6 t3.medium instances across the 3 private subnets, two per AZ", () => {
      expect(instances).toHaveLength(6);
      expect(instances.every((i) => i.instance_type === "t3.medium")).toBe(true);
      const perSubnet = new Map<string, number>();
      instances.forEach((i) => perSubnet.set(i.subnet_id, (perSubnet.get(i.subnet_id) ?? 0) + 1));
      expect(Object.fromEntries(perSubnet)).toEqual({ "subnet-priv-a": 2, "subnet-priv-b": 2, "subnet-priv-c": 2 });
      expect(redis.instanceIds).toHaveLength(6);
      expect(redis.privateIps).toHaveLength(6);
    });

    it("CA6: puts each primary in its own AZ and each replica in another AZ than its primary", () => {
      const bySubnet = Object.fromEntries(instances.map((i) => [i.tags.Name, i.subnet_id]));
      expect(bySubnet["chat-platform-prod-redis-1-primary"]).toBe("subnet-priv-a");
      expect(bySubnet["chat-platform-prod-redis-2-primary"]).toBe("subnet-priv-b");
      expect(bySubnet["chat-platform-prod-redis-3-primary"]).toBe("subnet-priv-c");
      expect(bySubnet["chat-platform-prod-redis-1-replica-1"]).toBe("subnet-priv-b");
      expect(bySubnet["chat-platform-prod-redis-2-replica-1"]).toBe("subnet-priv-c");
      expect(bySubnet["chat-platform-prod-redis-3-replica-1"]).toBe("subnet-priv-a");
      expect(redis.nodes.map((n) => n.role)).toEqual(["primary", "primary", "primary", "replica", "replica", "replica"]);
    });

    it("CA6: gives no node a public IP and requires IMDSv2", () => {
      expect(s.json).toHaveResourceWithProperties(Instance, { associate_public_ip_address: false });
      expect(instances.every((i) => i.associate_public_ip_address === false)).toBe(true);
      expect(instances.every((i) => i.metadata_options.http_tokens === "required" && i.metadata_options.http_put_response_hop_limit === 1)).toBe(true);
    });

    it("turns on detailed (1-minute) monitoring and EBS optimization on every node", () => {
      expect(s.json).toHaveResourceWithProperties(Instance, { monitoring: true, ebs_optimized: true });
      expect(instances.every((i) => i.monitoring === true && i.ebs_optimized === true)).toBe(true);
    });

    it("G6: encrypts the gp3 root volume and a separate 20 GiB gp3 data volume in the node's AZ", () => {
      expect(instances.every((i) => i.root_block_device.encrypted === true && i.root_block_device.volume_type === "gp3")).toBe(true);
      const volumes = Object.values(resources(s, "aws_ebs_volume"));
      expect(volumes).toHaveLength(6);
      expect(volumes.every((v) => v.encrypted === true && v.type === "gp3" && v.size === 20)).toBe(true);
      expect(volumes.map((v) => v.availability_zone).sort()).toEqual(["eu-west-1a", "eu-west-1a", "eu-west-1b", "eu-west-1b", "eu-west-1c", "eu-west-1c"]);
      expect(Object.keys(resources(s, "aws_volume_attachment"))).toHaveLength(6);
    });

    it("CA6: opens 6379 and the cluster bus 16379 to the VPC CIDR only", () => {
      const rules = Object.values(resources(s, "aws_vpc_security_group_ingress_rule"));
      expect(rules.map((r) => [r.from_port, r.to_port, r.cidr_ipv4]).sort()).toEqual([[16379, 16379, "10.0.0.0/16"], [6379, 6379, "10.0.0.0/16"]]);
      expect(rules.every((r) => r.ip_protocol === "tcp" && r.referenced_security_group_id === undefined)).toBe(true);
      expect(redis.port).toBe(6379);
      expect(redis.busPort).toBe(16379);
    });

    it("CA6: configures AOF and RDB persistence on the data volume, bound to the private IP with protected mode", () => {
      const script = userData(instances[0]);
      expect(script).toContain("cluster-enabled yes");
      expect(script).toContain("appendonly yes");
      expect(script).toMatch(/save 900 1\nsave 300 10\nsave 60 10000/);
      expect(script).toContain("protected-mode yes");
      expect(script).toContain("bind $PRIVATE_IP 127.0.0.1");
      expect(script).toContain("dir /var/lib/redis6");
      expect(script).toContain("dnf install -y redis6 amazon-cloudwatch-agent");
    });

    it("CA6: copies the RDB to the bucket daily, on Sundays to weekly/ and on the 1st to monthly/", () => {
      const script = userData(instances[0]);
      expect(script).toContain("30 3 * * * root /usr/local/bin/redis-backup");
      expect(script).toContain("copy daily");
      expect(script).toMatch(/date -u \+%u\)" = "7" \]; then copy weekly/);
      expect(script).toMatch(/date -u \+%d\)" = "01" \]; then copy monthly/);
      expect(script).toContain("aws_s3_bucket.Redis_Backups_Bucket");
    });

    it("escapes shell and agent placeholders from Terraform's template syntax", () => {
      const script = userData(instances[0]);
      expect(script).toContain('"InstanceId": "\\$${aws:InstanceId}"');
      // Every remaining "${" is a Terraform reference, never a shell variable.
      const references = script.match(/(?<!\$)\$\{[^}]*\}/g) ?? [];
      expect(references.length).toBeGreaterThan(0);
      expect(references.every((r) => /^\$\{(aws_|data\.aws_)/.test(r))).toBe(true);
    });

    it("has a boot script bash can parse once Terraform has rendered it", () => {
      const rendered = userData(instances[0])
        .replace(/(?<!\$)\$\{[^}]*\}/g, "rendered-reference")
        .replace(/\$\$\{/g, "${")
        .replace(/%%\{/g, "%{");
      const r = spawnSync("bash", ["-n"], { input: rendered, encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(rendered).toContain("maxmemory $MAXMEMORY");
    });

    it("CA6: backup lifecycle keeps 7 daily, 4 weekly and 3 monthly copies in a versioned, encrypted bucket", () => {
      const rules = only(s, "aws_s3_bucket_lifecycle_configuration").rule;
      const byId = Object.fromEntries(rules.map((r: { id: string }) => [r.id, r]));
      expect(byId["daily-7"].filter).toEqual([{ prefix: "daily/" }]);
      expect(byId["daily-7"].expiration).toEqual([{ days: 7 }]);
      expect(byId["weekly-4"].filter).toEqual([{ prefix: "weekly/" }]);
      expect(byId["weekly-4"].expiration).toEqual([{ days: 28 }]);
      expect(byId["monthly-3"].filter).toEqual([{ prefix: "monthly/" }]);
      expect(byId["monthly-3"].expiration).toEqual([{ days: 90 }]);
      expect(only(s, "aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
      expect(only(s, "aws_s3_bucket").force_destroy).toBe(false);
    });

    it("CA6: grants the CloudWatch agent and SSM policies, and S3 access to the backup bucket only", () => {
      expect(s.json).toHaveResourceWithProperties(IamRolePolicyAttachment, { policy_arn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy" });
      expect(s.json).toHaveResourceWithProperties(IamRolePolicyAttachment, { policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" });
      const statements = statementsOfPolicy(only(s, "aws_iam_role_policy").policy);
      expect(allowedActions(statements)).toEqual(expect.arrayContaining(["s3:PutObject", "s3:ListBucket"]));
      const onBuckets = statements.filter((st) => st.Action.some((a) => a.startsWith("s3:"))).flatMap((st) => st.Resource);
      expect(onBuckets.length).toBeGreaterThan(0);
      expect(onBuckets.every((r) => r.includes("aws_s3_bucket.Redis_Backups_Bucket"))).toBe(true);
      expect(namedResources(statements)).not.toContain("*");
      const nodeRole = Object.entries(resources(s, "aws_iam_role")).find(([id]) => id.startsWith("Redis_InstanceRole_"))![1];
      expect(trustedServices(nodeRole.assume_role_policy)).toEqual(["ec2.amazonaws.com"]);
      expect(instances.every((i) => String(i.iam_instance_profile).includes("aws_iam_instance_profile."))).toBe(true);
    });

    it("G7: keeps the AUTH password in Secrets Manager, generated on the first node, never in Terraform", () => {
      const secret = Object.values(resources(s, "aws_secretsmanager_secret")).find((x: any) => x.name.endsWith("/redis-auth")) as any;
      expect(secret.name).toBe("chat-platform-prod-redis/redis-auth");
      expect(resources(s, "aws_secretsmanager_secret_version")).toEqual({});
      expect(userData(instances[0])).toContain("requirepass");
      expect(allowedActions(statementsOfPolicy(only(s, "aws_iam_role_policy").policy))).toContain("secretsmanager:GetSecretValue");
    });

    it("takes the latest Amazon Linux 2023 x86_64 AMI and ignores later AMIs and boot-script changes", () => {
      expect(only({ json: "", parsed: { resource: s.parsed.data } }, "aws_ssm_parameter").name).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
      expect(instances[0].lifecycle.ignore_changes).toEqual(["ami", "user_data"]);
    });

    it("ships logs to a log group kept as long as asked", () => {
      expect(only(s, "aws_cloudwatch_log_group")).toMatchObject({ name: "/redis-cluster/chat-platform-prod-redis", retention_in_days: 30 });
    });

    it("CA6: snapshots every data volume daily with AWS Backup, kept 7 days, and nothing else", () => {
      const selected = only(s, "aws_backup_selection").resources as string[];
      const volumeIds = Object.keys(resources(s, "aws_ebs_volume"));
      expect(volumeIds).toHaveLength(6);
      expect([...selected].sort()).toEqual(volumeIds.map((id) => `\${aws_ebs_volume.${id}.arn}`).sort());
      expect(only(s, "aws_backup_plan").rule[0]).toMatchObject({ schedule: "cron(0 3 * * ? *)", lifecycle: { delete_after: 7 } });
      expect(only(s, "aws_backup_vault")).toMatchObject({ name: "chat-platform-prod-redis-data-backup", force_destroy: false, lifecycle: { prevent_destroy: false } });
      expect(only(s, "aws_backup_vault").kms_key_arn).toBeUndefined();
      expect(redis.ebsBackupVaultArn).toMatch(/TOKEN/);
    });

    it("runs the snapshots as a role trusting AWS Backup, apart from the nodes' role", () => {
      const backupRole = Object.entries(resources(s, "aws_iam_role")).find(([id]) => id.startsWith("Redis_DataVolumeBackup_Role_"))![1];
      expect(backupRole.name).toBe("chat-platform-prod-redis-data-backup");
      expect(trustedServices(backupRole.assume_role_policy)).toContain("backup.amazonaws.com");
      expect(s.json).toHaveResourceWithProperties(IamRolePolicyAttachment, { policy_arn: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup" });
    });

    it("writes the one-time cluster creation: primaries first, then each replica on its chosen primary", () => {
      const script: string = s.parsed.output?.create.value;
      expect(script).toMatch(/--cluster create \$\{aws_instance\.Redis_Shard1Primary_\w+\.private_ip\}:6379 \$\{aws_instance\.Redis_Shard2Primary_\w+\.private_ip\}:6379 \$\{aws_instance\.Redis_Shard3Primary_\w+\.private_ip\}:6379 --cluster-replicas 0/);
      expect(script).toMatch(/add-node \$\{aws_instance\.Redis_Shard1Replica1_\w+\.private_ip\}:6379 \$\{aws_instance\.Redis_Shard1Primary_\w+\.private_ip\}:6379 --cluster-slave/);
    });
  });

  describe("with staging sizing, Graviton, a customer key, prevent_destroy and no AUTH", () => {
    const s = synthWith((scope) =>
      new RedisClusterOnEc2(scope, "Redis", {
        ...base,
        instanceType: "t4g.micro",
        replicasPerPrimary: 2,
        dataVolumeGiB: 50,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        preventDestroy: true,
        forceDestroyBackups: true,
        passwordAuth: false,
      }),
    );
    const instances = Object.values(resources(s, "aws_instance"));

    it("runs 9 nodes on the arm64 AMI", () => {
      expect(instances).toHaveLength(9);
      expect(only({ json: "", parsed: { resource: s.parsed.data } }, "aws_ssm_parameter").name).toMatch(/arm64$/);
    });

    it("encrypts volumes, bucket and logs with the customer key and lets the nodes use it", () => {
      const key = "arn:aws:kms:eu-west-1:123456789012:key/abc";
      expect(Object.values(resources(s, "aws_ebs_volume")).every((v) => v.kms_key_id === key && v.size === 50)).toBe(true);
      expect(instances.every((i) => i.root_block_device.kms_key_id === key)).toBe(true);
      expect(only(s, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(key);
      expect(only(s, "aws_cloudwatch_log_group").kms_key_id).toBe(key);
      const statements = statementsOfPolicy(only(s, "aws_iam_role_policy").policy);
      // CustomerKey (volumes, bucket, logs) and the TLS parameter's own grant (EncryptParameter) name the same key.
      expect(statements.filter((st) => st.Action.includes("kms:GenerateDataKey")).map((st) => [st.Sid, st.Resource])).toEqual([["CustomerKey", [key]], ["EncryptParameter", [key]]]);
    });

    it("carries prevent_destroy on nodes, data volumes and the bucket; the bucket may be emptied on destroy", () => {
      expect(instances.every((i) => i.lifecycle.prevent_destroy === true)).toBe(true);
      expect(Object.values(resources(s, "aws_ebs_volume")).every((v) => v.lifecycle.prevent_destroy === true)).toBe(true);
      expect(only(s, "aws_s3_bucket").lifecycle.prevent_destroy).toBe(true);
      expect(only(s, "aws_s3_bucket").force_destroy).toBe(true);
    });

    it("snapshots all 9 data volumes into a vault encrypted with the customer key and protected by prevent_destroy", () => {
      expect(only(s, "aws_backup_selection").resources).toHaveLength(9);
      expect(only(s, "aws_backup_vault")).toMatchObject({ kms_key_arn: "arn:aws:kms:eu-west-1:123456789012:key/abc", lifecycle: { prevent_destroy: true } });
    });

    it("creates no AUTH secret and configures no password", () => {
      expect(Object.values(resources(s, "aws_secretsmanager_secret"))).toEqual([]);
      expect(userData(instances[0])).toContain('AUTH_SECRET_ARN=""');
    });
  });

  describe("EBS backup options", () => {
    it("keeps the snapshots as long as asked", () => {
      const s = synthWith((scope) => new RedisClusterOnEc2(scope, "Redis", { ...base, ebsBackup: { retentionDays: 35 } }));
      expect(only(s, "aws_backup_plan").rule[0].lifecycle).toEqual({ delete_after: 35 });
    });

    it("takes no snapshots with ebsBackup false (the bucket's RDB copies remain)", () => {
      let redis!: RedisClusterOnEc2;
      const s = synthWith((scope) => {
        redis = new RedisClusterOnEc2(scope, "Redis", { ...base, ebsBackup: false });
      });
      expect(resources(s, "aws_backup_plan")).toEqual({});
      expect(resources(s, "aws_backup_vault")).toEqual({});
      expect(resources(s, "aws_backup_selection")).toEqual({});
      expect(redis.ebsBackupVaultArn).toBeUndefined();
      expect(only(s, "aws_s3_bucket").bucket).toBe("chat-platform-prod-redis-backups");
    });

    it("shortens the vault name of a long cluster name to 50 characters", () => {
      const s = synthWith((scope) => new RedisClusterOnEc2(scope, "Redis", { ...base, name: `chat-platform-prod-${"r".repeat(30)}` }));
      const vault = only(s, "aws_backup_vault").name as string;
      expect(vault).toHaveLength(50);
      expect(vault).toMatch(/^chat-platform-prod-r+-[0-9a-f]{6}-backup$/);
    });
  });

  describe("with a pinned AMI", () => {
    it("uses it and looks nothing up", () => {
      const s = synthWith((scope) => new RedisClusterOnEc2(scope, "Redis", { ...base, amiId: "ami-0123456789abcdef0" }));
      expect(s.parsed.data).toBeUndefined();
      expect(Object.values(resources(s, "aws_instance")).every((i) => i.ami === "ami-0123456789abcdef0")).toBe(true);
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<RedisClusterOnEc2Props>) => () => synthWith((scope) => new RedisClusterOnEc2(scope, "R", { ...base, ...props }));
    const twoAzs: INetwork = { ...network, privateSubnetIds: ["subnet-a", "subnet-b"], availabilityZones: ["eu-west-1a", "eu-west-1b"] };

    it("CA6: a network with fewer AZs than the 3 primaries need", () => {
      expect(build({ network: twoAzs })).toThrow(/test\/R: network\.privateSubnetIds = 2 is not allowed; expected private subnets in at least 3 AZs/);
    });
    it("4 primaries over 3 AZs (one AZ would hold half of them)", () => {
      expect(build({ primaries: 4 })).toThrow(/network\.privateSubnetIds = 3 .* 4 primaries over 3 AZs puts 2 in one/);
    });
    it("fewer than 3 primaries", () => {
      expect(build({ primaries: 2 })).toThrow(/primaries = 2 .* from 3 to 100/);
    });
    it("6 replicas per primary", () => {
      expect(build({ replicasPerPrimary: 6 })).toThrow(/replicasPerPrimary = 6 .* from 0 to 5/);
    });
    it("a negative replica count", () => {
      expect(build({ replicasPerPrimary: -1 })).toThrow(/replicasPerPrimary = -1 .* from 0 to 5/);
    });
    it("an instance type that is not one", () => {
      expect(build({ instanceType: "medium" })).toThrow(/instanceType = "medium" .* an EC2 instance type/);
    });
    it("a data volume below 8 GiB", () => {
      expect(build({ dataVolumeGiB: 4 })).toThrow(/dataVolumeGiB = 4 .* from 8 to 16384/);
    });
    it("a data volume above 16 TiB", () => {
      expect(build({ dataVolumeGiB: 20000 })).toThrow(/dataVolumeGiB = 20000 .* from 8 to 16384/);
    });
    it("a log retention CloudWatch does not accept", () => {
      expect(build({ logRetentionDays: 10 })).toThrow(/logRetentionDays = 10 .* CloudWatch Logs retention/);
    });
    it("a backup bucket name with upper case", () => {
      expect(build({ backupBucketName: "Redis-Backups" })).toThrow(/R\/Backups: bucketName = "Redis-Backups"/);
    });
    it("zones that do not match the subnets", () => {
      expect(build({ network: { ...network, availabilityZones: ["eu-west-1a"] } })).toThrow(/network\.availabilityZones = 1 .* one availability zone per private subnet/);
    });
    it("an instance type that cannot be EBS-optimized", () => {
      expect(build({ instanceType: "t2.medium" })).toThrow(/test\/R: instanceType = "t2\.medium" is not allowed; expected a type that can be EBS-optimized/);
    });
    it("a malformed AMI id", () => {
      expect(build({ amiId: "ubuntu" })).toThrow(/amiId = "ubuntu" .* an AMI id/);
    });
    it("EBS backups kept 0 days", () => {
      expect(build({ ebsBackup: { retentionDays: 0 } })).toThrow(/test\/R: ebsBackup\.retentionDays = 0 is not allowed; expected a whole number from 1 to 36500/);
    });
    it("EBS backups kept longer than 100 years", () => {
      expect(build({ ebsBackup: { retentionDays: 36501 } })).toThrow(/ebsBackup\.retentionDays = 36501 is not allowed; expected a whole number from 1 to 36500/);
    });
    it("a name with upper case", () => {
      expect(build({ name: "Redis" })).toThrow(/name = "Redis" .* lowercase letters/);
    });
  });
});
