/** VPC flow logs (all traffic) to a CloudWatch log group, written by a role that can touch only that group. */
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { createRole, fitName, serviceTrustPolicy } from "../core";

export interface FlowLogsProps {
  readonly name: string;
  readonly vpcId: string;
  readonly accountId: string;
  readonly retentionDays: number;
  readonly kmsKeyArn?: string;
  /** The construct named in error messages (the Vpc). */
  readonly owner: Construct;
}

export class FlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: `/vpc/${props.name}/flow-logs`,
      retentionInDays: props.retentionDays,
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
    });
    const role = createRole(this, "Role", {
      name: fitName(props.owner, "name", props.name, "vpc-flow-logs", "iamRoleName"),
      description: `Writes the flow logs of VPC ${props.name} to its log group`,
      // Only flow logs of this account may assume it (confused-deputy guard).
      assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", { StringEquals: { "aws:SourceAccount": props.accountId } }),
      statements: [
        {
          sid: "WriteFlowLogs",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
      ],
    });
    this.flowLog = new FlowLog(this, "FlowLog", {
      vpcId: props.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 600,
      tags: { Name: `${props.name}-flow-logs` },
    });
  }
}
