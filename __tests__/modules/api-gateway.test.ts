import { ApiWithUsagePlans, ApiWithUsagePlansProps } from "../../modules/api-gateway";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayAuthorizer } from "@cdktf/provider-aws/lib/api-gateway-authorizer";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { ApiGatewayUsagePlan } from "@cdktf/provider-aws/lib/api-gateway-usage-plan";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { only, resources, synthWith } from "../support/synth";
import { trustedServices } from "../support/stacks";

const base: ApiWithUsagePlansProps = { name: "trading-platform-dev-public-api", backendUrl: "http://internal-alb.example.com/" };

describe("ApiWithUsagePlans", () => {
  describe("with defaults", () => {
    let api!: ApiWithUsagePlans;
    const s = synthWith((scope) => { api = new ApiWithUsagePlans(scope, "PublicApi", base); });

    it("TV12: meters each API key at 1000 requests per minute through a usage plan on stage v1", () => {
      const plan = only(s, "aws_api_gateway_usage_plan");
      expect(plan.name).toBe("trading-platform-dev-public-api-default");
      expect(s.json).toHaveResourceWithProperties(ApiGatewayUsagePlan, { throttle_settings: { rate_limit: 16.67, burst_limit: 17 } });
      expect(plan.quota_settings).toBeUndefined();
      expect(plan.api_stages[0].stage).toContain("aws_api_gateway_stage.");
      expect(Object.keys(api.usagePlanIds)).toEqual(["default"]);
    });

    it("TV12: authenticates users with a Cognito user pool authorizer and requires an API key", () => {
      expect(s.json).toHaveResourceWithProperties(ApiGatewayAuthorizer, { type: "COGNITO_USER_POOLS", identity_source: "method.request.header.Authorization" });
      expect(s.json).toHaveResourceWithProperties(ApiGatewayMethod, { http_method: "ANY", authorization: "COGNITO_USER_POOLS", api_key_required: true });
      expect(only(s, "aws_api_gateway_method").authorizer_id).toContain("aws_api_gateway_authorizer.");
    });

    it("TV12: signs users in by email with 12-character passwords of every class and optional TOTP MFA", () => {
      expect(s.json).toHaveResourceWithProperties(CognitoUserPool, {
        username_attributes: ["email"],
        mfa_configuration: "OPTIONAL",
        software_token_mfa_configuration: { enabled: true },
        password_policy: expect.objectContaining({ minimum_length: 12, require_lowercase: true, require_uppercase: true, require_numbers: true, require_symbols: true }),
        user_pool_add_ons: { advanced_security_mode: "OFF" },
        deletion_protection: "ACTIVE",
        admin_create_user_config: { allow_admin_create_user_only: true },
      });
      expect(s.json).toHaveResourceWithProperties(CognitoUserPoolClient, { generate_secret: false, explicit_auth_flows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] });
    });

    it("forwards every path to the backend through a greedy proxy", () => {
      expect(only(s, "aws_api_gateway_resource").path_part).toBe("{proxy+}");
      expect(s.json).toHaveResourceWithProperties(ApiGatewayIntegration, {
        type: "HTTP_PROXY",
        integration_http_method: "ANY",
        uri: "http://internal-alb.example.com/{proxy}",
        request_parameters: { "integration.request.path.proxy": "method.request.path.proxy" },
      });
    });

    it("traces with X-Ray and writes JSON access logs to a log group kept 30 days", () => {
      const stage = only(s, "aws_api_gateway_stage");
      expect(stage.stage_name).toBe("v1");
      expect(stage.xray_tracing_enabled).toBe(true);
      expect(stage.access_log_settings.destination_arn).toContain("aws_cloudwatch_log_group.");
      expect(JSON.parse(stage.access_log_settings.format)).toMatchObject({ requestId: "$context.requestId", apiKeyId: "$context.identity.apiKeyId" });
      expect(stage.cache_cluster_enabled).toBe(false);
      expect(only(s, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/apigateway/trading-platform-dev-public-api/access", retention_in_days: 30 });
    });

    it("turns on metrics, error logs and a stage-wide throttle of 100 requests per second", () => {
      expect(only(s, "aws_api_gateway_method_settings")).toMatchObject({
        method_path: "*/*",
        settings: { metrics_enabled: true, logging_level: "ERROR", data_trace_enabled: false, throttling_rate_limit: 100, throttling_burst_limit: 200, caching_enabled: false },
      });
    });

    it("redeploys when routes change, creating the new deployment first", () => {
      const deployment = only(s, "aws_api_gateway_deployment");
      expect(deployment.triggers.redeployment).toMatch(/^\$\{sha1\(jsonencode\(\[aws_api_gateway_resource\./);
      expect(deployment.triggers.redeployment).toContain("aws_api_gateway_authorizer.");
      expect(deployment.lifecycle.create_before_destroy).toBe(true);
    });

    it("sets the account's CloudWatch role before the stage logs", () => {
      const account = only(s, "aws_api_gateway_account");
      expect(account.cloudwatch_role_arn).toContain("aws_iam_role.");
      expect(only(s, "aws_api_gateway_stage").depends_on[0]).toContain("aws_api_gateway_account.");
      expect(trustedServices(only(s, "aws_iam_role").assume_role_policy)).toContain("apigateway.amazonaws.com");
    });
  });

  describe("with tiers, a quota, caching and no Cognito", () => {
    const s = synthWith((scope) =>
      new ApiWithUsagePlans(scope, "PublicApi", {
        ...base,
        backendUrl: "https://backend.example.com/api",
        cognito: false,
        cache: true,
        requestsPerMinute: 600,
        requestsPerDayQuota: 100000,
        tiers: ["free", "basic", { name: "premium", requestsPerMinute: 3000, requestsPerDayQuota: 1000000 }],
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        setAccountLoggingRole: false,
      }),
    );

    it("creates one usage plan per tier with its own limits", () => {
      const plans = Object.values(resources(s, "aws_api_gateway_usage_plan"));
      expect(plans.map((p) => [p.name, p.throttle_settings.rate_limit, p.quota_settings.limit]).sort()).toEqual([
        ["trading-platform-dev-public-api-basic", 10, 100000],
        ["trading-platform-dev-public-api-free", 10, 100000],
        ["trading-platform-dev-public-api-premium", 50, 1000000],
      ]);
      expect(plans.every((p) => p.quota_settings.period === "DAY")).toBe(true);
    });

    it("keeps requiring an API key, with no user pool", () => {
      expect(resources(s, "aws_cognito_user_pool")).toEqual({});
      expect(resources(s, "aws_api_gateway_authorizer")).toEqual({});
      const methods = Object.values(resources(s, "aws_api_gateway_method"));
      expect(methods.every((m) => m.api_key_required === true && m.authorization === "NONE")).toBe(true);
    });

    it("caches GET only, for 5 minutes, encrypted, keyed by path", () => {
      expect(s.json).toHaveResourceWithProperties(ApiGatewayStage, { cache_cluster_enabled: true, cache_cluster_size: "0.5" });
      const settings = Object.values(resources(s, "aws_api_gateway_method_settings"));
      const get = settings.find((m) => m.method_path === "{proxy+}/GET");
      expect(get.settings).toMatchObject({ caching_enabled: true, cache_ttl_in_seconds: 300, cache_data_encrypted: true });
      expect(settings.find((m) => m.method_path === "*/*").settings.caching_enabled).toBe(false);
      const getIntegration = Object.values(resources(s, "aws_api_gateway_integration")).find((i) => i.http_method.includes("Get") || i.integration_http_method === "GET");
      expect(getIntegration.cache_key_parameters).toEqual(["method.request.path.proxy"]);
      expect(getIntegration.uri).toBe("https://backend.example.com/api/{proxy}");
    });

    it("encrypts the access logs with the customer key and leaves the account setting alone", () => {
      expect(only(s, "aws_cloudwatch_log_group").kms_key_id).toBe("arn:aws:kms:eu-west-1:123456789012:key/abc");
      expect(resources(s, "aws_api_gateway_account")).toEqual({});
    });
  });

  describe("with Cognito and caching", () => {
    it("keys the cache by the Authorization header so users never see each other's responses", () => {
      const s = synthWith((scope) => new ApiWithUsagePlans(scope, "PublicApi", { ...base, cache: true }));
      const get = Object.values(resources(s, "aws_api_gateway_integration")).find((i) => i.integration_http_method === "GET");
      expect(get.cache_key_parameters).toEqual(["method.request.path.proxy", "method.request.header.Authorization"]);
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<ApiWithUsagePlansProps>) => () => synthWith((scope) => new ApiWithUsagePlans(scope, "A", { ...base, ...props }));

    it("a backend that is not an http(s) URL", () => {
      expect(build({ backendUrl: "internal-alb.example.com" })).toThrow(/test\/A: backendUrl = "internal-alb.example.com" is not allowed; expected an http:\/\/ or https:\/\/ URL/);
    });
    it("a backend URL with a query string", () => {
      expect(build({ backendUrl: "https://b.example.com/?x=1" })).toThrow(/backendUrl = "https:\/\/b.example.com\/\?x=1" .*\(no query string/);
    });
    it("zero requests per minute", () => {
      expect(build({ requestsPerMinute: 0 })).toThrow(/requestsPerMinute = 0 .* from 1 to 6000000/);
    });
    it("duplicate tiers", () => {
      expect(build({ tiers: ["free", "free"] })).toThrow(/tiers\[1\] = "free" .* each tier once/);
    });
    it("no tiers", () => {
      expect(build({ tiers: [] })).toThrow(/tiers = \[\] .* at least one entry/);
    });
    it("a tier name with upper case", () => {
      expect(build({ tiers: ["Gold"] })).toThrow(/tiers\[0\] = "Gold" .* lowercase letters/);
    });
    it("a log retention CloudWatch does not accept", () => {
      expect(build({ logRetentionDays: 0 })).toThrow(/logRetentionDays = 0 .* CloudWatch Logs retention/);
    });
    it("a per-key limit above the stage-wide throttle", () => {
      expect(build({ requestsPerMinute: 7000 })).toThrow(/requestsPerMinute = 7000 .* at most stageRequestsPerSecond × 60 \(6000\)/);
    });
    it("a tier quota of zero", () => {
      expect(build({ tiers: [{ name: "free", requestsPerDayQuota: 0 }] })).toThrow(/tiers\[0\]\.requestsPerDayQuota = 0 .* from 1/);
    });
    it("a name with upper case", () => {
      expect(build({ name: "PublicApi" })).toThrow(/name = "PublicApi" .* lowercase letters/);
    });
  });
});
