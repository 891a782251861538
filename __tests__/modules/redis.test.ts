import { Redis, RedisProps } from "../../modules/redis";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { allowFrom, createRole, INetwork, serviceTrustPolicy } from "../../modules/core";
import { only, resources, synthWith } from "../support/synth";
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { statementsOfPolicy } from "../support/stacks";
import { twoAzNetwork } from "../support/networks";

class Workload extends Construct {
  readonly securityGroupId = "sg-service";
}

const network: INetwork = twoAzNetwork;

const base: RedisProps = { name: "alerting-platform-dev-cache", network, nodeType: "cache.t3.micro" };

describe("Redis", () => {
  describe("with defaults", () => {
    let redis!: Redis;
    const s = synthWith((scope) => {
      redis = new Redis(scope, "Cache", base);
      new TerraformOutput(scope, "Primary", { value: redis.primaryEndpoint });
      new TerraformOutput(scope, "Reader", { value: redis.readerEndpoint });
    });
    const group = () => only(s, "aws_elasticache_replication_group");

    it("AP10: is one Redis 7 cache.t3.micro node whose daily snapshots are kept 5 days", () => {
      expect(s.json).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
        engine: "redis",
        engine_version: "7.1",
        node_type: "cache.t3.micro",
        num_cache_clusters: 1,
        cluster_mode: "disabled",
        snapshot_retention_limit: 5,
        snapshot_window: "03:00-04:00",
      });
    });

    it("TV4: is a single node with cluster mode disabled and no failover", () => {
      expect(group().num_cache_clusters).toBe(1);
      expect(group().automatic_failover_enabled).toBe(false);
      expect(group().multi_az_enabled).toBe(false);
    });

    it("G6: encrypts data at rest and requires TLS in transit", () => {
      expect(group().at_rest_encryption_enabled).toBe("true");
      expect(group().transit_encryption_enabled).toBe(true);
      expect(group().transit_encryption_mode).toBe("required");
    });

    it("G7: puts no AUTH token in the synthesized JSON", () => {
      expect(group().auth_token).toBeUndefined();
      expect(s.json).not.toMatch(/auth_token/);
    });

    it("lives in a subnet group of the private subnets", () => {
      expect(s.json).toHaveResourceWithProperties(ElasticacheSubnetGroup, { name: "alerting-platform-dev-cache", subnet_ids: ["subnet-priv-a", "subnet-priv-b"] });
      expect(group().replication_group_id).toBe("alerting-platform-dev-cache");
      expect(group().port).toBe(6379);
    });

    it("G5: has its own security group with no egress and no ingress until a stack allows a workload", () => {
      expect(Object.keys(resources(s, "aws_security_group"))).toHaveLength(1);
      expect(resources(s, "aws_vpc_security_group_egress_rule")).toEqual({});
      expect(resources(s, "aws_vpc_security_group_ingress_rule")).toEqual({});
    });

    it("upgrades minor versions in the maintenance window, never immediately", () => {
      expect(group().auto_minor_version_upgrade).toBe("true");
      expect(group().apply_immediately).toBe(false);
      expect(group().maintenance_window).toBe("sun:05:00-sun:06:00");
      expect(group().lifecycle.prevent_destroy).toBe(false);
    });

    it("sends slow and engine logs to log groups kept 30 days", () => {
      const delivery = group().log_delivery_configuration;
      expect(delivery.map((d: { log_type: string }) => d.log_type)).toEqual(["slow-log", "engine-log"]);
      expect(delivery[0].destination_type).toBe("cloudwatch-logs");
      const groups = Object.values(resources(s, "aws_cloudwatch_log_group"));
      expect(groups.map((g) => g.name).sort()).toEqual(["/elasticache/alerting-platform-dev-cache/engine-log", "/elasticache/alerting-platform-dev-cache/slow-log"]);
      expect(groups.every((g) => g.retention_in_days === 30)).toBe(true);
    });

    it("exposes the port and the TLS endpoints", () => {
      expect(redis.port).toBe(6379);
      expect(s.parsed.output?.Primary.value).toMatch(/aws_elasticache_replication_group\.\w+\.primary_endpoint_address/);
      expect(s.parsed.output?.Reader.value).toMatch(/aws_elasticache_replication_group\.\w+\.reader_endpoint_address/);
    });
  });

  describe("with Multi-AZ, a customer key and prevent_destroy", () => {
    const s = synthWith((scope) =>
      new Redis(scope, "Cache", {
        ...base,
        nodeType: "cache.t3.small",
        replicas: 1,
        multiAz: true,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        preventDestroy: true,
        snapshotRetentionDays: 7,
      }),
    );
    const group = () => only(s, "aws_elasticache_replication_group");

    it("DA2: runs a primary and a replica with automatic Multi-AZ failover", () => {
      expect(group().num_cache_clusters).toBe(2);
      expect(group().automatic_failover_enabled).toBe(true);
      expect(group().multi_az_enabled).toBe(true);
    });

    it("G6: encrypts at rest and the logs with the customer key", () => {
      expect(group().kms_key_id).toBe("arn:aws:kms:eu-west-1:123456789012:key/abc");
      const groups = Object.values(resources(s, "aws_cloudwatch_log_group"));
      expect(groups.every((g) => g.kms_key_id === "arn:aws:kms:eu-west-1:123456789012:key/abc")).toBe(true);
    });

    it("G8: carries prevent_destroy and a week of snapshots", () => {
      expect(group().lifecycle.prevent_destroy).toBe(true);
      expect(group().snapshot_retention_limit).toBe(7);
    });
  });

  describe("with logs and snapshots off", () => {
    const s = synthWith((scope) => new Redis(scope, "Cache", { ...base, logs: false, snapshotRetentionDays: 0 }));

    it("creates no log group and keeps no snapshots", () => {
      expect(resources(s, "aws_cloudwatch_log_group")).toEqual({});
      expect(only(s, "aws_elasticache_replication_group").log_delivery_configuration).toBeUndefined();
      expect(only(s, "aws_elasticache_replication_group").snapshot_retention_limit).toBe(0);
    });
  });

  describe("with IAM authentication (default)", () => {
    let redis!: Redis;
    const s = synthWith((scope) => {
      redis = new Redis(scope, "Cache", base);
      createRole(scope, "TaskRole", { name: "task", description: "task", assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com"), statements: redis.connectStatements() });
    });
    const users = () => Object.values(resources(s, "aws_elasticache_user"));
    const user = (name: string) => users().find((u) => u.user_name === name);

    it("G7: replaces the built-in default user with one that is switched off and has no password", () => {
      expect(user("default")).toEqual({
        user_id: "alerting-platform-dev-cache-default",
        user_name: "default",
        engine: "redis",
        access_string: "off ~* -@all",
        no_password_required: true,
      });
    });

    it("adds an app user that logs in with IAM, its user id equal to its name", () => {
      const app = user("alerting-platform-dev-cache-app");
      expect(app).toEqual({
        user_id: "alerting-platform-dev-cache-app",
        user_name: "alerting-platform-dev-cache-app",
        engine: "redis",
        access_string: "on ~* +@all",
        authentication_mode: { type: "iam" },
      });
      expect(users()).toHaveLength(2);
      expect(redis.appUserName).toBe("alerting-platform-dev-cache-app");
    });

    it("puts both users in a Redis user group attached to the replication group", () => {
      expect(s.json).toHaveResourceWithProperties(ElasticacheUserGroup, { user_group_id: "alerting-platform-dev-cache", engine: "redis" });
      const group = only(s, "aws_elasticache_user_group");
      expect(group.user_ids).toEqual([
        expect.stringMatching(/^\$\{aws_elasticache_user\.Cache_Users_DefaultUser_\w+\.user_id\}$/),
        expect.stringMatching(/^\$\{aws_elasticache_user\.Cache_Users_AppUser_\w+\.user_id\}$/),
      ]);
      expect(only(s, "aws_elasticache_replication_group").user_group_ids).toEqual([expect.stringMatching(/^\$\{aws_elasticache_user_group\.Cache_Users_UserGroup_\w+\.user_group_id\}$/)]);
    });

    it("grants elasticache:Connect on the replication group and the app user, nothing else", () => {
      const statements = redis.connectStatements();
      expect(statements).toHaveLength(1);
      expect(statements[0].actions).toEqual(["elasticache:Connect"]);
      const [st, ...more] = statementsOfPolicy(only(s, "aws_iam_role_policy").policy);
      expect(more).toEqual([]);
      expect(st.Action).toEqual(["elasticache:Connect"]);
      expect(st.Resource).toEqual([expect.stringMatching(/^<ref:aws_elasticache_replication_group\.Cache_ReplicationGroup_\w+\.arn>$/), expect.stringMatching(/^<ref:aws_elasticache_user\.Cache_Users_AppUser_\w+\.arn>$/)]);
    });
  });

  describe("with IAM authentication off", () => {
    let redis!: Redis;
    const s = synthWith((scope) => {
      redis = new Redis(scope, "Cache", { ...base, engineVersion: "6.2", iamAuth: false });
    });

    it("creates no users and attaches no user group (any TLS client that reaches the port gets in)", () => {
      expect(resources(s, "aws_elasticache_user")).toEqual({});
      expect(resources(s, "aws_elasticache_user_group")).toEqual({});
      expect(only(s, "aws_elasticache_replication_group").user_group_ids).toBeUndefined();
      expect(only(s, "aws_elasticache_replication_group").transit_encryption_enabled).toBe(true);
    });

    it("has nothing to grant and no app user, and allows Redis 6", () => {
      expect(redis.connectStatements()).toEqual([]);
      expect(redis.appUserName).toBeUndefined();
      expect(only(s, "aws_elasticache_replication_group").engine_version).toBe("6.2");
    });
  });

  describe("with a long name", () => {
    const s = synthWith((scope) => new Redis(scope, "Cache", { ...base, name: "Alerting-Platform-Staging-Rule-Evaluation-Cache" }));

    it("shortens the replication group id deterministically to 40 lowercase characters", () => {
      const id = only(s, "aws_elasticache_replication_group").replication_group_id as string;
      expect(id.length).toBeLessThanOrEqual(40);
      expect(id).toMatch(/^alerting-platform-staging-rule-e-[0-9a-f]{6}$/);
    });

    it("keeps IAM user ids within 40 lowercase characters, the app user's id equal to its name", () => {
      const users = Object.values(resources(s, "aws_elasticache_user"));
      for (const u of users) expect(u.user_id).toMatch(/^[a-z][a-z0-9-]{0,39}$/);
      const app = users.find((u) => u.authentication_mode?.type === "iam");
      expect(app.user_name).toBe(app.user_id);
      expect(app.user_id).toMatch(/-app$/);
      expect(only(s, "aws_elasticache_user_group").user_group_id).toBe(only(s, "aws_elasticache_replication_group").replication_group_id);
    });
  });

  describe("wired with allowFrom", () => {
    const s = synthWith((scope) => {
      const redis = new Redis(scope, "Cache", base);
      allowFrom(redis, new Workload(scope, "RuleService"), 6379);
    });

    it("G5: lets only the given security group in on 6379", () => {
      const rule = only(s, "aws_vpc_security_group_ingress_rule");
      expect(rule.from_port).toBe(6379);
      expect(rule.to_port).toBe(6379);
      expect(rule.referenced_security_group_id).toBe("sg-service");
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<RedisProps>) => () => synthWith((scope) => new Redis(scope, "Cache", { ...base, ...props }));

    it("a node type without the cache. prefix", () => {
      expect(build({ nodeType: "t3.micro" })).toThrow(/test\/Cache: nodeType = "t3.micro" is not allowed; expected an ElastiCache node type/);
    });
    it("DA2: Multi-AZ without a replica", () => {
      expect(build({ multiAz: true })).toThrow(/multiAz = true is not allowed; Multi-AZ failover needs a replica/);
    });
    it("more than 5 replicas", () => {
      expect(build({ replicas: 6 })).toThrow(/replicas = 6 is not allowed; expected a whole number from 0 to 5/);
    });
    it("negative replicas", () => {
      expect(build({ replicas: -1 })).toThrow(/replicas = -1 is not allowed/);
    });
    it("snapshots kept longer than 35 days", () => {
      expect(build({ snapshotRetentionDays: 36 })).toThrow(/snapshotRetentionDays = 36 is not allowed; expected a whole number from 0 to 35/);
    });
    it("a snapshot window that is not hh:mm-hh:mm", () => {
      expect(build({ snapshotWindow: "3am-4am" })).toThrow(/snapshotWindow = "3am-4am" is not allowed; expected a daily UTC window/);
    });
    it("a snapshot window shorter than an hour", () => {
      expect(build({ snapshotWindow: "03:00-03:30" })).toThrow(/snapshotWindow = "03:00-03:30" is not allowed; expected a window of at least 60 minutes/);
    });
    it("a maintenance window with an unknown day", () => {
      expect(build({ maintenanceWindow: "sunday:05:00-sunday:06:00" })).toThrow(/maintenanceWindow = "sunday:05:00-sunday:06:00" is not allowed; expected a weekly UTC window/);
    });
    it("a maintenance window that overlaps the snapshot window", () => {
      expect(build({ maintenanceWindow: "tue:03:30-tue:04:30" })).toThrow(/maintenanceWindow = "tue:03:30-tue:04:30" is not allowed; expected a window that does not overlap/);
    });
    it("an engine version that is not 6.x or 7.x", () => {
      expect(build({ engineVersion: "5.0.6" })).toThrow(/engineVersion = "5.0.6" is not allowed; expected a Redis 6.x or 7.x version/);
    });
    it("a name that ElastiCache cannot use", () => {
      expect(build({ name: "9-cache" })).toThrow(/name = "9-cache" is not allowed; expected letters, digits and hyphens, starting with a letter/);
      expect(build({ name: "my--cache" })).toThrow(/name = "my--cache" is not allowed; expected no two consecutive hyphens/);
    });
    it("a log retention CloudWatch does not offer", () => {
      expect(build({ logs: { retentionDays: 10 } })).toThrow(/logs\.retentionDays = 10 is not allowed; expected a CloudWatch Logs retention value/);
    });
    it("IAM authentication on Redis 6", () => {
      expect(build({ engineVersion: "6.2" })).toThrow(/test\/Cache: iamAuth = true is not allowed; IAM authentication needs Redis 7\.0 or later \(engineVersion "6\.2"\); use a 7\.x version or set iamAuth: false/);
      expect(build({ engineVersion: "6.x", iamAuth: true })).toThrow(/iamAuth = true is not allowed; IAM authentication needs Redis 7\.0 or later \(engineVersion "6\.x"\)/);
    });
    it("a KMS key that is not a KMS ARN", () => {
      expect(build({ kmsKeyArn: "alias/cache" })).toThrow(/kmsKeyArn = "alias\/cache" is not allowed; expected an ARN of the kms service/);
    });
  });
});
