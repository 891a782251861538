import type { EcsServiceProps } from "../../modules/ecs-service";
import type { IEcsCluster } from "../../modules/ecs-cluster";
import { build, fargate, targetGroupArn } from "./ecs-service.fixture";

// Props EcsService refuses, each with the message that names the prop.
describe("EcsService", () => {
  describe("refuses", () => {
    const attempt = (props: Partial<EcsServiceProps>) => () => build(props);

    it("a container port out of range", () => {
      expect(attempt({ containerPort: 70000 })).toThrow(/test\/RuleService: containerPort = 70000 is not allowed; expected a whole number from 1 to 65535/);
    });
    it("a CPU size Fargate does not offer", () => {
      expect(attempt({ cpu: 300 })).toThrow(/cpu = 300 is not allowed; expected a Fargate CPU size: 256, 512, 1024/);
    });
    it("a memory size not paired with the CPU on Fargate", () => {
      expect(attempt({ cpu: 256, memoryMiB: 4096 })).toThrow(/memoryMiB = 4096 is not allowed; expected a Fargate memory size for cpu 256: one of 512, 1024, 2048/);
    });
    it("less memory than the CPU size's minimum on Fargate", () => {
      expect(attempt({ cpu: 1024, memoryMiB: 1024 })).toThrow(/memoryMiB = 1024 is not allowed; Fargate needs at least 2048 MiB with cpu 1024/);
    });
    it("a scaling minimum above the maximum", () => {
      expect(attempt({ scaling: { minCount: 4, maxCount: 2 } })).toThrow(/scaling\.minCount = 4 is not allowed; expected scaling\.minCount <= scaling\.maxCount \(2\)/);
    });
    it("a desired count outside the scaling range", () => {
      expect(attempt({ desiredCount: 5, scaling: { minCount: 1, maxCount: 3 } })).toThrow(/desiredCount = 5 is not allowed; expected scaling\.minCount \(1\) <= desiredCount <= scaling\.maxCount \(3\)/);
    });
    it("a CPU target outside 10-95 %", () => {
      expect(attempt({ scaling: { minCount: 1, maxCount: 3, cpuTargetPercent: 99 } })).toThrow(/scaling\.cpuTargetPercent = 99 is not allowed; expected a whole number from 10 to 95/);
    });
    it("a memory target outside 10-95 %", () => {
      expect(attempt({ scaling: { minCount: 1, maxCount: 3, memoryTargetPercent: 5 } })).toThrow(/scaling\.memoryTargetPercent = 5 is not allowed; expected a whole number from 10 to 95/);
    });
    it("a log retention CloudWatch does not offer", () => {
      expect(attempt({ logRetentionDays: 10 })).toThrow(/logRetentionDays = 10 is not allowed; expected a CloudWatch Logs retention value/);
    });
    it("G7: a password as a plain environment variable", () => {
      expect(attempt({ environment: { DB_PASSWORD: "hunter2" } })).toThrow(/environment\.DB_PASSWORD = "hunter2" is not allowed; a value that looks like a secret must not be a literal/);
    });
    it("a secret that is not an SSM parameter or Secrets Manager ARN", () => {
      expect(attempt({ secrets: { DB_PASSWORD: "/alerting/dev/db-password" } })).toThrow(/secrets\.DB_PASSWORD = "\/alerting\/dev\/db-password" is not allowed; expected the ARN of an SSM parameter/);
    });
    it("a service discovery name on a cluster without a namespace", () => {
      expect(attempt({ serviceDiscoveryName: "rule-service" })).toThrow(/serviceDiscoveryName = "rule-service" is not allowed; the cluster has no Cloud Map namespace/);
    });
    it("a load balancer without a container port", () => {
      expect(attempt({ loadBalancer: { targetGroupArn } })).toThrow(/loadBalancer = \{"targetGroupArn":".*"\} is not allowed; a load balancer needs containerPort/);
    });
    it("blue/green without a load balancer", () => {
      expect(attempt({ deploymentController: "CODE_DEPLOY" })).toThrow(/deploymentController = "CODE_DEPLOY" is not allowed; blue\/green deployments shift traffic/);
    });
    it("a task policy granting every action", () => {
      expect(attempt({ taskPolicyStatements: [{ actions: ["s3:*"], resources: ["*"] }] })).toThrow(/taskPolicyStatements\[0\]\.actions = \["s3:\*"\] is not allowed; expected the actions the application calls/);
    });
    it("a health check that is not CMD or CMD-SHELL", () => {
      expect(attempt({ healthCheck: { command: ["curl localhost"] } })).toThrow(/healthCheck\.command = \["curl localhost"\] is not allowed; expected \["CMD"/);
    });
    it("TV6: an EFS container path that is not absolute", () => {
      expect(attempt({ efsVolumes: [{ name: "shared", fileSystemId: "fs-0123456789abcdef0", containerPath: "mnt/shared" }] })).toThrow(
        /test\/RuleService: efsVolumes\[0\]\.containerPath = "mnt\/shared" is not allowed; expected an absolute path/,
      );
    });
    it("TV6: an EFS volume mounted on /tmp (already the scratch volume)", () => {
      expect(attempt({ efsVolumes: [{ name: "shared", fileSystemId: "fs-0123456789abcdef0", containerPath: "/tmp" }] })).toThrow(
        /efsVolumes\[0\]\.containerPath = "\/tmp" is not allowed; \/tmp is already the task's writable scratch volume/,
      );
    });
    it("TV6: two EFS volumes with the same name", () => {
      const v = { name: "shared", fileSystemId: "fs-0123456789abcdef0" };
      expect(attempt({ efsVolumes: [{ ...v, containerPath: "/mnt/a" }, { ...v, containerPath: "/mnt/b" }] })).toThrow(
        /efsVolumes\[1\]\.name = "shared" is not allowed; expected each volume name once/,
      );
    });
    it("TV6: an EFS volume named like the scratch volume", () => {
      expect(attempt({ efsVolumes: [{ name: "tmp", fileSystemId: "fs-0123456789abcdef0", containerPath: "/mnt/tmp" }] })).toThrow(
        /efsVolumes\[0\]\.name = "tmp" is not allowed; "tmp" is the module's scratch volume/,
      );
    });
    it("TV6: an EFS volume name with characters ECS does not accept", () => {
      expect(attempt({ efsVolumes: [{ name: "shared files", fileSystemId: "fs-0123456789abcdef0", containerPath: "/mnt/shared" }] })).toThrow(
        /efsVolumes\[0\]\.name = "shared files" is not allowed; expected 1-255 letters, digits, "_" and "-"/,
      );
    });
    it("TV6: EFS volume names that collide once \"-\" and \"_\" are dropped (they name IAM statements)", () => {
      const v = { fileSystemId: "fs-0123456789abcdef0" };
      expect(attempt({ efsVolumes: [{ ...v, name: "shared-files", containerPath: "/mnt/a" }, { ...v, name: "shared_files", containerPath: "/mnt/b" }] })).toThrow(
        /efsVolumes\[1\]\.name = "shared_files" is not allowed; expected names that stay distinct/,
      );
    });
    it("TV6: two EFS volumes on the same container path", () => {
      const v = { fileSystemId: "fs-0123456789abcdef0", containerPath: "/mnt/shared" };
      expect(attempt({ efsVolumes: [{ ...v, name: "a" }, { ...v, name: "b" }] })).toThrow(/efsVolumes\[1\]\.containerPath = "\/mnt\/shared" is not allowed; expected each container path once/);
    });
    it("TV6: an EFS file system id that is not one", () => {
      expect(attempt({ efsVolumes: [{ name: "shared", fileSystemId: "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-1", containerPath: "/mnt/shared" }] })).toThrow(
        /efsVolumes\[0\]\.fileSystemId = "arn:aws:elasticfilesystem:.*" is not allowed; expected an EFS file system id/,
      );
    });
    it("TV6: an EFS access point id that is not one", () => {
      expect(attempt({ efsVolumes: [{ name: "shared", fileSystemId: "fs-0123456789abcdef0", accessPointId: "app", containerPath: "/mnt/shared" }] })).toThrow(
        /efsVolumes\[0\]\.accessPointId = "app" is not allowed; expected an EFS access point id/,
      );
    });
    it("TV8: a daemon address set by hand while the module runs the daemon", () => {
      expect(attempt({ xrayTracing: true, environment: { AWS_XRAY_DAEMON_ADDRESS: "xray:2000" } })).toThrow(
        /environment\.AWS_XRAY_DAEMON_ADDRESS = "xray:2000" is not allowed; xrayTracing sets AWS_XRAY_DAEMON_ADDRESS=127\.0\.0\.1:2000/,
      );
    });
    it("TV8: X-Ray in a task too small for the daemon's memory", () => {
      const ec2: IEcsCluster = { ...fargate, launchType: "EC2" };
      expect(attempt({ cluster: ec2, cpu: 128, memoryMiB: 100, xrayTracing: true })).toThrow(/memoryMiB = 100 is not allowed; with xrayTracing the daemon reserves 64 MiB; expected at least 128 MiB/);
    });
    it("a service name with spaces", () => {
      expect(attempt({ name: "rule service" })).toThrow(/name = "rule service" is not allowed; expected letters, digits, hyphens and underscores/);
    });
  });
});
