import { Alb, AlbProps } from "../../modules/alb";
import { INetwork } from "../../modules/core";
import { only, resources, synthWith } from "../support/synth";
import { twoAzNetwork } from "../support/networks";

const network: INetwork = twoAzNetwork;
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";
const CERT2 = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455557777";
const CERT3 = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455558888";
const POOL = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123";
const OIDC = {
  kind: "oidc" as const,
  issuer: "https://idp.example.com",
  authorizationEndpoint: "https://idp.example.com/authorize",
  tokenEndpoint: "https://idp.example.com/token",
  userInfoEndpoint: "https://idp.example.com/userinfo",
  clientId: "alb-client",
  clientSecret: "${var.oidc_client_secret}",
};
const https443 = (s: ReturnType<typeof synthWith>) => Object.values(resources(s, "aws_lb_listener")).find((l: any) => l.port === 443);

describe("Alb options (issue 8.6)", () => {
  it("issue 8.6: an internal ALB sits in the private subnets and, by default, admits the VPC only", () => {
    const s = synthWith((scope) => new Alb(scope, "Alb", { name: "sys-dev", network, internal: true }));
    const lb = only(s, "aws_lb");
    expect(lb.internal).toBe(true);
    expect(lb.subnets).toEqual(["subnet-priv-a", "subnet-priv-b"]);
    const ingress = Object.values(resources(s, "aws_vpc_security_group_ingress_rule")).map((r: any) => r.cidr_ipv4);
    expect(ingress).toEqual(["10.0.0.0/16"]);
  });

  it("issue 8.6: an internet-facing ALB stays the default", () => {
    const s = synthWith((scope) => new Alb(scope, "Alb", { name: "sys-dev", network }));
    expect(only(s, "aws_lb").internal).toBe(false);
    expect(only(s, "aws_lb").subnets).toEqual(["subnet-pub-a", "subnet-pub-b"]);
  });

  it("issue 8.6: adds SNI certificates to the HTTPS listener", () => {
    const s = synthWith((scope) => new Alb(scope, "Alb", { name: "sys-dev", network, certificateArn: CERT, additionalCertificateArns: [CERT2, CERT3] }));
    const certs = Object.values(resources(s, "aws_lb_listener_certificate"));
    expect(certs.map((c: any) => c.certificate_arn)).toEqual([CERT2, CERT3]);
    expect(certs.every((c: any) => /^\$\{aws_lb_listener\.Alb_HttpsListener_[A-Z0-9]+\.arn\}$/.test(c.listener_arn))).toBe(true);
    expect(https443(s).certificate_arn).toBe(CERT);
  });

  it("issue 8.6: forwards by weight between target groups (a 90/10 canary) on a rule", () => {
    let targets: ReturnType<Alb["addWeightedTargets"]> = [];
    const s = synthWith((scope) => {
      const alb = new Alb(scope, "Alb", { name: "sys-dev", network, certificateArn: CERT });
      targets = alb.addWeightedTargets("Api", { name: "api", pathPatterns: ["/api/*"], priority: 10, targets: [{ name: "api-stable", port: 8080, weight: 90 }, { name: "api-canary", port: 8080, weight: 10 }] });
    });
    expect(targets).toHaveLength(2);
    const groups = Object.entries(resources(s, "aws_lb_target_group")).map(([id, g]: [string, any]) => [g.name, `\${aws_lb_target_group.${id}.arn}`]);
    expect(groups.map(([n]) => n)).toEqual(["sys-dev-api-stable", "sys-dev-api-canary"]);
    const rule = only(s, "aws_lb_listener_rule");
    expect(rule.priority).toBe(10);
    expect(rule.action).toEqual([{ type: "forward", forward: { target_group: [{ arn: groups[0][1], weight: 90 }, { arn: groups[1][1], weight: 10 }] } }]);
  });

  it("issue 8.6: authenticates with OIDC before forwarding on a rule", () => {
    const s = synthWith((scope) => {
      const alb = new Alb(scope, "Alb", { name: "sys-dev", network, certificateArn: CERT });
      alb.addTarget("Admin", { name: "admin", port: 8080, pathPatterns: ["/admin/*"], priority: 5, authentication: OIDC });
    });
    const action = only(s, "aws_lb_listener_rule").action;
    expect(action.map((a: any) => [a.type, a.order])).toEqual([["authenticate-oidc", 1], ["forward", 2]]);
    expect(action[0].authenticate_oidc).toMatchObject({ issuer: OIDC.issuer, client_id: "alb-client", scope: "openid", session_timeout: 604800, on_unauthenticated_request: "authenticate" });
  });

  it("issue 8.6: authenticates with Cognito on the default action", () => {
    const s = synthWith((scope) => {
      const alb = new Alb(scope, "Alb", { name: "sys-dev", network, certificateArn: CERT });
      alb.addTarget("Web", { name: "web", port: 8080, authentication: { kind: "cognito", userPoolArn: POOL, userPoolClientId: "abc123", userPoolDomain: "sys-dev" } });
    });
    const action = https443(s).default_action;
    expect(action[0]).toMatchObject({ type: "authenticate-cognito", order: 1, authenticate_cognito: { user_pool_arn: POOL, user_pool_client_id: "abc123", user_pool_domain: "sys-dev" } });
    expect(action[1]).toMatchObject({ type: "forward", order: 2 });
  });

  it("issue 10 item 4: http \"closed\" leaves no port-80 listener and no port-80 ingress; routes attach to HTTPS", () => {
    let alb: Alb | undefined;
    const s = synthWith((scope) => {
      alb = new Alb(scope, "Alb", { name: "sys-prod", network, certificateArn: CERT, http: "closed" });
      alb.addTarget("Web", { name: "web", port: 8080 });
    });
    const listeners = Object.values(resources(s, "aws_lb_listener")) as any[];
    expect(listeners.map((l) => [l.port, l.protocol, l.default_action[0].type])).toEqual([[443, "HTTPS", "forward"]]);
    const ingress = Object.values(resources(s, "aws_vpc_security_group_ingress_rule")).map((r: any) => [r.cidr_ipv4, r.from_port, r.to_port]);
    expect(ingress).toEqual([["0.0.0.0/0", 443, 443]]);
    expect(alb!.httpListenerArn).toBeUndefined();
  });

  it("issue 10 item 4: http \"redirect\" (the default with a certificate) keeps port 80 answering 301 to HTTPS", () => {
    const s = synthWith((scope) => new Alb(scope, "Alb", { name: "sys-prod", network, certificateArn: CERT, http: "redirect" }));
    const listeners = Object.values(resources(s, "aws_lb_listener")) as any[];
    expect(listeners.map((l) => [l.port, l.default_action[0].type]).sort()).toEqual([[443, "fixed-response"], [80, "redirect"]]);
    const ports = Object.values(resources(s, "aws_vpc_security_group_ingress_rule")).map((r: any) => r.from_port).sort();
    expect(ports).toEqual([443, 80]);
  });

  describe("refuses", () => {
    const build = (props: Partial<AlbProps>, add?: (alb: Alb) => void) => () => synthWith((scope) => {
      const alb = new Alb(scope, "Alb", { name: "sys-dev", network, ...props });
      add?.(alb);
    });

    it("SNI certificates without a default certificate, a bad ARN or a repeat", () => {
      expect(build({ additionalCertificateArns: [CERT2] })).toThrow(/^test\/Alb: additionalCertificateArns = \[".*"\] is not allowed; expected certificateArn too/);
      expect(build({ certificateArn: CERT, additionalCertificateArns: ["arn:aws:iam::123456789012:server-certificate/x"] })).toThrow(/additionalCertificateArns\[0\] = "arn:aws:iam::123456789012:server-certificate\/x" is not allowed; expected an ACM certificate ARN/);
      expect(build({ certificateArn: CERT, additionalCertificateArns: [CERT] })).toThrow(/additionalCertificateArns\[0\] = ".*" is not allowed; expected each certificate once, and not the default certificateArn/);
    });

    it("issue 10 item 4: http without a certificate, or a value other than \"redirect\" / \"closed\"", () => {
      expect(build({ http: "closed" })).toThrow(/^test\/Alb: http = "closed" is not allowed; expected certificateArn too: without a certificate port 80 serves the application$/);
      expect(build({ certificateArn: CERT, http: "open" as never })).toThrow(/^test\/Alb: http = "open" is not allowed; expected one of "redirect", "closed"/);
    });

    it("an internal flag that is not a boolean", () => {
      expect(build({ internal: "yes" as never })).toThrow(/^test\/Alb: internal = "yes" is not allowed; expected true or false$/);
    });

    it("weights outside 0-999, all zero, or a single weighted target", () => {
      const weighted = (weights: number[]) => build({}, (alb) => alb.addWeightedTargets("Api", { name: "api", targets: weights.map((weight, i) => ({ name: `api-${i}`, port: 8080, weight })) }));
      expect(weighted([90, 1000])).toThrow(/addWeightedTargets\("Api"\)\.targets\[1\]\.weight = 1000 is not allowed; expected a whole number from 0 to 999/);
      expect(weighted([0, 0])).toThrow(/addWeightedTargets\("Api"\)\.targets = \[0,0\] is not allowed; expected at least one weight above 0/);
      expect(weighted([100])).toThrow(/addWeightedTargets\("Api"\)\.targets = 1 is not allowed; expected 2 to 5 weighted targets/);
    });

    it("authentication on an HTTP-only load balancer, a non-HTTPS endpoint or a non-Cognito pool ARN", () => {
      expect(build({}, (alb) => alb.addTarget("Web", { name: "web", port: 80, authentication: OIDC }))).toThrow(/^test\/Alb: addTarget\("Web"\)\.authentication = "oidc" is not allowed; expected an HTTPS listener/);
      expect(build({ certificateArn: CERT }, (alb) => alb.addTarget("Web", { name: "web", port: 80, authentication: { ...OIDC, tokenEndpoint: "http://idp.example.com/token" } }))).toThrow(/authentication\.tokenEndpoint = "http:\/\/idp\.example\.com\/token" is not allowed; expected an https:\/\/ URL/);
      expect(build({ certificateArn: CERT }, (alb) => alb.addTarget("Web", { name: "web", port: 80, authentication: { kind: "cognito", userPoolArn: "arn:aws:iam::123456789012:role/x", userPoolClientId: "abc", userPoolDomain: "d" } }))).toThrow(/authentication\.userPoolArn = "arn:aws:iam::123456789012:role\/x" is not allowed; expected an ARN of the cognito-idp service/);
    });
  });
});
