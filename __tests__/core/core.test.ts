import { TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  allowCidr, allowFrom, capacity, cidr, ConfigError, exactName, fitName, IConnectable, inRange, logRetentionDays, NAME_LIMITS, oneOf, port, region,
} from "../../modules/core";
import { TerraformOutput } from "cdktf";
import { buildApp } from "../../stacks";
import { loadEnvironment, environments } from "../../environments";
import { validateEnvironment } from "../../environments/validate";
import { createRole, serviceTrustPolicy } from "../../modules/core";
import { decodeJsonencode } from "../support/stacks";
import { Fn } from "cdktf";

class Thing extends Construct implements IConnectable {
  constructor(scope: Construct, id: string, readonly securityGroupId: string) {
    super(scope, id);
  }
}

describe("validation helpers", () => {
  it("name the subject, the setting, the value and what is allowed", () => {
    expect(() => inRange("modules/x", "backupRetentionDays", 40, 1, 35)).toThrow(
      'modules/x: backupRetentionDays = 40 is not allowed; expected a whole number from 1 to 35',
    );
  });
  it("throw ConfigError (main.ts prints its message alone, never a stack trace)", () => {
    try {
      port("s", "containerPort", 70000);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).setting).toBe("containerPort");
    }
  });
  it("refuses a port outside 1-65535", () => {
    expect(() => port("s", "port", 0)).toThrow(/port = 0 .* from 1 to 65535/);
  });
  it("refuses a CIDR that is not a CIDR", () => {
    expect(() => cidr("s", "cidr", "10.0.0.0/33")).toThrow(/cidr = "10.0.0.0\/33" .* CIDR form/);
    expect(() => cidr("s", "cidr", "banana")).toThrow(/cidr = "banana"/);
  });
  it("refuses a CIDR with host bits set", () => {
    expect(() => cidr("s", "cidr", "10.0.0.1/16")).toThrow(/no host bits set/);
  });
  it("refuses a log retention CloudWatch does not accept", () => {
    expect(() => logRetentionDays("s", "logRetentionDays", 10)).toThrow(/logRetentionDays = 10 .* 1, 3, 5, 7, 14, 30/);
    expect(logRetentionDays("s", "logRetentionDays", 14)).toBe(14);
  });
  it("refuses min > max and desired outside [min, max]", () => {
    const names = { min: "minCount", desired: "desiredCount", max: "maxCount" };
    expect(() => capacity("s", names, { min: 3, desired: 3, max: 1 })).toThrow(/minCount = 3 .* minCount <= maxCount \(1\)/);
    expect(() => capacity("s", names, { min: 1, desired: 5, max: 3 })).toThrow(/desiredCount = 5/);
  });
  it("refuses a value outside a union", () => {
    expect(() => oneOf("s", "natGateways", "two" as string, ["none", "single", "perAz"])).toThrow(/natGateways = "two" .* "none", "single", "perAz"/);
  });
  it("refuses a malformed region", () => {
    expect(() => region("s", "region", "europe")).toThrow(/region = "europe"/);
  });
});

describe("naming", () => {
  it("keeps names within the limit unchanged", () => {
    expect(fitName("s", "name", "sys-dev", "web", "targetGroupName")).toBe("sys-dev-web");
  });
  it("shortens deterministically within the AWS limit, keeping the component", () => {
    const a = fitName("s", "name", "alerting-platform-staging", "alert-producer", "targetGroupName");
    expect(a.length).toBeLessThanOrEqual(NAME_LIMITS.targetGroupName);
    expect(a).toMatch(/-alert-producer$/);
    expect(fitName("s", "name", "alerting-platform-staging", "alert-producer", "targetGroupName")).toBe(a);
    expect(fitName("s", "name", "alerting-platform-prod", "alert-producer", "targetGroupName")).not.toBe(a);
  });
  it("refuses a name that breaks an AWS length limit after prefixes", () => {
    expect(() => fitName("stack/Alb", "name", "sys-dev", "a-very-long-component-name-x", "albName")).toThrow(/stack\/Alb: name = "a-very-long-component-name-x" .* 32-character limit of albName/);
    expect(() => exactName("stack/Db", "name", "x".repeat(60), "database", "rdsIdentifier")).toThrow(/rdsIdentifier limit is 63/);
  });
});

describe("security-group wiring", () => {
  const synth = (build: (scope: Construct) => void) => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    build(stack);
    return JSON.parse(Testing.synth(stack));
  };
  it("G5: allowFrom opens one port from one security group", () => {
    const out = synth((scope) => allowFrom(new Thing(scope, "Db", "sg-db"), new Thing(scope, "Api", "sg-api"), 5432));
    const rules = Object.values(out.resource.aws_vpc_security_group_ingress_rule) as any[];
    expect(rules).toEqual([expect.objectContaining({ security_group_id: "sg-db", referenced_security_group_id: "sg-api", from_port: 5432, to_port: 5432, ip_protocol: "tcp" })]);
  });
  it("refuses a port range upside down", () => {
    expect(() => synth((scope) => allowCidr(new Thing(scope, "Lb", "sg"), "0.0.0.0/0", { from: 443, to: 80 }, "x"))).toThrow(/test\/Lb: port = \{"from":443,"to":80\} .* from <= to/);
  });
});

