/** dotnet-api: settings from the environment files and the inputs it refuses (the stacks themselves in dotnet-api.test.ts). */
import { synthSystem, withSettings } from "../support/stacks";
import { all, one, container, stack, build } from "./dotnet-api.fixture";

describe("dotnet-api settings", () => {
  it("DA4: an RDS instance when an environment asks for one (here prod, Multi-AZ and protected)", () => {
    const s = stack(withSettings("prod", { systems: { dotnetApi: { database: { kind: "instance", instanceClass: "db.t3.small", allocatedStorageGiB: 20, maxAllocatedStorageGiB: 100, multiAz: true } } } }));
    const db = one(s, "aws_db_instance");
    expect([db.instance_class, db.allocated_storage, db.max_allocated_storage, db.multi_az, db.deletion_protection, db.skip_final_snapshot]).toEqual(["db.t3.small", 20, 100, true, true, false]);
    expect(all(s, "aws_rds_cluster")).toHaveLength(0);
  });

  it("DA4: Aurora Serverless v2 with the given capacity range when dev asks for it", () => {
    const s = stack(withSettings("dev", { systems: { dotnetApi: { database: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 2, instances: 1 } } } }));
    const cluster = one(s, "aws_rds_cluster");
    expect(cluster.serverlessv2_scaling_configuration).toEqual({ min_capacity: 0.5, max_capacity: 2 });
    expect([cluster.deletion_protection, cluster.skip_final_snapshot]).toEqual([false, true]);
    expect(all(s, "aws_rds_cluster_instance")).toHaveLength(1);
    expect(all(s, "aws_db_instance")).toHaveLength(0);
    const secrets = container(s).secrets.map((x: any) => x.valueFrom).join(" ");
    expect(secrets).toContain("aws_rds_cluster.Database_Cluster");
  });

  it("DA2: dev without a replica runs one Redis node and no failover", () => {
    const rg = one(synthSystem("dotnet-api", "dev"), "aws_elasticache_replication_group");
    expect([rg.num_cache_clusters, rg.automatic_failover_enabled, rg.multi_az_enabled]).toEqual([1, false, false]);
  });

  it("HTTPS listener with an HTTP->HTTPS redirect when a certificate is set", () => {
    const cert = "arn:aws:acm:eu-west-1:123456789012:certificate/abcd";
    const s = stack(withSettings("dev", { systems: { dotnetApi: { certificateArn: cert } } }));
    const listeners = all(s, "aws_lb_listener");
    expect(listeners.find((l) => l.protocol === "HTTPS").certificate_arn).toBe(cert);
    expect(listeners.find((l) => l.protocol === "HTTP").default_action[0].type).toBe("redirect");
  });

  describe("refuses", () => {
    it("an alarm e-mail address that is not one", () => {
      expect(build(withSettings("dev", { systems: { dotnetApi: { alarmEmails: ["ops-at-example"] } } }))).toThrow(
        /dotnet-api-dev\/Alarms: emailSubscriptions\[0\] = "ops-at-example" is not allowed; expected an e-mail address/,
      );
    });
    it("a desired task count outside minCount..maxCount", () => {
      expect(build(withSettings("dev", { systems: { dotnetApi: { api: { desiredCount: 5, minCount: 1, maxCount: 2 } } } }))).toThrow(
        /dotnet-api-dev\/Api: desiredCount = 5 is not allowed; expected scaling\.minCount \(1\) <= desiredCount <= scaling\.maxCount \(2\)/,
      );
    });
    it("DA4: an Aurora capacity range whose minimum exceeds its maximum", () => {
      expect(build(withSettings("staging", { systems: { dotnetApi: { database: { kind: "aurora-serverless-v2", minAcu: 8, maxAcu: 4, instances: 1 } } } }))).toThrow(
        /dotnet-api-staging\/Database: engine\.minAcu = 8 is not allowed; expected engine\.minAcu <= engine\.maxAcu \(4\)/,
      );
    });
    it("DA2: Multi-AZ Redis without a replica to fail over to", () => {
      expect(build(withSettings("dev", { systems: { dotnetApi: { redis: { replicas: 0, multiAz: true } } } }))).toThrow(
        /dotnet-api-dev\/Cache: multiAz = true is not allowed; Multi-AZ failover needs a replica/,
      );
    });
    it("DA3: an MSK broker count that does not spread evenly over the AZs", () => {
      expect(build(withSettings("prod", { systems: { dotnetApi: { msk: { brokerCount: 4 } } } }))).toThrow(
        /dotnet-api-prod\/Kafka: brokerCount = 4 is not allowed; expected a multiple of the 3 private subnets/,
      );
    });
    it("a certificate that is not an ACM ARN", () => {
      expect(build(withSettings("dev", { systems: { dotnetApi: { certificateArn: "my-cert" } } }))).toThrow(/dotnet-api-dev\/LoadBalancer: certificateArn = "my-cert" is not allowed/);
    });
  });
});
