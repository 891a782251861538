/**
 * An Application Load Balancer, internet-facing in the public subnets or internal in the private ones: HTTPS on 443 with an HTTP->HTTPS redirect
 * (or, with `http: "closed"`, no port 80 at all) when a certificate is given, plain HTTP on 80 otherwise (AP6, TV2). Targets (IP target groups for awsvpc tasks)
 * are added after construction with `addTarget`, as a blue/green pair with `addTargetGroupPair` (CA9), or weighted
 * (a canary) with `addWeightedTargets`. Options: extra SNI certificates, OIDC or Cognito authentication on a rule.
 */
import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener, LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule, LbListenerRuleCondition } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbListenerCertificate } from "@cdktf/provider-aws/lib/lb-listener-certificate";
import { authenticateAction, checkWeights, forwardAction, ListenerAuthentication } from "./actions";

export type { CognitoAuthentication, ListenerAuthentication, OidcAuthentication } from "./actions";
import {
  allowCidr, cidr, createSecurityGroup, fail, fitName, IConnectable, INetwork, inRange, isToken, matches, nonEmpty, oneOf, port as checkPort, Protection,
} from "../core";

export interface AlbProps {
  /** The environment's protection profile (G8); each prop of the same name given here wins. @default each prop's own default */
  readonly protection?: Protection;
  /** Base name chosen by the stack, e.g. "alerting-platform-dev"; the load balancer name is fitted to 32 characters. */
  readonly name: string;
  /** The load balancer goes in the public subnets; target groups are created in this VPC. */
  readonly network: INetwork;
  /** ACM certificate: HTTPS listener on 443 plus an HTTP->HTTPS redirect on 80. Without it: HTTP on 80 only. @default none */
  readonly certificateArn?: string;
  /**
   * Port 80 when certificateArn is set, in the spirit of aws-cdk's `redirectHTTP`: "redirect" keeps an HTTP listener
   * that answers 301 to HTTPS; "closed" has no HTTP listener and no port-80 ingress rule (clients must use https://).
   * Without a certificate port 80 serves the application, and this setting is refused. @default "redirect"
   */
  readonly http?: "redirect" | "closed";
  /** TLS policy of the HTTPS listener. @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  readonly sslPolicy?: string;
  /** Seconds a connection may stay idle, 1-4000. @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** @default false */
  readonly deletionProtection?: boolean;
  /** Write access logs to this S3 bucket (name), under the prefix `name`. The bucket policy must allow ELB log delivery. @default none */
  readonly accessLogsBucket?: string;
  /** Who may reach the listeners. @default ["0.0.0.0/0"], or the VPC's CIDR when internal */
  readonly allowedCidrs?: readonly string[];
  /** An internal load balancer in the private subnets, reachable from inside the network only. @default false */
  readonly internal?: boolean;
  /** More ACM certificates on the HTTPS listener, chosen by SNI (one per extra domain); needs certificateArn. @default [] */
  readonly additionalCertificateArns?: readonly string[];
}

export interface AlbTargetProps {
  /** Target name, e.g. "rule-service"; the target group is named `<alb name>-<target name>`, fitted to 32 characters. */
  readonly name: string;
  /** Container port the tasks listen on. */
  readonly port: number;
  /** @default "/health" */
  readonly healthCheckPath?: string;
  /** HTTP codes that count as healthy: "200", "200-399" or "200,204". @default "200-399" */
  readonly healthCheckMatcher?: string;
  /** Seconds to drain a deregistering target, 0-3600. @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /** Route requests for these paths here (listener rule). A target with no conditions becomes the default action. @default none */
  readonly pathPatterns?: readonly string[];
  /** Route requests for these host names here (listener rule). @default none */
  readonly hostHeaders?: readonly string[];
  /** Listener rule priority, 1-50000, unique per load balancer; required with conditions. @default none */
  readonly priority?: number;
  /** Authenticate users (OIDC or Cognito) before forwarding; HTTPS listener only. @default none */
  readonly authentication?: ListenerAuthentication;
}

