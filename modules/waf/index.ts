/**
 * A WAF (v2) web ACL (TV10, CA7): allow by default, block countries when asked, rate-limit each client IP,
 * then AWS managed rule groups (common rule set with XSS, known bad inputs, SQL injection, anonymous IPs). Metrics and sampled
 * requests on every rule, logs to a CloudWatch log group, optional association with load balancers and
 * optional AWS Shield Advanced protection of those resources.
 */
import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { Wafv2WebAcl, Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ShieldProtection } from "@cdktf/provider-aws/lib/shield-protection";
import { arn, fail, fitName, inRange, logRetentionDays, matches, oneOf, refuse } from "../core";
import { AWS_MANAGED_RULE_GROUP_NAMES, AwsManagedRuleGroup, DEFAULT_MANAGED_RULE_GROUPS } from "./managed-rule-groups";

export { AWS_MANAGED_RULE_GROUP_NAMES, DEFAULT_MANAGED_RULE_GROUPS } from "./managed-rule-groups";
export type { AwsManagedRuleGroup } from "./managed-rule-groups";

export type WebAclScope = "REGIONAL" | "CLOUDFRONT";

export interface WebAclProps {
  /** Web ACL name (also its metric name): letters, digits, "_" and "-"; shortened to 128 characters when longer. */
  readonly name: string;
  /**
   * "REGIONAL" for an ALB or API Gateway; "CLOUDFRONT" for a distribution, which AWS only accepts from a stack
   * whose provider region is us-east-1. @default "REGIONAL"
   */
  readonly scope?: WebAclScope;
  /** Requests per 5 minutes from one client IP before its requests are blocked, 10 to 2,000,000,000. @default 2000 */
  readonly rateLimitPer5Minutes?: number;
  /** AWS managed rule groups, in evaluation order (see AWS_MANAGED_RULE_GROUP_NAMES). @default common (XSS), known bad inputs, SQL injection, anonymous IPs */
  readonly managedRuleGroups?: readonly string[];
  /** Block requests from these ISO 3166-1 alpha-2 country codes, e.g. ["KP", "IR"]. @default none */
  readonly blockedCountries?: readonly string[];
  /** Resources to protect (ALB ARNs), REGIONAL scope only; a distribution references the ACL itself. @default [] */
  readonly associateWith?: readonly string[];
  /** Request logs to the log group "aws-waf-logs-<name>"; false turns them off (loses the audit trail). @default { retentionDays: 30 } */
  readonly logging?: false | { readonly retentionDays: number; readonly kmsKeyArn?: string };
  /** AWS Shield Advanced protection of every associateWith resource; the account must already subscribe (paid). @default false */
  readonly shieldAdvanced?: boolean;
  /** Provider every resource is created with, e.g. one in us-east-1 for a CLOUDFRONT ACL. @default the stack's */
  readonly provider?: TerraformProvider;
}

/** The rule statement shapes this module writes (the binding types `statement` loosely; these keep it checked). */
type RuleStatement =
  | { readonly geo_match_statement: { readonly country_codes: string[] } }
  | { readonly rate_based_statement: { readonly limit: number; readonly aggregate_key_type: "IP"; readonly evaluation_window_sec: number } }
  | { readonly managed_rule_group_statement: { readonly name: string; readonly vendor_name: "AWS" } };

const COUNTRY_CODE = /^[A-Z]{2}$/;
const RATE_LIMIT_MIN = 10;
const RATE_LIMIT_MAX = 2_000_000_000;
const RATE_WINDOW_SECONDS = 300;
const MANAGED_PRIORITY_START = 10;

export class WebAcl extends Construct {
  readonly webAclArn: string;
  readonly webAclId: string;
  readonly logGroupName?: string;
  readonly resource: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    matches(this, "name", props.name, /^[A-Za-z0-9_-]+$/, "letters, digits, \"_\" and \"-\"");
    const name = fitName(this, "name", props.name, "", "wafName");
    const aclScope = oneOf<WebAclScope>(this, "scope", props.scope ?? "REGIONAL", ["REGIONAL", "CLOUDFRONT"]);
    const rateLimit = inRange(this, "rateLimitPer5Minutes", props.rateLimitPer5Minutes ?? 2000, RATE_LIMIT_MIN, RATE_LIMIT_MAX);
    const groups = this.checkManagedGroups(props.managedRuleGroups ?? DEFAULT_MANAGED_RULE_GROUPS);
    const countries = this.checkCountries(props.blockedCountries ?? []);
    const associateWith = props.associateWith ?? [];
    refuse(this, "associateWith", associateWith, aclScope === "CLOUDFRONT" && associateWith.length > 0,
      "a CLOUDFRONT web ACL is attached by the distribution (its webAclArn setting), not by an association; use scope \"REGIONAL\" for load balancers");
    associateWith.forEach((a, i) => arn(this, `associateWith[${i}]`, a));
    if (new Set(associateWith).size !== associateWith.length) fail(this, "associateWith", associateWith, "expected each resource once");
    const shield = props.shieldAdvanced ?? false;
    refuse(this, "shieldAdvanced", shield, shield && associateWith.length === 0,
      "Shield Advanced protects the associateWith resources; list at least one (a distribution is protected from its own stack)");
    const logging = props.logging === false ? undefined : (props.logging ?? { retentionDays: 30 });
    if (logging) {
      logRetentionDays(this, "logging.retentionDays", logging.retentionDays);
      if (logging.kmsKeyArn !== undefined) arn(this, "logging.kmsKeyArn", logging.kmsKeyArn, "kms");
    }

