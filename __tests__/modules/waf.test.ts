import { WebAcl } from "../../modules/waf";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { ShieldProtection } from "@cdktf/provider-aws/lib/shield-protection";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { only, resources, synthWith } from "../support/synth";

const ALB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/tvmaze-prod/50dc6c495c0c9188";

type Rule = { name: string; priority: number; action?: unknown; override_action?: unknown; statement: Record<string, any>; visibility_config: Record<string, unknown> };
const rules = (s: ReturnType<typeof synthWith>): Rule[] => only(s, "aws_wafv2_web_acl").rule;
const rule = (s: ReturnType<typeof synthWith>, name: string): Rule => {
  const r = rules(s).find((x) => x.name === name);
  if (!r) throw new Error(`no rule ${name}`);
  return r;
};

describe("WebAcl", () => {
  describe("with defaults", () => {
    const s = synthWith((scope) => new WebAcl(scope, "Waf", { name: "tvmaze-ingestion-dev" }));

    it("is a regional ACL that allows by default, with metrics and sampled requests on", () => {
      expect(s.json).toHaveResourceWithProperties(Wafv2WebAcl, {
        name: "tvmaze-ingestion-dev",
        scope: "REGIONAL",
        default_action: { allow: {} },
        visibility_config: { cloudwatch_metrics_enabled: true, metric_name: "tvmaze-ingestion-dev", sampled_requests_enabled: true },
      });
    });

    it("TV10: blocks a client IP above 2000 requests per 5 minutes", () => {
      const r = rule(s, "rate-limit-per-ip");
      expect(r.action).toEqual({ block: {} });
      expect(r.statement.rate_based_statement).toEqual({ limit: 2000, aggregate_key_type: "IP", evaluation_window_sec: 300 });
    });

    it("TV10: applies the SQL injection and common (XSS) AWS managed rule groups, plus known bad inputs and anonymous IPs", () => {
      const managed = rules(s).filter((r) => r.statement.managed_rule_group_statement).map((r) => r.statement.managed_rule_group_statement);
      // Known bad inputs (Log4j) and anonymous IPs together are what CKV2_AWS_76 asks of an ALB's ACL.
      expect(managed).toEqual([
        { name: "AWSManagedRulesCommonRuleSet", vendor_name: "AWS" },
        { name: "AWSManagedRulesKnownBadInputsRuleSet", vendor_name: "AWS" },
        { name: "AWSManagedRulesSQLiRuleSet", vendor_name: "AWS" },
        { name: "AWSManagedRulesAnonymousIpList", vendor_name: "AWS" },
      ]);
      expect(rule(s, "AWSManagedRulesSQLiRuleSet").override_action).toEqual({ none: {} });
    });

    it("gives every rule a unique priority and its own metric", () => {
      const all = rules(s);
      expect(new Set(all.map((r) => r.priority)).size).toBe(all.length);
      for (const r of all) expect(r.visibility_config).toMatchObject({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true });
      expect(new Set(all.map((r) => r.visibility_config.metric_name)).size).toBe(all.length);
    });

    it("has no geo rule, association or Shield protection", () => {
      expect(rules(s).some((r) => r.statement.geo_match_statement)).toBe(false);
      expect(s.json).not.toHaveResource(Wafv2WebAclAssociation);
      expect(s.json).not.toHaveResource(ShieldProtection);
    });

    it("logs to aws-waf-logs-<name> for 30 days, with credentials redacted", () => {
      expect(s.json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "aws-waf-logs-tvmaze-ingestion-dev", retention_in_days: 30 });
      const logging = only(s, "aws_wafv2_web_acl_logging_configuration");
      expect(logging.log_destination_configs).toEqual(["${aws_cloudwatch_log_group.Waf_LogGroup_6EEC4E46.arn}"]);
      expect(logging.redacted_fields).toContainEqual({ single_header: { name: "authorization" } });
    });
  });

  describe("TV10: with geo restriction and a custom rate", () => {
    const s = synthWith((scope) => new WebAcl(scope, "Waf", { name: "tvmaze-ingestion-prod", rateLimitPer5Minutes: 500, blockedCountries: ["KP", "IR"] }));

    it("TV10: blocks the listed countries before anything else", () => {
      const geo = rule(s, "block-countries");
      expect(geo.action).toEqual({ block: {} });
      expect(geo.statement.geo_match_statement.country_codes).toEqual(["KP", "IR"]);
      expect(geo.priority).toBe(Math.min(...rules(s).map((r) => r.priority)));
    });

    it("uses the given rate limit", () => {
      expect(rule(s, "rate-limit-per-ip").statement.rate_based_statement.limit).toBe(500);
    });
  });

  describe("CA7: on the ALB with Shield Advanced", () => {
    const s = synthWith((scope) => new WebAcl(scope, "Waf", { name: "chat-app-prod", associateWith: [ALB], shieldAdvanced: true, logging: { retentionDays: 90 } }));

    it("CA7: associates the web ACL with the ALB", () => {
      expect(s.json).toHaveResourceWithProperties(Wafv2WebAclAssociation, { resource_arn: ALB, web_acl_arn: "${aws_wafv2_web_acl.Waf_WebAcl_BE24253C.arn}" });
    });

    it("CA7: protects the ALB with Shield Advanced when opted in", () => {
      expect(s.json).toHaveResourceWithProperties(ShieldProtection, { resource_arn: ALB, name: "chat-app-prod-shield-0" });
    });

    it("keeps logs for the given retention", () => {
      expect(only(s, "aws_cloudwatch_log_group").retention_in_days).toBe(90);
    });
  });

  describe("with CLOUDFRONT scope, chosen rule groups and no logging", () => {
    const s = synthWith((scope) =>
      new WebAcl(scope, "Waf", { name: "chat-app-prod-cdn", scope: "CLOUDFRONT", managedRuleGroups: ["AWSManagedRulesAmazonIpReputationList"], logging: false }),
    );

    it("is a CLOUDFRONT ACL with only the chosen managed group", () => {
      expect(only(s, "aws_wafv2_web_acl").scope).toBe("CLOUDFRONT");
      expect(rules(s).filter((r) => r.statement.managed_rule_group_statement).map((r) => r.name)).toEqual(["AWSManagedRulesAmazonIpReputationList"]);
    });

    it("creates no log group or logging configuration", () => {
      expect(Object.keys(resources(s, "aws_cloudwatch_log_group"))).toHaveLength(0);
      expect(Object.keys(resources(s, "aws_wafv2_web_acl_logging_configuration"))).toHaveLength(0);
    });
  });

  describe("with a provider in us-east-1 (a CloudFront ACL from a stack in another region)", () => {
    const s = synthWith((scope) => {
      const usEast1 = new AwsProvider(scope, "aws-us-east-1", { alias: "us_east_1", region: "us-east-1" });
      new WebAcl(scope, "Waf", { name: "chat-app-prod-cdn", scope: "CLOUDFRONT", logging: { retentionDays: 365 }, provider: usEast1 });
    });

    it("creates the ACL, its log group and its logging configuration with that provider", () => {
      const created = ["aws_wafv2_web_acl", "aws_cloudwatch_log_group", "aws_wafv2_web_acl_logging_configuration"].map((type) => only(s, type).provider);
      expect(created).toEqual(["aws.us_east_1", "aws.us_east_1", "aws.us_east_1"]);
    });

    it("uses the same provider for associations and Shield protections", () => {
      const r = synthWith((scope) => {
        const other = new AwsProvider(scope, "aws-other", { alias: "other", region: "eu-central-1" });
        new WebAcl(scope, "Waf", { name: "sys-prod", associateWith: [ALB], shieldAdvanced: true, logging: false, provider: other });
      });
      expect([only(r, "aws_wafv2_web_acl_association").provider, only(r, "aws_shield_protection").provider]).toEqual(["aws.other", "aws.other"]);
    });
  });

  it("uses the stack's default provider when none is given", () => {
    const s = synthWith((scope) => new WebAcl(scope, "Waf", { name: "sys-dev", associateWith: [ALB] }));
    for (const type of ["aws_wafv2_web_acl", "aws_wafv2_web_acl_association", "aws_cloudwatch_log_group", "aws_wafv2_web_acl_logging_configuration"]) {
      expect(only(s, type).provider, type).toBeUndefined();
    }
  });

  it("shortens a name longer than 128 characters deterministically", () => {
    const long = `sys-${"x".repeat(140)}`;
    const name = only(synthWith((scope) => new WebAcl(scope, "Waf", { name: long, logging: false })), "aws_wafv2_web_acl").name as string;
    expect(name.length).toBeLessThanOrEqual(128);
    expect(only(synthWith((scope) => new WebAcl(scope, "Waf", { name: long, logging: false })), "aws_wafv2_web_acl").name).toBe(name);
  });

  describe("refuses", () => {
    const build = (props: Partial<ConstructorParameters<typeof WebAcl>[2]>) => () =>
      synthWith((scope) => new WebAcl(scope, "Waf", { name: "sys-dev", ...props }));

    it("a rate limit below 10", () => {
      expect(build({ rateLimitPer5Minutes: 5 })).toThrow(/test\/Waf: rateLimitPer5Minutes = 5 is not allowed; expected a whole number from 10 to 2000000000/);
    });
    it("a rate limit above 2,000,000,000", () => {
      expect(build({ rateLimitPer5Minutes: 3_000_000_000 })).toThrow(/rateLimitPer5Minutes = 3000000000 is not allowed/);
    });
    it("an unknown managed rule group", () => {
      expect(build({ managedRuleGroups: ["AWSManagedRulesXssRuleSet"] })).toThrow(/managedRuleGroups\[0\] = "AWSManagedRulesXssRuleSet" is not allowed; expected one of AWSManagedRulesCommonRuleSet/);
    });
    it("a managed rule group listed twice", () => {
      expect(build({ managedRuleGroups: ["AWSManagedRulesSQLiRuleSet", "AWSManagedRulesSQLiRuleSet"] })).toThrow(/managedRuleGroups\[1\] = "AWSManagedRulesSQLiRuleSet" .* once/);
    });
    it("a country code that is not two upper-case letters", () => {
      expect(build({ blockedCountries: ["kp"] })).toThrow(/blockedCountries\[0\] = "kp" is not allowed; expected an ISO 3166-1 alpha-2 country code/);
    });
    it("a country listed twice", () => {
      expect(build({ blockedCountries: ["KP", "KP"] })).toThrow(/blockedCountries\[1\] = "KP" .* once/);
    });
    it("an association with a CLOUDFRONT ACL", () => {
      expect(build({ scope: "CLOUDFRONT", associateWith: [ALB] })).toThrow(/associateWith = \[".*"\] is not allowed; a CLOUDFRONT web ACL is attached by the distribution/);
    });
    it("an association target that is not an ARN", () => {
      expect(build({ associateWith: ["my-alb"] })).toThrow(/associateWith\[0\] = "my-alb" is not allowed; expected an ARN/);
    });
    it("Shield Advanced with nothing to protect", () => {
      expect(build({ shieldAdvanced: true })).toThrow(/shieldAdvanced = true is not allowed; Shield Advanced protects the associateWith resources/);
    });
    it("a log retention CloudWatch does not offer", () => {
      expect(build({ logging: { retentionDays: 10 } })).toThrow(/logging\.retentionDays = 10 is not allowed; expected a CloudWatch Logs retention value/);
    });
    it("a name with characters WAF rejects", () => {
      expect(build({ name: "sys dev" })).toThrow(/name = "sys dev" is not allowed; expected letters, digits/);
    });
  });
});
