import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsAccessPoint } from "@cdktf/provider-aws/lib/efs-access-point";
import { EcsCluster } from "../../modules/ecs-cluster";
import { EcsService } from "../../modules/ecs-service";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const network = {
  vpcId: "vpc-0123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};
const targetGroupArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/rule-service/0123456789abcdef";

describe("EcsService (terraform validate)", () => {
  it("validates scaled, singleton and blue/green services on EC2 and Fargate clusters, with EFS volumes and X-Ray sidecars", async () => {
    const r = await validateConstructs((stack) => {
      const ec2 = new EcsCluster(stack, "Ec2Cluster", {
        name: "alerting-platform-dev",
        network,
        privateNamespace: "alerting-platform-dev.internal",
        capacity: { kind: "ec2", instanceType: "t3.micro", minInstances: 1, maxInstances: 4 },
      });
      const repo = new EcrRepository(stack, "Repo", { name: "alerting-platform/rule-service" });
      const secret = new SecretsmanagerSecret(stack, "DbSecret", { name: "alerting-platform/dev/db" });
      new EcsService(stack, "RuleService", {
        name: "alerting-platform-dev-rule-service",
        cluster: ec2,
        network,
        image: `${repo.repositoryUrl}:latest`,
        cpu: 256,
        memoryMiB: 512,
        containerPort: 8080,
        scaling: { minCount: 1, maxCount: 3 },
        logRetentionDays: 7,
        logGroupName: "/ecs/alerting-platform/dev/rule-service",
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        environment: { SPRING_PROFILES_ACTIVE: "dev" },
        secrets: {
          DB_PASSWORD: `${secret.arn}:password::`,
          KAFKA_BOOTSTRAP: "arn:aws:ssm:eu-west-1:123456789012:parameter/alerting/dev/kafka",
        },
        secretsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        loadBalancer: { targetGroupArn },
        serviceDiscoveryName: "rule-service",
        taskPolicyStatements: [{ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:eu-west-1:123456789012:jobs"] }],
        xrayTracing: true,
      });
      new EcsService(stack, "RuleUpdater", {
        name: "alerting-platform-dev-rule-updater",
        cluster: ec2,
        network,
        image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/alerting-platform/rule-updater:1.0.0",
        cpu: 256,
        memoryMiB: 256,
        singleton: true,
        logRetentionDays: 7,
        healthCheck: { command: ["CMD-SHELL", "test -f /tmp/healthy || exit 1"] },
      });
      const fileSystem = new EfsFileSystem(stack, "Files", { encrypted: true });
      const accessPoint = new EfsAccessPoint(stack, "FilesApp", { fileSystemId: fileSystem.id, posixUser: { uid: 1000, gid: 1000 } });
      const fargate = new EcsCluster(stack, "FargateCluster", { name: "chat-app-dev", network, capacity: { kind: "fargate", spot: true } });
      new EcsService(stack, "Api", {
        name: "chat-app-dev-api-gateway",
        cluster: fargate,
        network,
        image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/chat-app/api-gateway:latest",
        cpu: 512,
        memoryMiB: 1024,
        containerPort: 8080,
        loadBalancer: { targetGroupArn },
        deploymentController: "CODE_DEPLOY",
        logRetentionDays: 30,
        xrayTracing: true,
        efsVolumes: [
          { name: "shared", fileSystemId: fileSystem.id, accessPointId: accessPoint.id, containerPath: "/mnt/shared" },
          { name: "reference", fileSystemId: "fs-0123456789abcdef0", containerPath: "/mnt/reference", readOnly: true },
        ],
      });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