describe("environments", () => {
  it("refuses an unknown environment name", () => {
    expect(() => loadEnvironment("qa")).toThrow('environments: environment = "qa" is not allowed; expected one of "dev", "staging", "prod"');
  });
  it("refuses an unknown system in the selection", () => {
    expect(() => buildApp(Testing.app(), { systems: ["billing"] })).toThrow(/main.ts: systems = "billing" is not allowed; expected one of "bootstrap"/);
  });
  it("G8: refuses a prod without deletion protection", () => {
    expect(() => validateEnvironment({ ...environments.prod, safety: { ...environments.prod.safety, deletionProtection: false } })).toThrow(
      /environments\/prod.ts: safety.deletionProtection = false .* prod requires true/,
    );
  });
  it("G8: refuses a prod that keeps backups less than 7 days", () => {
    expect(() => validateEnvironment({ ...environments.prod, safety: { ...environments.prod.safety, backupRetentionDays: 3 } })).toThrow(/safety.backupRetentionDays = 3 .* from 7 to 35/);
  });
  it("refuses a VPC CIDR in an environment that is not a CIDR", () => {
    const bad = { ...environments.dev, systems: { ...environments.dev.systems, alertingPlatform: { ...environments.dev.systems.alertingPlatform, vpcCidr: "10.0.0.0" } } };
    expect(() => validateEnvironment(bad)).toThrow(/environments\/dev.ts: systems.alertingPlatform.vpcCidr = "10.0.0.0"/);
  });
  it("refuses an image tag Docker would reject", () => {
    expect(() => validateEnvironment({ ...environments.dev, imageTag: "v1 beta" })).toThrow(/imageTag = "v1 beta"/);
  });
  it("every environment file passes its own validation", () => {
    for (const name of ["dev", "staging", "prod"]) expect(loadEnvironment(name).name).toBe(name);
  });
});

describe("allowFrom twice", () => {
  it("G5: the same flow allowed twice is one rule", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const db = new Thing(stack, "Db", "sg-db");
    const api = new Thing(stack, "Api", "sg-api");
    expect(allowFrom(db, api, 5432)).toBe(allowFrom(db, api, 5432));
    const out = JSON.parse(Testing.synth(stack));
    expect(Object.keys(out.resource.aws_vpc_security_group_ingress_rule)).toHaveLength(1);
  });
});

describe("createRole", () => {
  const build = (statements: Parameters<typeof createRole>[2]["statements"]) => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const scope = new Construct(stack, "Service");
    createRole(scope, "TaskRole", { name: "svc-task", description: "test", assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com"), statements });
    return JSON.parse(Testing.synth(stack));
  };

  it("refuses two statements with the same sid, naming the role, the statement and the sid", () => {
    const statements = [
      { sid: "ReadBucket", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::a/*"] },
      { sid: "ReadBucket", actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::a"] },
    ];
    expect(() => build(statements)).toThrow(/^test\/Service\/TaskRole: statements\[1\]\.sid = "ReadBucket" is not allowed; expected each statement id \(Sid\) once/);
    expect(() => build(statements)).toThrow(ConfigError);
  });

  it("accepts distinct sids and statements without one", () => {
    const out = build([
      { sid: "ReadBucket", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::a/*"] },
      { actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::a"] },
      { actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::b"] },
    ]);
    expect(Object.keys(out.resource.aws_iam_role_policy)).toHaveLength(1);
  });
});

describe("decodeJsonencode (stack test helper)", () => {
  const render = (value: unknown): string => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new TerraformOutput(stack, "o", { value: Fn.jsonencode(value) });
    return JSON.parse(Testing.synth(stack)).output.o.value as string;
  };

  it("keeps quotes and braces nested in ${...} interpolations inside string literals", () => {
    const rendered = render({
      Resource: [`${Fn.replace("arn:aws:kafka:eu-west-1:1:cluster/a/b", ":cluster/", ":topic/")}/*`, `${Fn.lookup({ a: "b" }, "a", "}")}x`],
      Plain: "no interpolation",
    });
    expect(rendered).toContain('"${replace("arn:aws:kafka:eu-west-1:1:cluster/a/b", ":cluster/", ":topic/")}/*"');
    expect(decodeJsonencode(rendered)).toEqual({
      Resource: ['${replace("arn:aws:kafka:eu-west-1:1:cluster/a/b", ":cluster/", ":topic/")}/*', '${lookup({"a" = "b"}, "a", "}")}x'],
      Plain: "no interpolation",
    });
  });
});

describe("prod's TLS guard", () => {
  it("G6: refuses a prod whose load balancer would have no certificate", () => {
    const bad = { ...environments.prod, systems: { ...environments.prod.systems, dotnetApi: { ...environments.prod.systems.dotnetApi, certificateArn: undefined } } };
    expect(() => validateEnvironment(bad)).toThrow(/environments\/prod.ts: systems.dotnetApi.certificateArn = undefined is not allowed; prod requires an ACM certificate ARN/);
  });
});
