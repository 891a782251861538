/**
 * X-Ray tracing (TV8, CA8): a sampling rule, and the statements a task role needs to send traces.
 */
import { Construct } from "constructs";
import { XraySamplingRule as XraySamplingRuleResource } from "@cdktf/provider-aws/lib/xray-sampling-rule";
import { fitName, grant, IGrantee, inNumberRange, inRange, matches, PolicyStatement } from "../core";

export interface XraySamplingRuleProps {
  /** Rule name base: letters, digits, "_" and "-"; shortened to 32 characters when longer. */
  readonly name: string;
  /** Share of requests traced beyond the reservoir, 0 to 1 (0.1 = 10 %). */
  readonly fixedRate: number;
  /** Requests per second traced before fixedRate applies. @default 1 */
  readonly reservoirSize?: number;
  /** Service name the rule matches (wildcards "*" and "?" allowed). @default "*" */
  readonly serviceName?: string;
  /** Lower numbers are evaluated first, 1 to 9999. @default 1000 */
  readonly priority?: number;
}

export class XraySamplingRule extends Construct {
  readonly ruleArn: string;
  readonly ruleName: string;
  readonly resource: XraySamplingRuleResource;

  constructor(scope: Construct, id: string, props: XraySamplingRuleProps) {
    super(scope, id);
    matches(this, "name", props.name, /^[A-Za-z0-9_-]+$/, "letters, digits, \"_\" and \"-\"");
    const ruleName = fitName(this, "name", props.name, "", "xraySamplingRuleName");
    const fixedRate = inNumberRange(this, "fixedRate", props.fixedRate, 0, 1);
    const reservoirSize = inRange(this, "reservoirSize", props.reservoirSize ?? 1, 0, 1_000_000);
    const priority = inRange(this, "priority", props.priority ?? 1000, 1, 9999);
    const serviceName = matches(this, "serviceName", props.serviceName ?? "*", /^.{1,64}$/, "1 to 64 characters");

    this.resource = new XraySamplingRuleResource(this, "Rule", {
      ruleName,
      priority,
      version: 1,
      fixedRate,
      reservoirSize,
      serviceName,
      serviceType: "*",
      host: "*",
      httpMethod: "*",
      urlPath: "*",
      resourceArn: "*",
    });
    this.ruleArn = this.resource.arn;
    this.ruleName = this.resource.ruleName;
  }
}

/** Lets a task or pod role send traces through the X-Ray daemon or ADOT collector (CA8). */
export function grantTraceWrite(grantee: IGrantee): PolicyStatement[] {
  return grant(grantee, [
    {
      sid: "WriteTraces",
      // X-Ray trace APIs support no resource-level permissions.
      actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"],
      resources: ["*"],
    },
  ]);
}