/** One target group of a weighted (canary) route. */
export interface AlbWeightedTarget extends Pick<AlbTargetProps, "name" | "port" | "healthCheckPath" | "healthCheckMatcher" | "deregistrationDelaySeconds"> {
  /** Share of requests relative to the others, 0-999 (e.g. 90 and 10). */
  readonly weight: number;
}

/** A route forwarding to 2-5 target groups by weight. */
export interface AlbWeightedTargetsProps extends Pick<AlbTargetProps, "pathPatterns" | "hostHeaders" | "priority" | "authentication"> {
  /** The route's name, used in error messages and the rule's construct id. */
  readonly name: string;
  readonly targets: readonly AlbWeightedTarget[];
}

export interface AlbTarget {
  readonly targetGroupArn: string;
  readonly targetGroupName: string;
  /** For CloudWatch metrics (dimension TargetGroup). */
  readonly arnSuffix: string;
  readonly port: number;
  readonly resource: LbTargetGroup;
  /**
   * What routes traffic to the group (the listener or its rule). ECS refuses a service whose target group is not
   * yet attached to a load balancer, so a service behind this target depends on it.
   */
  readonly routing: ITerraformDependable;
}

const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;
const MATCHER = /^(\d{3})(?:-(\d{3})|((?:,\d{3})*))$/;
const MAX_CONDITION_VALUES = 5;

const NOT_FOUND: LbListenerDefaultAction = {
  type: "fixed-response",
  fixedResponse: { contentType: "text/plain", messageBody: "Not Found", statusCode: "404" },
};

export class Alb extends Construct implements IConnectable {
  readonly albArn: string;
  readonly arnSuffix: string;
  readonly dnsName: string;
  readonly zoneId: string;
  readonly securityGroupId: string;
  /** The listener that serves traffic: HTTPS when a certificate is set, HTTP otherwise. Rules attach here. */
  readonly listenerArn: string;
  /** The port-80 listener: absent with `http: "closed"`. */
  readonly httpListenerArn?: string;
  readonly httpsListenerArn?: string;
  readonly resource: Lb;

  private readonly baseName: string;
  private readonly https: boolean;
  private readonly vpcId: string;
  private readonly serving: LbListener;
  private defaultTargetId?: string;
  private readonly priorities = new Map<number, string>();
  private readonly targetGroupNames = new Map<string, string>();