    const rules: Wafv2WebAclRule[] = [];
    if (countries.length > 0) {
      rules.push(this.blockRule("block-countries", 0, name, { geo_match_statement: { country_codes: [...countries] } }));
    }
    rules.push(this.blockRule("rate-limit-per-ip", 1, name, {
      rate_based_statement: { limit: rateLimit, aggregate_key_type: "IP", evaluation_window_sec: RATE_WINDOW_SECONDS },
    }));
    groups.forEach((group, i) => {
      rules.push({
        name: group,
        priority: MANAGED_PRIORITY_START + i,
        overrideAction: { none: {} },
        statement: { managed_rule_group_statement: { name: group, vendor_name: "AWS" } } satisfies RuleStatement,
        visibilityConfig: visibility(`${name}-${group}`),
      });
    });

    const provider = props.provider;
    this.resource = new Wafv2WebAcl(this, "WebAcl", {
      provider,
      name,
      description: `Web ACL ${name}: rate limit, managed rule groups${countries.length ? ", geo block" : ""}`,
      scope: aclScope,
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility(name),
    });
    this.webAclArn = this.resource.arn;
    this.webAclId = this.resource.id;

    associateWith.forEach((resourceArn, i) => {
      // Ids follow list order: re-ordering associateWith re-creates the associations (a few seconds unprotected).
      new Wafv2WebAclAssociation(this, `Association${i}`, { provider, webAclArn: this.resource.arn, resourceArn });
      // Shield protection names share the 128-character limit of WAF names.
      if (shield) new ShieldProtection(this, `ShieldProtection${i}`, { provider, name: fitName(this, "name", props.name, `shield-${i}`, "wafName"), resourceArn });
    });

    if (logging) {
      // WAF only delivers to log groups whose name starts with "aws-waf-logs-".
      const logGroup = new CloudwatchLogGroup(this, "LogGroup", {
        provider,
        name: `aws-waf-logs-${name}`,
        retentionInDays: logging.retentionDays,
        ...(logging.kmsKeyArn ? { kmsKeyId: logging.kmsKeyArn } : {}),
      });
      this.logGroupName = logGroup.name;
      new Wafv2WebAclLoggingConfiguration(this, "Logging", {
        provider,
        resourceArn: this.resource.arn,
        logDestinationConfigs: [logGroup.arn],
        // Credentials and session cookies stay out of the logs.
        redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
      });
    }
  }

  private blockRule(ruleName: string, priority: number, aclName: string, statement: RuleStatement): Wafv2WebAclRule {
    return { name: ruleName, priority, action: { block: {} }, statement, visibilityConfig: visibility(`${aclName}-${ruleName}`) };
  }

  private checkManagedGroups(groups: readonly string[]): readonly AwsManagedRuleGroup[] {
    const known: readonly string[] = AWS_MANAGED_RULE_GROUP_NAMES;
    const seen = new Set<string>();
    groups.forEach((g, i) => {
      if (!known.includes(g)) fail(this, `managedRuleGroups[${i}]`, g, `expected one of ${AWS_MANAGED_RULE_GROUP_NAMES.join(", ")}`);
      if (seen.has(g)) fail(this, `managedRuleGroups[${i}]`, g, "expected each rule group once");
      seen.add(g);
    });
    return groups as readonly AwsManagedRuleGroup[];
  }

  private checkCountries(codes: readonly string[]): readonly string[] {
    const seen = new Set<string>();
    codes.forEach((c, i) => {
      matches(this, `blockedCountries[${i}]`, c, COUNTRY_CODE, "an ISO 3166-1 alpha-2 country code in upper case, e.g. \"KP\"");
      if (seen.has(c)) fail(this, `blockedCountries[${i}]`, c, "expected each country once");
      seen.add(c);
    });
    return codes;
  }
}

function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}
