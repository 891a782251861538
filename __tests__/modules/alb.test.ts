import { Alb, AlbProps } from "../../modules/alb";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { INetwork } from "../../modules/core";
import { only, resources, synthWith } from "../support/synth";
import { twoAzNetwork } from "../support/networks";

const network: INetwork = twoAzNetwork;
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";

function listeners(s: ReturnType<typeof synthWith>): Record<string, any> {
  return Object.fromEntries(Object.values(resources(s, "aws_lb_listener")).map((l: any) => [l.port, l]));
}

describe("Alb", () => {
  describe("with defaults (no certificate)", () => {
    const s = synthWith((scope) => new Alb(scope, "Alb", { name: "alerting-platform-dev", network }));

    it("is an internet-facing ALB in the public subnets with header hardening", () => {
      expect(s.json).toHaveResourceWithProperties(Lb, {
        name: "alerting-platform-dev",
        internal: false,
        load_balancer_type: "application",
        subnets: ["subnet-pub-a", "subnet-pub-b"],
        drop_invalid_header_fields: true,
        desync_mitigation_mode: "defensive",
        enable_http2: true,
        idle_timeout: 60,
        enable_deletion_protection: false,
      });
      expect(only(s, "aws_lb").access_logs).toBeUndefined();
    });

    it("AP6: serves HTTP on 80 only, answering 404 until a target is added", () => {
      const byPort = listeners(s);
      expect(Object.keys(byPort)).toEqual(["80"]);
      expect(byPort[80].protocol).toBe("HTTP");
      expect(byPort[80].default_action[0]).toMatchObject({ type: "fixed-response", fixed_response: { status_code: "404" } });
    });

    it("opens 80 to the internet and sends traffic only into the VPC", () => {
      const ingress = Object.values(resources(s, "aws_vpc_security_group_ingress_rule"));
      expect(ingress).toHaveLength(1);
      expect(ingress[0]).toMatchObject({ cidr_ipv4: "0.0.0.0/0", from_port: 80, to_port: 80, ip_protocol: "tcp" });
      expect(Object.values(resources(s, "aws_vpc_security_group_egress_rule"))).toEqual([
        expect.objectContaining({ cidr_ipv4: "10.0.0.0/16", ip_protocol: "-1" }),
      ]);
      expect(only(s, "aws_security_group").ingress).toBeUndefined();
    });
  });

  describe("with a certificate (HTTPS)", () => {
    const s = synthWith((scope) => new Alb(scope, "Alb", { name: "tvmaze-ingestion-prod", network, certificateArn: CERT, accessLogsBucket: "tvmaze-ingestion-prod-logs", deletionProtection: true }));

    it("TV2: redirects HTTP to HTTPS and serves HTTPS on 443 with the certificate and a TLS 1.3 policy", () => {
      const byPort = listeners(s);
      expect(byPort[80].default_action[0]).toMatchObject({ type: "redirect", redirect: { port: "443", protocol: "HTTPS", status_code: "HTTP_301" } });
      expect(byPort[443]).toMatchObject({ protocol: "HTTPS", certificate_arn: CERT, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
      expect(byPort[443].default_action[0].type).toBe("fixed-response");
    });

    it("TV11: opens 80 and 443 from the internet", () => {
      const ports = Object.values(resources(s, "aws_vpc_security_group_ingress_rule")).map((r: any) => r.from_port).sort();
      expect(ports).toEqual([443, 80]);
    });

    it("writes access logs under its name and keeps deletion protection", () => {
      expect(only(s, "aws_lb").access_logs).toEqual({ bucket: "tvmaze-ingestion-prod-logs", prefix: "tvmaze-ingestion-prod", enabled: true });
      expect(only(s, "aws_lb").enable_deletion_protection).toBe(true);
    });
  });

  describe("with two targets (AP6)", () => {
    let alb!: Alb;
    const s = synthWith((scope) => {
      alb = new Alb(scope, "Alb", { name: "alerting-platform-dev", network });
      alb.addTarget("RuleService", { name: "rule-service", port: 8080 });
      alb.addTarget("AlertProducer", { name: "alert-producer", port: 8081, pathPatterns: ["/alerts", "/alerts/*"], priority: 10 });
    });

    it("AP6: creates IP target groups on 8080 and 8081 with health checks on /health", () => {
      expect(s.json).toHaveResourceWithProperties(LbTargetGroup, { port: 8080, target_type: "ip", protocol: "HTTP", vpc_id: "vpc-123" });
      expect(s.json).toHaveResourceWithProperties(LbTargetGroup, { port: 8081, target_type: "ip", protocol: "HTTP", vpc_id: "vpc-123" });
      const names = Object.values(resources(s, "aws_lb_target_group")).map((t: any) => t.name as string);
      expect(names.every((n) => n.length <= 32)).toBe(true);
      expect(names.map((n) => n.replace(/^.*-[0-9a-f]{6}-/, "")).sort()).toEqual(["alert-producer", "rule-service"]);
      for (const tg of Object.values(resources(s, "aws_lb_target_group"))) {
        expect(tg.health_check).toEqual({ enabled: true, protocol: "HTTP", port: "traffic-port", path: "/health", matcher: "200-399", interval: 30, timeout: 5, healthy_threshold: 2, unhealthy_threshold: 3 });
        expect(tg.deregistration_delay).toBe("30");
      }
    });

    it("makes the target without conditions the listener's default action", () => {
      const action = listeners(s)[80].default_action;
      expect(action).toHaveLength(1);
      expect(action[0].type).toBe("forward");
      expect(action[0].target_group_arn).toMatch(/aws_lb_target_group\.Alb_RuleServiceTargetGroup_.*\.arn/);
    });

    it("routes the other target's paths through a listener rule with its priority", () => {
      const rule = only(s, "aws_lb_listener_rule");
      expect(rule.priority).toBe(10);
      expect(rule.condition).toEqual([{ path_pattern: { values: ["/alerts", "/alerts/*"] } }]);
      expect(rule.action[0].target_group_arn).toMatch(/AlertProducerTargetGroup/);
      expect(rule.listener_arn).toMatch(/aws_lb_listener\.Alb_HttpListener_.*\.arn/);
      expect(rule.lifecycle).toBeUndefined();
    });

    it("shortens long target group names to 32 characters deterministically", () => {
      const build = () => synthWith((scope) => {
        new Alb(scope, "Alb", { name: "tvmaze-ingestion-staging", network }).addTarget("Ingestion", { name: "ingestion-api", port: 8080 });
      });
      const name = only(build(), "aws_lb_target_group").name as string;
      expect(name.length).toBeLessThanOrEqual(32);
      expect(name).toMatch(/^tvmaze-[a-z-]*-[0-9a-f]{6}-ingestion-api$/);
      expect(only(build(), "aws_lb_target_group").name).toBe(name);
    });
  });

  describe("behind HTTPS with host-routed targets", () => {
    const s = synthWith((scope) => {
      const alb = new Alb(scope, "Alb", { name: "chat-app-prod", network, certificateArn: CERT, idleTimeoutSeconds: 120, allowedCidrs: ["203.0.113.0/24"] });
      alb.addTarget("Api", { name: "api", port: 8080, hostHeaders: ["api.example.com"], priority: 1, healthCheckPath: "/up", healthCheckMatcher: "200,204", deregistrationDelaySeconds: 5 });
    });

    it("attaches rules to the HTTPS listener and leaves 404 as the default", () => {
      const rule = only(s, "aws_lb_listener_rule");
      expect(rule.listener_arn).toMatch(/HttpsListener/);
      expect(rule.condition).toEqual([{ host_header: { values: ["api.example.com"] } }]);
      expect(listeners(s)[443].default_action[0].type).toBe("fixed-response");
    });

    it("TV2: honours the health check path, matcher, idle timeout and drain time", () => {
      const tg = only(s, "aws_lb_target_group");
      expect(tg.health_check).toMatchObject({ path: "/up", matcher: "200,204" });
      expect(tg.deregistration_delay).toBe("5");
      expect(only(s, "aws_lb").idle_timeout).toBe(120);
    });

    it("opens the listeners to the allowed CIDRs only", () => {
      const cidrs = Object.values(resources(s, "aws_vpc_security_group_ingress_rule")).map((r: any) => r.cidr_ipv4);
      expect(cidrs).toEqual(["203.0.113.0/24", "203.0.113.0/24"]);
    });
  });

  describe("with a blue/green pair (CA9)", () => {
    let pair!: ReturnType<Alb["addTargetGroupPair"]>;
    const s = synthWith((scope) => {
      const alb = new Alb(scope, "Alb", { name: "chat-app-dev", network });
      pair = alb.addTargetGroupPair("ChatService", { name: "chat-service", port: 8080 });
      alb.addTargetGroupPair("UserService", { name: "user-service", port: 8081, pathPatterns: ["/users/*"], priority: 20 });
    });

    it("CA9: creates -b and -g target groups with the same port and health check", () => {
      const names = Object.values(resources(s, "aws_lb_target_group")).map((t: any) => t.name).sort();
      expect(names).toEqual(["chat-app-dev-chat-service-b", "chat-app-dev-chat-service-g", "chat-app-dev-user-service-b", "chat-app-dev-user-service-g"]);
      expect(pair[0].port).toBe(8080);
      expect(pair[1].port).toBe(8080);
    });

    it("CA9: routes only blue from the listener and lets CodeDeploy swap it", () => {
      const http = listeners(s)[80];
      expect(http.default_action[0].target_group_arn).toMatch(/ChatServiceBlueTargetGroup/);
      expect(http.lifecycle).toEqual({ ignore_changes: ["default_action"] });
      const rule = only(s, "aws_lb_listener_rule");
      expect(rule.action[0].target_group_arn).toMatch(/UserServiceBlueTargetGroup/);
      expect(rule.lifecycle).toEqual({ ignore_changes: ["action"] });
      expect(s.json).not.toMatch(/aws_lb_listener_rule[^"]*GreenTargetGroup/);
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<AlbProps>) => () => synthWith((scope) => new Alb(scope, "Alb", { name: "sys-dev", network, ...props }));
    const withTargets = (...targets: [string, Parameters<Alb["addTarget"]>[1]][]) => () =>
      synthWith((scope) => {
        const alb = new Alb(scope, "Alb", { name: "sys-dev", network });
        for (const [id, t] of targets) alb.addTarget(id, t);
      });

    it("a certificate that is not an ACM ARN", () => {
      expect(build({ certificateArn: "arn:aws:iam::123456789012:server-certificate/x" })).toThrow(/test\/Alb: certificateArn = "arn:aws:iam::123456789012:server-certificate\/x" is not allowed; expected an ACM certificate ARN/);
    });
    it("an idle timeout above 4000 seconds", () => {
      expect(build({ idleTimeoutSeconds: 5000 })).toThrow(/idleTimeoutSeconds = 5000 is not allowed; expected a whole number from 1 to 4000/);
    });
    it("an SSL policy that is not an ELB security policy", () => {
      expect(build({ certificateArn: CERT, sslPolicy: "TLSv1.2_2021" })).toThrow(/sslPolicy = "TLSv1.2_2021" is not allowed; expected an ELB security policy name starting with "ELBSecurityPolicy-"/);
    });
    it("an allowed CIDR that is not a network", () => {
      expect(build({ allowedCidrs: ["10.0.0.1/16"] })).toThrow(/allowedCidrs\[0\] = "10.0.0.1\/16" is not allowed; expected an IPv4 network in CIDR form/);
    });
    it("an empty allowed CIDR list", () => {
      expect(build({ allowedCidrs: [] })).toThrow(/allowedCidrs = \[\] is not allowed; expected at least one entry/);
    });
    it("a target port out of range", () => {
      expect(withTargets(["Api", { name: "api", port: 70000 }])).toThrow(/addTarget\("Api"\)\.port = 70000 is not allowed; expected a whole number from 1 to 65535/);
    });
    it("a health check path not starting with /", () => {
      expect(withTargets(["Api", { name: "api", port: 8080, healthCheckPath: "health" }])).toThrow(/addTarget\("Api"\)\.healthCheckPath = "health" is not allowed; expected a path starting with "\/"/);
    });
    it("a health check matcher that is not HTTP codes", () => {
      expect(withTargets(["Api", { name: "api", port: 8080, healthCheckMatcher: "2xx" }])).toThrow(/healthCheckMatcher = "2xx" is not allowed; expected HTTP codes from 200 to 499/);
      expect(withTargets(["Api", { name: "api", port: 8080, healthCheckMatcher: "399-200" }])).toThrow(/healthCheckMatcher = "399-200" is not allowed; expected a range from low to high/);
    });
    it("two targets without conditions", () => {
      expect(withTargets(["Api", { name: "api", port: 8080 }], ["Web", { name: "web", port: 8081 }])).toThrow(/addTarget\("Web"\)\.pathPatterns = undefined is not allowed; .*target "Api" is already the listener's default action/);
    });
    it("conditions without a priority", () => {
      expect(withTargets(["Api", { name: "api", port: 8080, pathPatterns: ["/api/*"] }])).toThrow(/addTarget\("Api"\)\.priority = undefined is not allowed; required with pathPatterns or hostHeaders/);
    });
    it("a priority out of range", () => {
      expect(withTargets(["Api", { name: "api", port: 8080, pathPatterns: ["/api/*"], priority: 50001 }])).toThrow(/priority = 50001 is not allowed; expected a whole number from 1 to 50000/);
    });
    it("a duplicate priority", () => {
      expect(withTargets(["Api", { name: "api", port: 8080, pathPatterns: ["/api/*"], priority: 5 }], ["Web", { name: "web", port: 8081, hostHeaders: ["web.example.com"], priority: 5 }]))
        .toThrow(/addTarget\("Web"\)\.priority = 5 is not allowed; expected a priority not used by another target \(target "Api" has it\)/);
    });
    it("a target group name that cannot fit 32 characters", () => {
      expect(withTargets(["Api", { name: "a-very-long-target-name-that-overflows", port: 8080 }])).toThrow(/addTarget\("Api"\)\.name = "a-very-long-target-name-that-overflows" is not allowed; expected at most 23 characters/);
    });
    it("more than five path and host values in one rule", () => {
      expect(withTargets(["Api", { name: "api", port: 8080, pathPatterns: ["/a", "/b", "/c", "/d"], hostHeaders: ["x.example.com", "y.example.com"], priority: 1 }]))
        .toThrow(/addTarget\("Api"\)\.pathPatterns = \["\/a","\/b","\/c","\/d"\] is not allowed; expected at most 5 path and host values in one rule \(got 6\)/);
    });
    it("two targets with the same name", () => {
      expect(withTargets(["Api", { name: "api", port: 8080 }], ["Api2", { name: "api", port: 8081, pathPatterns: ["/v2/*"], priority: 2 }]))
        .toThrow(/addTarget\("Api2"\)\.name = "api" is not allowed; expected a target name not used by another target \(target "Api" is named "sys-dev-api"\)/);
    });
    it("a construct id that is not PascalCase", () => {
      expect(withTargets(["rule-service", { name: "rule-service", port: 8080 }])).toThrow(/addTarget\("rule-service"\) id = "rule-service" is not allowed; expected a PascalCase construct id/);
    });
    it("a priority on a target without conditions", () => {
      expect(withTargets(["Api", { name: "api", port: 8080, priority: 3 }])).toThrow(/addTarget\("Api"\)\.priority = 3 is not allowed; only meaningful with pathPatterns or hostHeaders/);
    });
  });
});
