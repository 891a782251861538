import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { EksCluster } from "../../modules/eks";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const network = {
  vpcId: "vpc-0123456789abcdef0",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-0000000000000000a"],
  privateSubnetIds: ["subnet-0000000000000000b", "subnet-0000000000000000c"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};

describe("EksCluster under terraform validate", () => {
  it("validates with a public endpoint, two node groups, access entries and an IRSA role", async () => {
    const r = await validateConstructs((stack) => {
      const ci = new IamRole(stack, "CiRole", { name: "ci", assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) });
      const cluster = new EksCluster(stack, "Cluster", {
        name: "upload-pipeline-prod",
        network,
        kubernetesVersion: "1.32",
        publicEndpoint: { allowedCidrs: ["203.0.113.0/24"] },
        nodeGroups: [
          { name: "general", instanceTypes: ["m7g.large", "m6g.large"], minSize: 2, desiredSize: 3, maxSize: 6, diskGiB: 80, labels: { workload: "general" } },
          { name: "spot", instanceTypes: ["c6i.large", "c5.large"], minSize: 0, desiredSize: 0, maxSize: 4, capacityType: "SPOT" },
        ],
        controlPlaneLogs: ["api", "audit", "authenticator"],
        logRetentionDays: 90,
        logKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555",
        accessEntries: [
          { principalArn: ci.arn, policy: "AmazonEKSEditPolicy", namespaces: ["uploader", "parser"] },
          { principalArn: "arn:aws:iam::123456789012:role/platform-admins", policy: "AmazonEKSClusterAdminPolicy" },
        ],
      });
      cluster.serviceAccountRole("ParserRole", {
        name: "upload-pipeline-prod-parser",
        namespace: "parser",
        serviceAccount: "parser",
        statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::upload-pipeline-prod-uploads/*"] }],
      });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