  constructor(scope: Construct, id: string, props: AlbProps) {
    super(scope, id);
    matches(this, "name", props.name, NAME, "letters, digits and hyphens, not starting or ending with a hyphen");
    if (props.name.toLowerCase().startsWith("internal-")) fail(this, "name", props.name, "expected a name not starting with \"internal-\" (reserved by AWS)");
    const albName = fitName(this, "name", props.name, "", "albName");
    const https = props.certificateArn !== undefined;
    if (https && !isToken(props.certificateArn)) {
      matches(this, "certificateArn", props.certificateArn!, ACM_ARN, "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)");
    }
    if (props.http !== undefined && !https) fail(this, "http", props.http, "expected certificateArn too: without a certificate port 80 serves the application");
    const httpOpen = oneOf(this, "http", props.http ?? "redirect", ["redirect", "closed"]) === "redirect";
    const sslPolicy = props.sslPolicy ?? DEFAULT_SSL_POLICY;
    matches(this, "sslPolicy", sslPolicy, /^ELBSecurityPolicy-[A-Za-z0-9-]+$/, "an ELB security policy name starting with \"ELBSecurityPolicy-\"");
    const idleTimeout = inRange(this, "idleTimeoutSeconds", props.idleTimeoutSeconds ?? 60, 1, 4000);
    const allowedCidrs = nonEmpty(this, "allowedCidrs", props.allowedCidrs ?? [(props.internal ?? false) === true ? props.network.vpcCidr : "0.0.0.0/0"]);
    allowedCidrs.forEach((c, i) => {
      if (!isToken(c)) cidr(this, `allowedCidrs[${i}]`, c);
      if (allowedCidrs.indexOf(c) !== i) fail(this, `allowedCidrs[${i}]`, c, "expected each CIDR once");
    });
    const internal = props.internal ?? false;
    if (typeof internal !== "boolean") fail(this, "internal", internal, "expected true or false");
    const extraCertificates = props.additionalCertificateArns ?? [];
    if (extraCertificates.length > 0 && !https) fail(this, "additionalCertificateArns", extraCertificates, "expected certificateArn too: SNI certificates sit on the HTTPS listener");
    extraCertificates.forEach((c, i) => {
      if (!isToken(c)) matches(this, `additionalCertificateArns[${i}]`, c, ACM_ARN, "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)");
      if (c === props.certificateArn || extraCertificates.indexOf(c) !== i) fail(this, `additionalCertificateArns[${i}]`, c, "expected each certificate once, and not the default certificateArn");
    });
    if (props.accessLogsBucket !== undefined && !isToken(props.accessLogsBucket)) {
      matches(this, "accessLogsBucket", props.accessLogsBucket, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name");
    }
    this.baseName = props.name;
    this.https = https;
    this.vpcId = props.network.vpcId;

    const sg = createSecurityGroup(this, "SecurityGroup", {
      name: fitName(this, "name", props.name, "alb", "securityGroupName"),
      description: `Load balancer ${albName}: listeners from the allowed CIDRs, out to the VPC only`,
      vpcId: props.network.vpcId,
      egress: "vpc",
      vpcCidr: props.network.vpcCidr,
    });
    this.securityGroupId = sg.id;
    for (const c of allowedCidrs) {
      if (httpOpen) allowCidr(this, c, 80, `HTTP from ${c}`);
      if (https) allowCidr(this, c, 443, `HTTPS from ${c}`);
    }

    this.resource = new Lb(this, "LoadBalancer", {
      name: albName,
      loadBalancerType: "application",
      internal,
      ipAddressType: "ipv4",
      subnets: internal ? props.network.privateSubnetIds : props.network.publicSubnetIds,
      securityGroups: [sg.id],
      idleTimeout,
      enableHttp2: true,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "defensive",
      enableDeletionProtection: (props.deletionProtection ?? props.protection?.deletionProtection) ?? false,
      ...(props.accessLogsBucket ? { accessLogs: { bucket: props.accessLogsBucket, prefix: props.name, enabled: true } } : {}),
    });
    this.albArn = this.resource.arn;
    this.arnSuffix = this.resource.arnSuffix;
    this.dnsName = this.resource.dnsName;
    this.zoneId = this.resource.zoneId;

    let serving: LbListener | undefined;
    if (httpOpen) {
      const http = new LbListener(this, "HttpListener", {
        loadBalancerArn: this.resource.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [
          https ? { type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } } : NOT_FOUND,
        ],
      });
      this.httpListenerArn = http.arn;
      serving = http;
    }
    if (https) {
      const secure = new LbListener(this, "HttpsListener", {
        loadBalancerArn: this.resource.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy,
        certificateArn: props.certificateArn,
        defaultAction: [NOT_FOUND],
      });
      this.httpsListenerArn = secure.arn;
      serving = secure;
      extraCertificates.forEach((certificateArn, i) => {
        new LbListenerCertificate(this, `HttpsCertificate${i + 1}`, { listenerArn: secure.arn, certificateArn });
      });
    }
    // Without a certificate port 80 is always open, so one of the two listeners exists.
    this.serving = serving!;
    this.listenerArn = this.serving.arn;
  }

  /**
   * An IP target group routed from the serving listener: by a listener rule when the target has path or host
   * conditions, otherwise as the listener's default action (at most one such target).
   */
  addTarget(id: string, props: AlbTargetProps): AlbTarget {
    const route = this.checkTarget(id, props);
    const target = this.targetGroup(`${id}TargetGroup`, id, props, props.name);
    const routing = this.route(id, route, [{ arn: target.targetGroupArn }], false, this.authentication(id, props.authentication));
    return { ...target, routing };
  }

