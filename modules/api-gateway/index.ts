/**
 * A REST API in front of an HTTP backend, metered per client (TV12): every call needs an API key whose usage plan
 * throttles it (1000 requests/minute by default), and, with `cognito`, a user signed in to a Cognito user pool.
 * One greedy `{proxy+}` resource forwards everything to the backend. Stage "v1" has access logs, X-Ray tracing,
 * metrics and a stage-wide throttle; GET caching is opt-in (it is billed by the hour).
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayAuthorizer } from "@cdktf/provider-aws/lib/api-gateway-authorizer";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayUsagePlan } from "@cdktf/provider-aws/lib/api-gateway-usage-plan";
import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import {
  arn, createRole, fail, fitName, inRange, isToken, logRetentionDays, matches, nonEmpty, Protection, serviceTrustPolicy,
} from "../core";
import { UserPool } from "./cognito";

/** A usage-plan tier with its own limits; a plain name takes the API's requestsPerMinute and requestsPerDayQuota. */
export interface UsagePlanTier {
  /** e.g. "premium": lowercase letters, digits and hyphens. */
  readonly name: string;
  /** Requests per minute per API key. @default the API's requestsPerMinute */
  readonly requestsPerMinute?: number;
  /** Requests per day per API key. @default the API's requestsPerDayQuota */
  readonly requestsPerDayQuota?: number;
}

export interface ApiWithUsagePlansProps {
  /** The environment's protection profile (G8); each prop of the same name given here wins. @default each prop's own default */
  readonly protection?: Protection;
  /** Base name of the API, its user pool, usage plans and log group, e.g. "trading-platform-prod-public-api". */
  readonly name: string;
  /** The HTTP backend every path is forwarded to, e.g. "https://internal-alb.example.com" (no trailing path variables). */
  readonly backendUrl: string;
  /** Requests per minute per API key: the usage plan throttle (rate = perMinute / 60 per second, burst = one second). @default 1000 */
  readonly requestsPerMinute?: number;
  /** Requests per day per API key. @default no quota */
  readonly requestsPerDayQuota?: number;
  /** Usage-plan tiers, one plan each: names, or tiers with their own limits. @default ["default"] */
  readonly tiers?: readonly (string | UsagePlanTier)[];
  /** Callers must also present a Cognito ID token (email sign-in, optional TOTP MFA, advanced security off). @default true */
  readonly cognito?: boolean;
  /** Protect the user pool (and its users) from deletion. @default true */
  readonly deletionProtection?: boolean;
  /** Anyone may sign up to the user pool; false means administrators invite users. @default false */
  readonly allowSelfSignUp?: boolean;
  /** Retention of the access log group. @default 30 */
  readonly logRetentionDays?: number;
  /** Customer KMS key for the access log group. @default AWS-managed encryption */
  readonly kmsKeyArn?: string;
  /**
   * Cache GET responses for 5 minutes (a 0.5 GB cache cluster, billed hourly). The cache key is the path and, with
   * Cognito, the Authorization header; query strings are not part of it. @default false
   */
  readonly cache?: boolean;
  /** Stage-wide throttle for all callers together, requests per second (burst = twice that). @default 100 */
  readonly stageRequestsPerSecond?: number;
  /**
   * Set this region's API Gateway CloudWatch Logs role (an account-wide setting that access and execution logs
   * need). Turn off when another stack of the same account and region already sets it. @default true
   */
  readonly setAccountLoggingRole?: boolean;
}

const STAGE = "v1";
const NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const TIER = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;
const CACHE_TTL_SECONDS = 300;
/** API Gateway's integration timeout ceiling for REST APIs (without a quota increase). */
const INTEGRATION_TIMEOUT_MS = 29000;

const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  user: "$context.authorizer.claims.sub",
  apiKeyId: "$context.identity.apiKeyId",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  path: "$context.path",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  latency: "$context.responseLatency",
  integrationLatency: "$context.integration.latency",
  integrationStatus: "$context.integration.status",
  xrayTraceId: "$context.xrayTraceId",
});

interface ResolvedTier {
  readonly name: string;
  readonly requestsPerMinute: number;
  readonly requestsPerDayQuota?: number;
}

export class ApiWithUsagePlans extends Construct {
  readonly restApiId: string;
  /** Base URL of stage v1, e.g. https://abc.execute-api.eu-west-1.amazonaws.com/v1 */
  readonly invokeUrl: string;
  readonly stageName: string = STAGE;
  readonly executionArn: string;
  readonly userPoolId?: string;
  readonly userPoolArn?: string;
  readonly userPoolClientId?: string;
  /** Usage plan id per tier name: API keys are attached to these. */
  readonly usagePlanIds: Record<string, string>;
  readonly logGroupName: string;
  readonly resource: ApiGatewayRestApi;

