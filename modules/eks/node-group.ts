/**
 * One EKS managed node group in the private subnets, launched from a template that requires IMDSv2 and encrypts
 * the root volume.
 */
import { Construct } from "constructs";
import { ITerraformDependable, Token } from "cdktf";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import type { NodeTaint } from "./checks";

export interface ManagedNodeGroupProps {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly nodeGroupName: string;
  readonly launchTemplateName: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: string[];
  /** EKS's cluster security group (node <-> control plane) plus the module's additional group. */
  readonly securityGroupIds: string[];
  readonly instanceTypes: string[];
  readonly amiType: "AL2023_x86_64_STANDARD" | "AL2023_ARM_64_STANDARD";
  readonly capacityType: "ON_DEMAND" | "SPOT";
  readonly diskGiB: number;
  readonly labels: Record<string, string>;
  readonly taints: readonly NodeTaint[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** The node role's policy attachments: nodes cannot join the cluster without them. */
  readonly dependsOn: ITerraformDependable[];
}

export class ManagedNodeGroup extends Construct {
  readonly launchTemplate: LaunchTemplate;
  readonly resource: EksNodeGroup;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    this.launchTemplate = new LaunchTemplate(this, "LaunchTemplate", {
      name: props.launchTemplateName,
      description: `Nodes of node group ${props.nodeGroupName} in EKS cluster ${props.clusterName}`,
      updateDefaultVersion: true,
      vpcSecurityGroupIds: props.securityGroupIds,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        // Hop limit 1: pods (one network hop further) cannot reach IMDS and borrow the node role; they use IRSA.
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: props.diskGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      monitoring: { enabled: true },
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: `${props.clusterName}-${props.nodeGroupName}` } },
        { resourceType: "volume", tags: { Name: `${props.clusterName}-${props.nodeGroupName}` } },
      ],
    });

    this.resource = new EksNodeGroup(this, "NodeGroup", {
      clusterName: props.clusterName,
      nodeGroupName: props.nodeGroupName,
      // Follows the control plane: upgrading the cluster version rolls the nodes.
      version: props.kubernetesVersion,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      amiType: props.amiType,
      capacityType: props.capacityType,
      instanceTypes: props.instanceTypes,
      // Omitted when empty: AWS returns no labels, and an empty map would read back as absent.
      ...(Object.keys(props.labels).length > 0 ? { labels: props.labels } : {}),
      ...(props.taints.length > 0 ? { taint: props.taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })) } : {}),
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      scalingConfig: { minSize: props.minSize, desiredSize: props.desiredSize, maxSize: props.maxSize },
      updateConfig: { maxUnavailable: 1 },
      dependsOn: props.dependsOn,
      // The cluster autoscaler owns desired_size once the group runs; Terraform keeps min and max.
      lifecycle: { ignoreChanges: ["scaling_config[0].desired_size"] },
    });
  }
}