  /**
   * A canary: 2-5 IP target groups behind one route, each getting its weight's share of requests (e.g. 90/10).
   * Shift traffic by changing the weights; the route is a rule with conditions or the default action.
   */
  addWeightedTargets(id: string, props: AlbWeightedTargetsProps): AlbTarget[] {
    const at = `addWeightedTargets(${JSON.stringify(id)})`;
    const targets = Array.isArray(props.targets) ? props.targets : fail(this, `${at}.targets`, props.targets, "expected a list of weighted targets");
    checkWeights(this, `${at}.targets`, targets.map((t) => t.weight));
    const route = this.checkTarget(id, { ...props, port: targets[0].port });
    const groups = targets.map((t, i) => {
      this.checkTarget(`${id}${i + 1}`, { ...t, priority: undefined }, true);
      return this.targetGroup(`${id}${i + 1}TargetGroup`, `${id}${i + 1}`, t, t.name);
    });
    const routing = this.route(id, route, groups.map((g, i) => ({ arn: g.targetGroupArn, weight: targets[i].weight })), false, this.authentication(id, props.authentication));
    return groups.map((g) => ({ ...g, routing }));
  }

  private authentication(id: string, auth: ListenerAuthentication | undefined): ReturnType<typeof authenticateAction> | undefined {
    return auth === undefined ? undefined : authenticateAction(this, `addTarget(${JSON.stringify(id)}).authentication`, auth, this.https);
  }

  /**
   * Two identical target groups for CodeDeploy blue/green (CA9): `-b` (blue) is routed from the listener, `-g`
   * (green) waits for the deployment. CodeDeploy swaps them on the listener, so Terraform ignores changes to the
   * routed action instead of swapping them back.
   */
  addTargetGroupPair(id: string, props: AlbTargetProps): [AlbTarget, AlbTarget] {
    const route = this.checkTarget(id, props);
    const blue = this.targetGroup(`${id}BlueTargetGroup`, id, props, `${props.name}-b`);
    const green = this.targetGroup(`${id}GreenTargetGroup`, id, props, `${props.name}-g`);
    const routing = this.route(id, route, [{ arn: blue.targetGroupArn }], true);
    // The green group is attached by CodeDeploy during a deployment; it depends on the same routing.
    return [{ ...blue, routing }, { ...green, routing }];
  }

  private checkTarget(id: string, props: AlbTargetProps, groupOnly = false): { conditions: LbListenerRuleCondition[]; priority?: number } {
    const at = `addTarget(${JSON.stringify(id)})`;
    matches(this, `${at} id`, id, /^[A-Z][A-Za-z0-9]*$/, "a PascalCase construct id such as \"RuleService\"");
    matches(this, `${at}.name`, props.name, NAME, "letters, digits and hyphens, not starting or ending with a hyphen");
    checkPort(this, `${at}.port`, props.port);
    matches(this, `${at}.healthCheckPath`, props.healthCheckPath ?? "/health", /^\/[\x21-\x7e]{0,1023}$/, "a path starting with \"/\", e.g. \"/health\"");
    this.checkMatcher(`${at}.healthCheckMatcher`, props.healthCheckMatcher ?? "200-399");
    inRange(this, `${at}.deregistrationDelaySeconds`, props.deregistrationDelaySeconds ?? 30, 0, 3600);
    if (groupOnly) return { conditions: [] };

    const conditions: LbListenerRuleCondition[] = [];
    if (props.pathPatterns !== undefined) {
      nonEmpty(this, `${at}.pathPatterns`, props.pathPatterns);
      props.pathPatterns.forEach((p, i) => matches(this, `${at}.pathPatterns[${i}]`, p, /^\/[\x21-\x7e]{0,127}$/, "a path pattern starting with \"/\", at most 128 characters"));
      conditions.push({ pathPattern: { values: [...props.pathPatterns] } });
    }
    if (props.hostHeaders !== undefined) {
      nonEmpty(this, `${at}.hostHeaders`, props.hostHeaders);
      props.hostHeaders.forEach((h, i) => matches(this, `${at}.hostHeaders[${i}]`, h, /^[A-Za-z0-9*?.-]{1,128}$/, "a host name (wildcards * and ? allowed), at most 128 characters"));
      conditions.push({ hostHeader: { values: [...props.hostHeaders] } });
    }
    const values = (props.pathPatterns?.length ?? 0) + (props.hostHeaders?.length ?? 0);
    if (values > MAX_CONDITION_VALUES) fail(this, `${at}.pathPatterns`, props.pathPatterns, `expected at most ${MAX_CONDITION_VALUES} path and host values in one rule (got ${values})`);

    if (conditions.length === 0) {
      if (props.priority !== undefined) fail(this, `${at}.priority`, props.priority, "only meaningful with pathPatterns or hostHeaders; a target without conditions is the listener's default action");
      if (this.defaultTargetId !== undefined) {
        fail(this, `${at}.pathPatterns`, props.pathPatterns, `expected pathPatterns or hostHeaders with a priority: target "${this.defaultTargetId}" is already the listener's default action`);
      }
      return { conditions };
    }
    if (props.priority === undefined) fail(this, `${at}.priority`, props.priority, "required with pathPatterns or hostHeaders: a whole number from 1 to 50000, unique per load balancer");
    const priority = inRange(this, `${at}.priority`, props.priority, 1, 50000);
    const taken = this.priorities.get(priority);
    if (taken !== undefined) fail(this, `${at}.priority`, priority, `expected a priority not used by another target (target "${taken}" has it)`);
    return { conditions, priority };
  }