  constructor(scope: Construct, id: string, props: ApiWithUsagePlansProps) {
    super(scope, id);
    const name = matches(this, "name", props.name, NAME, "lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen");
    const backendUrl = this.checkBackendUrl(props.backendUrl);
    const perMinute = inRange(this, "requestsPerMinute", props.requestsPerMinute ?? 1000, 1, 6_000_000);
    if (props.requestsPerDayQuota !== undefined) inRange(this, "requestsPerDayQuota", props.requestsPerDayQuota, 1, 2_000_000_000);
    const stageRps = inRange(this, "stageRequestsPerSecond", props.stageRequestsPerSecond ?? 100, 1, 10000);
    const tiers = this.checkTiers(props.tiers ?? ["default"], perMinute, props.requestsPerDayQuota, stageRps);
    const retention = logRetentionDays(this, "logRetentionDays", props.logRetentionDays ?? 30);
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    const cognito = props.cognito ?? true;
    const cache = props.cache ?? false;

    this.resource = new ApiGatewayRestApi(this, "RestApi", {
      name,
      description: `${name}: metered proxy to its backend`,
      endpointConfiguration: { types: ["REGIONAL"] },
      apiKeySource: "HEADER",
    });
    this.restApiId = this.resource.id;
    this.executionArn = this.resource.executionArn;

    const users = cognito
      ? new UserPool(this, "UserPool", { name, deletionProtection: (props.deletionProtection ?? props.protection?.deletionProtection) ?? true, allowSelfSignUp: props.allowSelfSignUp ?? false })
      : undefined;
    this.userPoolId = users?.pool.id;
    this.userPoolArn = users?.pool.arn;
    this.userPoolClientId = users?.client.id;
    const authorizer = users
      ? new ApiGatewayAuthorizer(this, "CognitoAuthorizer", {
          name: `${name}-cognito`,
          restApiId: this.resource.id,
          type: "COGNITO_USER_POOLS",
          providerArns: [users.pool.arn],
          identitySource: "method.request.header.Authorization",
        })
      : undefined;

    const proxy = new ApiGatewayResource(this, "ProxyResource", {
      restApiId: this.resource.id,
      parentId: this.resource.rootResourceId,
      pathPart: "{proxy+}",
    });
    const methods = [this.proxyMethod("Any", "ANY", proxy, backendUrl, authorizer, false)];
    // GET gets its own method only to be cached: an ANY method would cache (and replay) writes too.
    if (cache) methods.push(this.proxyMethod("Get", "GET", proxy, backendUrl, authorizer, true));

    const deployment = new ApiGatewayDeployment(this, "Deployment", {
      restApiId: this.resource.id,
      description: `${name} ${STAGE}`,
      // A REST API serves its last deployment: redeploy whenever the routes, integrations or authorizer change.
      triggers: {
        redeployment: Fn.sha1(Fn.jsonencode([proxy.id, ...methods.flatMap((m) => [m.method.id, m.integration.id]), ...(authorizer ? [authorizer.id] : [])])),
      },
      dependsOn: methods.flatMap((m) => [m.method, m.integration]),
      lifecycle: { createBeforeDestroy: true },
    });

    const logGroup = new CloudwatchLogGroup(this, "AccessLogs", {
      name: `/aws/apigateway/${name}/access`,
      retentionInDays: retention,
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
    });
    this.logGroupName = logGroup.name;
    const accountSetting = (props.setAccountLoggingRole ?? true) ? this.accountLoggingRole(name) : undefined;

    const stage = new ApiGatewayStage(this, "Stage", {
      restApiId: this.resource.id,
      deploymentId: deployment.id,
      stageName: STAGE,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: logGroup.arn, format: ACCESS_LOG_FORMAT },
      cacheClusterEnabled: cache,
      ...(cache ? { cacheClusterSize: "0.5" } : {}),
      ...(accountSetting ? { dependsOn: [accountSetting] } : {}),
    });
    this.invokeUrl = stage.invokeUrl;

    const common = {
      metricsEnabled: true,
      // ERROR keeps request bodies and tokens out of the execution logs; access logs carry the per-request record.
      loggingLevel: "ERROR",
      dataTraceEnabled: false,
      throttlingRateLimit: stageRps,
      throttlingBurstLimit: stageRps * 2,
    };
    new ApiGatewayMethodSettings(this, "StageSettings", {
      restApiId: this.resource.id,
      stageName: stage.stageName,
      methodPath: "*/*",
      settings: { ...common, cachingEnabled: false },
    });
    if (cache) {
      new ApiGatewayMethodSettings(this, "GetCacheSettings", {
        restApiId: this.resource.id,
        stageName: stage.stageName,
        methodPath: "{proxy+}/GET",
        settings: {
          ...common,
          cachingEnabled: true,
          cacheTtlInSeconds: CACHE_TTL_SECONDS,
          cacheDataEncrypted: true,
          // Only signed callers may bypass the cache with Cache-Control: max-age=0.
          requireAuthorizationForCacheControl: true,
          unauthorizedCacheControlHeaderStrategy: "FAIL_WITH_403",
        },
      });
    }

