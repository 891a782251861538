/** tvmaze-ingestion: settings from the environment files and the inputs it refuses (the stacks themselves in tvmaze-ingestion.test.ts). */
import { resources } from "../support/synth";
import { withSettings, allowedActions, statementsOfPolicy } from "../support/stacks";
import { all, one, ref, container, policy, ingressInto, stack, build, CERT } from "./tvmaze-ingestion.fixture";

describe("tvmaze-ingestion settings", () => {
  it("TV2: with a certificate: HTTPS on 443 with it, HTTP on 80 redirecting to HTTPS, and 443 open on the ALB", () => {
    const s = stack(withSettings("dev", { systems: { tvmazeIngestion: { certificateArn: CERT } } }));
    const listeners = all(s, "aws_lb_listener");
    expect(listeners.map((l) => l.protocol).sort()).toEqual(["HTTP", "HTTPS"]);
    const https = listeners.find((l) => l.protocol === "HTTPS");
    expect([https.port, https.certificate_arn, https.default_action[0].type]).toEqual([443, CERT, "forward"]);
    const http = listeners.find((l) => l.protocol === "HTTP");
    expect(http.default_action[0]).toMatchObject({ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } });
    expect(ingressInto(s, "LoadBalancer_SecurityGroup").map((r) => r.from_port).sort()).toEqual([443, 80]);
  });

  it("TV6: EFS on in dev when asked", () => {
    const s = stack(withSettings("dev", { systems: { tvmazeIngestion: { efs: true } } }));
    expect(all(s, "aws_efs_file_system")).toHaveLength(1);
    expect(all(s, "aws_efs_mount_target")).toHaveLength(2);
    const mount = policy(s, "Service_TaskRolePolicy").Statement.find((x: any) => x.Sid === "EfsMountShared");
    expect(mount.Action).toEqual(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]);
  });

  it("TV6: mounts the shared file system in the task", () => {
    const s = stack(withSettings("dev", { systems: { tvmazeIngestion: { efs: true } } }));
    const td = one(s, "aws_ecs_task_definition");
    const shared = td.volume.find((v: any) => v.name === "shared");
    // TLS in transit and IAM authorization through the "app" access point (G6).
    expect(shared.efs_volume_configuration).toEqual({
      file_system_id: ref(s, "aws_efs_file_system", "SharedFiles_FileSystem", "id"),
      root_directory: "/",
      transit_encryption: "ENABLED",
      authorization_config: { iam: "ENABLED", access_point_id: ref(s, "aws_efs_access_point", "SharedFiles_AccessPointApp", "id") },
    });
    expect(container(s).mountPoints).toContainEqual({ sourceVolume: "shared", containerPath: "/mnt/shared", readOnly: false });
    // The task role may mount exactly that file system, and only through that access point.
    const mount = policy(s, "Service_TaskRolePolicy").Statement.find((x: any) => x.Sid === "EfsMountShared");
    expect(mount.Resource).toEqual([expect.stringMatching(/^arn:\$\{data\.aws_partition\.\w+\.partition\}:elasticfilesystem:.*:file-system\/\$\{aws_efs_file_system\.SharedFiles_FileSystem_\w+\.id\}$/)]);
    expect(mount.Condition.StringEquals["elasticfilesystem:AccessPointArn"]).toMatch(/:access-point\/\$\{aws_efs_access_point\.SharedFiles_AccessPointApp_\w+\.id\}$/);
    // Fargate mounts EFS from platform version 1.4 on; the service runs LATEST.
    expect(one(s, "aws_ecs_service").platform_version).toBe("LATEST");
  });

  it("TV6: EFS off in prod when asked: no file system, no NFS rule, no mount permission", () => {
    const s = stack(withSettings("prod", { systems: { tvmazeIngestion: { efs: false } } }));
    expect(all(s, "aws_efs_file_system")).toHaveLength(0);
    expect(all(s, "aws_vpc_security_group_ingress_rule").some((r) => r.from_port === 2049)).toBe(false);
    expect(allowedActions(statementsOfPolicy(resources(s, "aws_iam_role_policy")[Object.keys(resources(s, "aws_iam_role_policy")).find((id) => id.startsWith("Service_TaskRolePolicy"))!].policy)).filter((a) => a.startsWith("elasticfilesystem:"))).toEqual([]);
  });

  it("TV12: API Gateway with a 1000 requests/minute usage plan behind API keys and a Cognito user pool, when turned on", () => {
    const s = stack(withSettings("dev", { systems: { tvmazeIngestion: { apiGateway: true } } }));
    expect(one(s, "aws_api_gateway_rest_api").name).toBe("tvmaze-ingestion-dev-api");
    const plan = one(s, "aws_api_gateway_usage_plan");
    expect(plan.throttle_settings.rate_limit).toBeCloseTo(1000 / 60, 2);
    const method = one(s, "aws_api_gateway_method");
    expect([method.api_key_required, method.authorization]).toEqual([true, "COGNITO_USER_POOLS"]);
    expect(one(s, "aws_cognito_user_pool").deletion_protection).toBe("INACTIVE"); // dev's safety profile
    expect(one(s, "aws_api_gateway_integration").uri).toBe(`http://${ref(s, "aws_lb", "LoadBalancer", "dns_name")}/{proxy}`);
    expect(s.parsed.output?.api_invoke_url).toBeDefined();
  });

  it("TV12: prod's user pool is protected from deletion", () => {
    const s = stack(withSettings("prod", { systems: { tvmazeIngestion: { apiGateway: true } } }));
    expect(one(s, "aws_cognito_user_pool").deletion_protection).toBe("ACTIVE");
  });

  it("TV10: blocked countries become a geo-match block rule evaluated first", () => {
    const s = stack(withSettings("dev", { systems: { tvmazeIngestion: { waf: { rateLimitPer5Minutes: 2000, blockedCountries: ["KP", "IR"] } } } }));
    const geo = one(s, "aws_wafv2_web_acl").rule.find((r: any) => r.statement.geo_match_statement);
    expect(geo).toMatchObject({ priority: 0, action: { block: {} }, statement: { geo_match_statement: { country_codes: ["KP", "IR"] } } });
  });

  describe("refuses", () => {
    it("TV10: a WAF rate limit below what WAF accepts", () => {
      expect(build(withSettings("dev", { systems: { tvmazeIngestion: { waf: { rateLimitPer5Minutes: 5, blockedCountries: [] } } } }))).toThrow(
        /tvmaze-ingestion-dev\/Firewall: rateLimitPer5Minutes = 5 is not allowed; expected a whole number from 10 to 2000000000/,
      );
    });
    it("TV10: a country that is not an ISO 3166-1 alpha-2 code", () => {
      expect(build(withSettings("dev", { systems: { tvmazeIngestion: { waf: { rateLimitPer5Minutes: 2000, blockedCountries: ["North Korea"] } } } }))).toThrow(
        /tvmaze-ingestion-dev\/Firewall: blockedCountries\[0\] = "North Korea" is not allowed/,
      );
    });
    it("TV7: an alarm e-mail address that is not one", () => {
      expect(build(withSettings("prod", { systems: { tvmazeIngestion: { alarmEmails: ["ops@"] } } }))).toThrow(
        /tvmaze-ingestion-prod\/Alarms: emailSubscriptions\[0\] = "ops@" is not allowed; expected an e-mail address/,
      );
    });
    it("TV1: a desired task count outside minCount..maxCount", () => {
      expect(build(withSettings("dev", { systems: { tvmazeIngestion: { service: { desiredCount: 6 } } } }))).toThrow(
        /tvmaze-ingestion-dev\/Service: desiredCount = 6 is not allowed; expected scaling\.minCount \(1\) <= desiredCount <= scaling\.maxCount \(4\)/,
      );
    });
    it("TV1: a CPU size Fargate does not offer", () => {
      expect(build(withSettings("dev", { systems: { tvmazeIngestion: { service: { cpu: 256 * 3 } } } }))).toThrow(/tvmaze-ingestion-dev\/Service: cpu = 768 is not allowed; expected a Fargate CPU size/);
    });
    it("TV8: a sampling rate above 100 %", () => {
      expect(build(withSettings("dev", { systems: { tvmazeIngestion: { tracingSampleRate: 1.5 } } }))).toThrow(/tvmaze-ingestion-dev\/Sampling: fixedRate = 1\.5 is not allowed/);
    });
    it("TV9: a secret rotation the RDS-managed secret does not accept", () => {
      expect(build(withSettings("dev", { systems: { tvmazeIngestion: { secretRotationDays: 0 } } }))).toThrow(/tvmaze-ingestion-dev\/Database: passwordRotationDays = 0 is not allowed/);
    });
  });
});
