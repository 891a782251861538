/**
 * Interface endpoints in the private subnets, so tasks reach AWS APIs (ECR, Logs, Secrets Manager, ...) without NAT.
 * They share one security group that accepts HTTPS from the VPC and nothing else.
 */
import { Construct } from "constructs";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { allowCidr, createSecurityGroup, fail, fitName, IConnectable, matches } from "../core";

export interface InterfaceEndpointsProps {
  readonly name: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly region: string;
  readonly subnetIds: string[];
  /** Short service names, e.g. "ecr.api", "logs". */
  readonly services: readonly string[];
  /** The construct named in error messages (the Vpc). */
  readonly owner: Construct;
}

/** "ecr.api" -> "EcrApi": a construct id derived from the service, never from its list position. */
function idFor(service: string): string {
  return service.split(/[.-]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("");
}

/** Refuses malformed, duplicate or redundant service names (called before anything is built). */
export function checkInterfaceEndpoints(owner: Construct, services: readonly string[]): void {
  const seen = new Map<string, string>();
  services.forEach((service, i) => {
    const setting = `interfaceEndpoints[${i}]`;
    matches(owner, setting, service, /^[a-z0-9]+([.-][a-z0-9]+)*$/, "a short AWS service name such as \"ecr.api\", \"logs\" or \"secretsmanager\"");
    if (service.startsWith("com.amazonaws.")) fail(owner, setting, service, "expected the short service name (e.g. \"logs\"); the module adds com.amazonaws.<region>.");
    if (service === "s3") fail(owner, setting, service, "expected another service; S3 is always reached through the free gateway endpoint");
    const previous = seen.get(idFor(service));
    if (previous !== undefined) fail(owner, setting, service, `expected each service once (same construct id as ${JSON.stringify(previous)})`);
    seen.set(idFor(service), service);
  });
}

export class InterfaceEndpoints extends Construct implements IConnectable {
  readonly securityGroupId: string;
  readonly endpoints: Record<string, VpcEndpoint> = {};

  constructor(scope: Construct, id: string, props: InterfaceEndpointsProps) {
    super(scope, id);
    const sg = createSecurityGroup(this, "SecurityGroup", {
      name: fitName(props.owner, "name", props.name, "endpoints", "securityGroupName"),
      description: "Interface endpoints: HTTPS from inside the VPC",
      vpcId: props.vpcId,
      egress: "none",
    });
    this.securityGroupId = sg.id;
    allowCidr(this, props.vpcCidr, 443, "HTTPS to AWS APIs from inside the VPC");

    for (const service of props.services) {
      this.endpoints[service] = new VpcEndpoint(this, idFor(service), {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: props.subnetIds,
        securityGroupIds: [sg.id],
        tags: { Name: `${props.name}-${service}` },
      });
    }
  }
}