  private checkMatcher(setting: string, matcher: string): void {
    const m = typeof matcher === "string" ? MATCHER.exec(matcher) : null;
    const allowed = "HTTP codes from 200 to 499 as \"200\", a range \"200-399\" or a list \"200,204\"";
    if (!m) fail(this, setting, matcher, `expected ${allowed}`);
    const codes = matcher.split(/[-,]/).map(Number);
    if (codes.some((c) => c < 200 || c > 499)) fail(this, setting, matcher, `expected ${allowed}`);
    if (m[2] !== undefined && codes[0] > codes[1]) fail(this, setting, matcher, "expected a range from low to high, e.g. \"200-399\"");
  }

  private targetGroup(constructId: string, id: string, props: AlbTargetProps, component: string): Omit<AlbTarget, "routing"> {
    const at = `addTarget(${JSON.stringify(id)})`;
    const name = fitName(this, `${at}.name`, this.baseName, component, "targetGroupName");
    const owner = this.targetGroupNames.get(name);
    if (owner !== undefined) fail(this, `${at}.name`, props.name, `expected a target name not used by another target (target "${owner}" is named "${name}")`);
    this.targetGroupNames.set(name, id);
    const tg = new LbTargetGroup(this, constructId, {
      name,
      port: props.port,
      protocol: "HTTP",
      targetType: "ip",
      vpcId: this.vpcId,
      deregistrationDelay: String(props.deregistrationDelaySeconds ?? 30),
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: props.healthCheckPath ?? "/health",
        matcher: props.healthCheckMatcher ?? "200-399",
        interval: 30,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });
    return { targetGroupArn: tg.arn, targetGroupName: tg.name, arnSuffix: tg.arnSuffix, port: props.port, resource: tg };
  }

  /** A listener rule for a target with conditions; otherwise the serving listener's default action. */
  private route(
    id: string, route: { conditions: LbListenerRuleCondition[]; priority?: number }, groups: { arn: string; weight?: number }[],
    swappedByCodeDeploy: boolean, authenticate?: ReturnType<typeof authenticateAction>,
  ): ITerraformDependable {
    const action = authenticate ? [authenticate, forwardAction(groups, 2)] : [forwardAction(groups)];
    if (route.priority === undefined) {
      this.defaultTargetId = id;
      // Replaces the fixed-response 404 set at construction: one in-place listener update, no catch-all rule to keep in sync.
      this.serving.putDefaultAction(action);
      if (swappedByCodeDeploy) this.serving.lifecycle = { ignoreChanges: ["default_action"] };
      return this.serving;
    }
    this.priorities.set(route.priority, id);
    return new LbListenerRule(this, `${id}Rule`, {
      listenerArn: this.serving.arn,
      priority: route.priority,
      action,
      condition: route.conditions,
      ...(swappedByCodeDeploy ? { lifecycle: { ignoreChanges: ["action"] } } : {}),
    });
  }
}
