/**
 * AWS managed rule groups (vendor "AWS") this module can add without extra configuration, with their
 * web ACL capacity units (WCU). Groups that need a configuration block or a paid add-on subscription
 * (Bot Control, account takeover and account creation fraud prevention, anti-DDoS) are left out on purpose.
 */
export const AWS_MANAGED_RULE_GROUPS = {
  /** Core rule set: OWASP Top 10 basics, including cross-site scripting (XSS). */
  AWSManagedRulesCommonRuleSet: 700,
  AWSManagedRulesAdminProtectionRuleSet: 100,
  AWSManagedRulesKnownBadInputsRuleSet: 200,
  /** SQL injection. */
  AWSManagedRulesSQLiRuleSet: 200,
  AWSManagedRulesLinuxRuleSet: 200,
  AWSManagedRulesUnixRuleSet: 100,
  AWSManagedRulesWindowsRuleSet: 200,
  AWSManagedRulesPHPRuleSet: 100,
  AWSManagedRulesWordPressRuleSet: 100,
  AWSManagedRulesAmazonIpReputationList: 25,
  AWSManagedRulesAnonymousIpList: 50,
} as const;

export type AwsManagedRuleGroup = keyof typeof AWS_MANAGED_RULE_GROUPS;

export const AWS_MANAGED_RULE_GROUP_NAMES = Object.keys(AWS_MANAGED_RULE_GROUPS) as AwsManagedRuleGroup[];

/**
 * The default: common (covers XSS), known bad inputs (Log4j among them), SQL injection (TV10), and anonymous IPs
 * (VPNs, Tor, hosting providers): 1,150 WCU of the 1,500 an ACL gets without extra charge.
 */
export const DEFAULT_MANAGED_RULE_GROUPS: readonly AwsManagedRuleGroup[] = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
  "AWSManagedRulesAnonymousIpList",
];