    this.usagePlanIds = {};
    for (const tier of tiers) {
      const rate = Math.max(0.01, Math.round((tier.requestsPerMinute / 60) * 100) / 100);
      const plan = new ApiGatewayUsagePlan(this, `UsagePlan${pascal(tier.name)}`, {
        name: `${name}-${tier.name}`,
        description: `${tier.name}: ${tier.requestsPerMinute} requests/minute per key${tier.requestsPerDayQuota ? `, ${tier.requestsPerDayQuota}/day` : ""}`,
        apiStages: [{ apiId: this.resource.id, stage: stage.stageName }],
        throttleSettings: { rateLimit: rate, burstLimit: Math.max(1, Math.ceil(rate)) },
        ...(tier.requestsPerDayQuota ? { quotaSettings: { limit: tier.requestsPerDayQuota, period: "DAY" } } : {}),
      });
      this.usagePlanIds[tier.name] = plan.id;
    }
  }

  private proxyMethod(
    label: string,
    httpMethod: "ANY" | "GET",
    proxy: ApiGatewayResource,
    backendUrl: string,
    authorizer: ApiGatewayAuthorizer | undefined,
    cached: boolean,
  ): { method: ApiGatewayMethod; integration: ApiGatewayIntegration } {
    const cacheKeys = ["method.request.path.proxy", ...(authorizer ? ["method.request.header.Authorization"] : [])];
    const method = new ApiGatewayMethod(this, `${label}Method`, {
      restApiId: this.resource.id,
      resourceId: proxy.id,
      httpMethod,
      apiKeyRequired: true,
      authorization: authorizer ? "COGNITO_USER_POOLS" : "NONE",
      ...(authorizer ? { authorizerId: authorizer.id } : {}),
      requestParameters: {
        "method.request.path.proxy": true,
        ...(authorizer && cached ? { "method.request.header.Authorization": true } : {}),
      },
    });
    const integration = new ApiGatewayIntegration(this, `${label}Integration`, {
      restApiId: this.resource.id,
      resourceId: proxy.id,
      httpMethod: method.httpMethod,
      type: "HTTP_PROXY",
      integrationHttpMethod: httpMethod,
      uri: `${backendUrl}/{proxy}`,
      requestParameters: { "integration.request.path.proxy": "method.request.path.proxy" },
      timeoutMilliseconds: INTEGRATION_TIMEOUT_MS,
      passthroughBehavior: "WHEN_NO_MATCH",
      ...(cached ? { cacheKeyParameters: cacheKeys, cacheNamespace: proxy.id } : {}),
    });
    return { method, integration };
  }

  /** The account-wide role API Gateway writes CloudWatch logs with. */
  private accountLoggingRole(name: string): ApiGatewayAccount {
    const role = createRole(this, "LoggingRole", {
      name: fitName(this, "name", name, "apigw-logs", "iamRoleName"),
      description: `API Gateway writes access and execution logs to CloudWatch (set by ${name})`,
      assumeRolePolicy: serviceTrustPolicy("apigateway.amazonaws.com"),
      managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"],
    });
    // Left in place on destroy (the provider's reset_on_delete is deprecated): the setting then names a deleted role.
    return new ApiGatewayAccount(this, "AccountLoggingRole", { cloudwatchRoleArn: role.arn });
  }

  private checkBackendUrl(value: string): string {
    if (isToken(value)) {
      matches(this, "backendUrl", value, /^https?:\/\//, "an http:// or https:// URL");
    } else {
      matches(this, "backendUrl", value, /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?$/, "an http:// or https:// URL such as \"https://internal-alb.example.com\" (no query string or fragment)");
    }
    return value.replace(/\/+$/, "");
  }

  private checkTiers(tiers: readonly (string | UsagePlanTier)[], perMinute: number, quota: number | undefined, stageRps: number): ResolvedTier[] {
    nonEmpty(this, "tiers", tiers);
    const seen = new Set<string>();
    return tiers.map((t, i) => {
      const tier: UsagePlanTier = typeof t === "string" ? { name: t } : t;
      const at = `tiers[${i}]`;
      matches(this, typeof t === "string" ? at : `${at}.name`, tier.name, TIER, "1-32 lowercase letters, digits and hyphens, starting with a letter");
      if (seen.has(tier.name)) fail(this, at, tier.name, "expected each tier once");
      seen.add(tier.name);
      const rpm = tier.requestsPerMinute === undefined ? perMinute : inRange(this, `${at}.requestsPerMinute`, tier.requestsPerMinute, 1, 6_000_000);
      const dayQuota = tier.requestsPerDayQuota === undefined ? quota : inRange(this, `${at}.requestsPerDayQuota`, tier.requestsPerDayQuota, 1, 2_000_000_000);
      // A key whose plan allows more than the whole stage could never get what it pays for.
      if (rpm > stageRps * 60) {
        fail(this, tier.requestsPerMinute === undefined ? "requestsPerMinute" : `${at}.requestsPerMinute`, rpm, `expected at most stageRequestsPerSecond × 60 (${stageRps * 60}): the stage throttle applies to all keys together`);
      }
      return { name: tier.name, requestsPerMinute: rpm, requestsPerDayQuota: dayQuota };
    });
  }
}

function pascal(kebab: string): string {
  return kebab.split("-").map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("");
}
