/**
 * The broker's durable log directory: an encrypted EFS file system with a mount target in each private subnet,
 * reachable on 2049 only from the broker's security group, TLS-only, and an access point that owns the data as
 * uid/gid 1000 (the apache/kafka image's user).
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { EfsAccessPoint } from "@cdktf/provider-aws/lib/efs-access-point";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { allowFrom, createSecurityGroup, fitName, IConnectable, INetwork, PolicyStatement } from "../core";

export interface BrokerStorageProps {
  readonly name: string;
  readonly network: INetwork;
  /** The broker, the only client allowed on NFS. */
  readonly client: IConnectable;
  readonly kmsKeyArn?: string;
  readonly preventDestroy: boolean;
}

const NFS_PORT = 2049;
const KAFKA_UID = 1000;
const AZ_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

export class BrokerStorage extends Construct implements IConnectable {
  readonly securityGroupId: string;
  readonly fileSystem: EfsFileSystem;
  readonly accessPoint: EfsAccessPoint;
  readonly mountTargets: EfsMountTarget[];

  constructor(scope: Construct, id: string, props: BrokerStorageProps) {
    super(scope, id);
    const sg = createSecurityGroup(this, "SecurityGroup", {
      name: fitName(this, "name", props.name, "efs", "securityGroupName"),
      description: `NFS for the Kafka log directory of ${props.name}, from the broker only`,
      vpcId: props.network.vpcId,
      egress: "none",
    });
    this.securityGroupId = sg.id;
    allowFrom(this, props.client, NFS_PORT, "NFS from the Kafka broker");

    this.fileSystem = new EfsFileSystem(this, "FileSystem", {
      creationToken: fitName(this, "name", props.name, "data", "efsCreationToken"),
      encrypted: true,
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
      performanceMode: "generalPurpose",
      throughputMode: "bursting",
      tags: { Name: `${props.name}-data` },
      lifecycle: { preventDestroy: props.preventDestroy },
    });

    // One per AZ, named by AZ letter like the VPC's subnets, so ids do not depend on anything but the AZ.
    this.mountTargets = props.network.privateSubnetIds.map(
      (subnetId, i) => new EfsMountTarget(this, `MountTarget${AZ_LETTERS[i]}`, { fileSystemId: this.fileSystem.id, subnetId, securityGroups: [sg.id] }),
    );

    this.accessPoint = new EfsAccessPoint(this, "AccessPoint", {
      fileSystemId: this.fileSystem.id,
      posixUser: { uid: KAFKA_UID, gid: KAFKA_UID },
      rootDirectory: { path: "/kafka", creationInfo: { ownerUid: KAFKA_UID, ownerGid: KAFKA_UID, permissions: "0750" } },
      tags: { Name: `${props.name}-kafka` },
    });

    new EfsFileSystemPolicy(this, "Policy", {
      fileSystemId: this.fileSystem.id,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "*",
            Resource: this.fileSystem.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });
  }

  /** What the task role needs to mount and write through the access point (IAM authorization). */
  clientStatements(): PolicyStatement[] {
    return [
      {
        sid: "MountKafkaData",
        actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        resources: [this.fileSystem.arn],
        conditions: { StringEquals: { "elasticfilesystem:AccessPointArn": this.accessPoint.arn } },
      },
    ];
  }
}
