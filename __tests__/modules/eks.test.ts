import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { EksCluster, EksClusterProps, EKS_OIDC_ROOT_CA_THUMBPRINT } from "../../modules/eks";
import { only, resources, synthWith } from "../support/synth";

const network = {
  vpcId: "vpc-1",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-public-a", "subnet-public-b"],
  privateSubnetIds: ["subnet-private-a", "subnet-private-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};
const base: EksClusterProps = { name: "upload-pipeline-dev", network };

describe("EksCluster", () => {
  describe("with defaults", () => {
    let cluster!: EksCluster;
    const s = synthWith((scope) => {
      cluster = new EksCluster(scope, "Cluster", base);
    });
    const eks = () => only(s, "aws_eks_cluster");

    it("UP3: places the control plane in the private subnets with a private endpoint only", () => {
      expect(eks().vpc_config.subnet_ids).toEqual(network.privateSubnetIds);
      expect(eks().vpc_config.endpoint_private_access).toBe(true);
      expect(eks().vpc_config.endpoint_public_access).toBe(false);
      expect(eks().vpc_config.public_access_cidrs).toBeUndefined();
    });

    it("UP3: runs a managed node group in the private subnets", () => {
      const group = only(s, "aws_eks_node_group");
      expect(group.subnet_ids).toEqual(network.privateSubnetIds);
      expect(group.instance_types).toEqual(["t3.medium"]);
      expect(group.scaling_config).toEqual({ min_size: 1, desired_size: 2, max_size: 3 });
      expect(group.capacity_type).toBe("ON_DEMAND");
      expect(group.ami_type).toBe("AL2023_x86_64_STANDARD");
      expect(group.labels).toBeUndefined();
    });

    it("UP3: sends all five control-plane log types to a log group it creates first, kept 30 days", () => {
      expect(eks().enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
      const logGroup = only(s, "aws_cloudwatch_log_group");
      expect(logGroup.name).toBe("/aws/eks/upload-pipeline-dev/cluster");
      expect(logGroup.retention_in_days).toBe(30);
      expect(eks().depends_on.some((d: string) => d.startsWith("aws_cloudwatch_log_group."))).toBe(true);
    });

    it("UP3: envelope-encrypts secrets with a dedicated rotating KMS key the cluster role may use", () => {
      const key = only(s, "aws_kms_key");
      expect(key.enable_key_rotation).toBe(true);
      expect(eks().encryption_config.resources).toEqual(["secrets"]);
      expect(eks().encryption_config.provider.key_arn).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
      const policies = Object.values(resources(s, "aws_iam_role_policy")).map((p) => p.policy as string);
      expect(policies.some((p) => p.includes("kms:Decrypt") && p.includes("aws_kms_key."))).toBe(true);
    });

    it("UP3: registers the cluster's OIDC issuer as an IAM identity provider for sts.amazonaws.com", () => {
      expect(s.json).toHaveResourceWithProperties(IamOpenidConnectProvider, {
        client_id_list: ["sts.amazonaws.com"],
        thumbprint_list: [EKS_OIDC_ROOT_CA_THUMBPRINT],
      });
      expect(only(s, "aws_iam_openid_connect_provider").url).toMatch(/identity\[0\]\.oidc\[0\]\.issuer/);
      expect(cluster.oidcIssuerHost).not.toBe(cluster.oidcIssuerUrl);
    });

    it("uses access entries only and gives the cluster creator no implicit admin", () => {
      expect(s.json).toHaveResourceWithProperties(EksClusterResource, {
        access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false },
      });
      expect(resources(s, "aws_eks_access_entry")).toEqual({});
    });

    it("requires IMDSv2 with hop limit 1 and an encrypted gp3 root volume on nodes", () => {
      const lt = only(s, "aws_launch_template");
      expect(lt.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1, http_endpoint: "enabled" });
      expect(lt.block_device_mappings[0].ebs).toMatchObject({ encrypted: "true", volume_type: "gp3", volume_size: 50 });
    });

    it("puts its security group and EKS's cluster group on every node", () => {
      const lt = only(s, "aws_launch_template");
      expect(lt.vpc_security_group_ids).toHaveLength(2);
      expect(lt.vpc_security_group_ids[0]).toMatch(/vpc_config\[0\]\.cluster_security_group_id/);
      expect(lt.vpc_security_group_ids[1]).toMatch(/^\$\{aws_security_group\./);
      expect(eks().vpc_config.security_group_ids[0]).toBe(lt.vpc_security_group_ids[1]);
      expect(resources(s, "aws_vpc_security_group_ingress_rule")).toEqual({});
    });

    it("rolls nodes one at a time and leaves desired size to the autoscaler", () => {
      const group = only(s, "aws_eks_node_group");
      expect(group.update_config).toEqual({ max_unavailable: 1 });
      expect(group.lifecycle.ignore_changes).toEqual(["scaling_config[0].desired_size"]);
      expect(group.version).toMatch(/aws_eks_cluster\..*\.version/);
    });

    it("gives nodes the four AWS-managed node policies, the cluster role the EKS cluster policy and the EBS CSI role its driver policy", () => {
      const attached = Object.values(resources(s, "aws_iam_role_policy_attachment")).map((a) => (a.policy_arn as string).split("/").pop());
      expect(attached.sort()).toEqual(
        ["AmazonEBSCSIDriverPolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonEKSClusterPolicy", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonSSMManagedInstanceCore"].sort(),
      );
      expect(only(s, "aws_eks_node_group").depends_on).toHaveLength(4);
    });

    it("defaults to Kubernetes 1.33", () => {
      expect(eks().version).toBe("1.33");
    });
  });

  describe("with a public endpoint, Graviton and Spot groups, logging choices and a customer key", () => {
    const s = synthWith((scope) =>
      new EksCluster(scope, "Cluster", {
        ...base,
        kubernetesVersion: "1.31",
        publicEndpoint: { allowedCidrs: ["203.0.113.0/24"] },
        nodeGroups: [
          { name: "general", instanceTypes: ["m7g.large"], minSize: 2, desiredSize: 2, maxSize: 4, diskGiB: 100, labels: { "example.com/tier": "general" } },
          { name: "batch", instanceTypes: ["c6i.large", "c5.large"], minSize: 0, desiredSize: 0, maxSize: 5, capacityType: "SPOT" },
        ],
        controlPlaneLogs: ["api", "audit"],
        logRetentionDays: 90,
        logKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/logs",
        secretsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/secrets",
      }),
    );

    it("opens the public endpoint to the listed networks only", () => {
      const vpc = only(s, "aws_eks_cluster").vpc_config;
      expect(vpc.endpoint_public_access).toBe(true);
      expect(vpc.endpoint_private_access).toBe(true);
      expect(vpc.public_access_cidrs).toEqual(["203.0.113.0/24"]);
    });

    it("builds one node group per entry with the right AMI type, capacity type, disk and labels", () => {
      const groups = Object.values(resources(s, "aws_eks_node_group"));
      const general = groups.find((g) => g.node_group_name === "general");
      const batch = groups.find((g) => g.node_group_name === "batch");
      expect(general.ami_type).toBe("AL2023_ARM_64_STANDARD");
      expect(general.labels).toEqual({ "example.com/tier": "general" });
      expect(batch.ami_type).toBe("AL2023_x86_64_STANDARD");
      expect(batch.capacity_type).toBe("SPOT");
      expect(batch.scaling_config).toEqual({ min_size: 0, desired_size: 0, max_size: 5 });
      const disks = Object.values(resources(s, "aws_launch_template")).map((lt) => lt.block_device_mappings[0].ebs.volume_size).sort();
      expect(disks).toEqual([100, 50]);
    });

    it("uses the given keys and creates none", () => {
      expect(resources(s, "aws_kms_key")).toEqual({});
      expect(only(s, "aws_eks_cluster").encryption_config.provider.key_arn).toBe("arn:aws:kms:eu-west-1:123456789012:key/secrets");
      expect(only(s, "aws_cloudwatch_log_group")).toMatchObject({ kms_key_id: "arn:aws:kms:eu-west-1:123456789012:key/logs", retention_in_days: 90 });
    });

    it("enables only the chosen log types and the chosen version", () => {
      expect(only(s, "aws_eks_cluster").enabled_cluster_log_types).toEqual(["api", "audit"]);
      expect(only(s, "aws_eks_cluster").version).toBe("1.31");
    });
  });

  describe("with access entries", () => {
    const s = synthWith((scope) => {
      const ci = new IamRole(scope, "CiDeploy", { name: "ci", assumeRolePolicy: "{}" });
      new EksCluster(scope, "Cluster", {
        ...base,
        accessEntries: [
          { principalArn: ci.arn, policy: "AmazonEKSEditPolicy", namespaces: ["uploader", "parser"] },
          { principalArn: "arn:aws:iam::123456789012:role/platform-admins", policy: "AmazonEKSClusterAdminPolicy" },
        ],
      });
    });

    it("G10: gives the CI role a namespace-scoped edit policy and the admins cluster admin", () => {
      const associations = Object.values(resources(s, "aws_eks_access_policy_association"));
      const edit = associations.find((a) => (a.policy_arn as string).endsWith("/AmazonEKSEditPolicy"));
      const admin = associations.find((a) => (a.policy_arn as string).endsWith("/AmazonEKSClusterAdminPolicy"));
      expect(edit.access_scope).toEqual({ type: "namespace", namespaces: ["uploader", "parser"] });
      expect(admin.access_scope).toEqual({ type: "cluster" });
      expect(Object.values(resources(s, "aws_eks_access_entry")).map((e) => e.type)).toEqual(["STANDARD", "STANDARD"]);
    });

    it("names entries after the principal, not the list position", () => {
      const ids = Object.keys(resources(s, "aws_eks_access_entry"));
      expect(ids.some((id) => id.includes("PlatformAdmins"))).toBe(true);
      expect(ids.some((id) => id.includes("CiDeploy"))).toBe(true);
    });
  });

  describe("serviceAccountRole", () => {
    let result!: { roleArn: string; roleName: string };
    const s = synthWith((scope) => {
      const cluster = new EksCluster(scope, "Cluster", base);
      result = cluster.serviceAccountRole("ParserRole", {
        name: "upload-pipeline-dev-parser",
        namespace: "parser",
        serviceAccount: "parser-sa",
        statements: [{ actions: ["sqs:ReceiveMessage"], resources: ["arn:aws:sqs:eu-west-1:123456789012:jobs"] }],
      });
    });
    const role = () => Object.values(resources(s, "aws_iam_role")).find((r) => r.name === "upload-pipeline-dev-parser");

    it("UP4: trusts only the cluster's OIDC provider for namespace/service account with audience sts", () => {
      const trust = role().assume_role_policy as string;
      expect(trust).toContain("sts:AssumeRoleWithWebIdentity");
      expect(trust).toMatch(/"Federated" = aws_iam_openid_connect_provider\.[A-Za-z0-9_]+\.arn/);
      expect(trust).toContain('"system:serviceaccount:parser:parser-sa"');
      expect(trust).toContain('"sts.amazonaws.com"');
      expect(trust).toMatch(/format\("%s:sub", replace\(aws_eks_cluster\.[A-Za-z0-9_]+\.identity\[0\]\.oidc\[0\]\.issuer, "https:\/\/", ""\)\)/);
      expect(trust).toContain('"StringEquals"');
    });

    it("UP4: carries the given statements and returns the role's ARN and name", () => {
      const policy = Object.values(resources(s, "aws_iam_role_policy")).find((p) => (p.policy as string).includes("sqs:ReceiveMessage"));
      expect(policy).toBeDefined();
      expect(result.roleArn).toMatch(/^\$\{TfToken/);
      expect(result.roleName).toMatch(/^\$\{TfToken/);
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<EksClusterProps>) => () => synthWith((scope) => new EksCluster(scope, "C", { ...base, ...props }));
    const group = { name: "default", instanceTypes: ["t3.medium"], minSize: 1, desiredSize: 2, maxSize: 3 };
    const irsa = (p: { namespace?: string; serviceAccount?: string; name?: string; statements?: [] }) => () =>
      synthWith((scope) => {
        new EksCluster(scope, "C", base).serviceAccountRole("R", {
          name: "r",
          namespace: "ns",
          serviceAccount: "sa",
          statements: [{ actions: ["s3:GetObject"], resources: ["*"] }],
          ...p,
        });
      });

    it("a cluster name starting with a digit", () => {
      expect(build({ name: "1cluster" })).toThrow(/test\/C: name = "1cluster" is not allowed; expected letters, digits/);
    });
    it("a cluster name longer than 100 characters", () => {
      expect(build({ name: `c${"x".repeat(100)}` })).toThrow(/name = "cx+" is not allowed; expected at most 100 characters, the eksClusterName limit/);
    });
    it("a Kubernetes version out of standard support", () => {
      expect(build({ kubernetesVersion: "1.29" })).toThrow(/kubernetesVersion = "1.29" is not allowed; expected 1.30 or newer/);
    });
    it("a malformed Kubernetes version", () => {
      expect(build({ kubernetesVersion: "v1.31.2" })).toThrow(/kubernetesVersion = "v1.31.2" is not allowed; expected a Kubernetes minor version/);
    });
    it("a public endpoint open to 0.0.0.0/0", () => {
      expect(build({ publicEndpoint: { allowedCidrs: ["0.0.0.0/0"] } })).toThrow(/publicEndpoint\.allowedCidrs\[0\] = "0.0.0.0\/0" is not allowed; expected specific networks/);
    });
    it("a public endpoint without CIDRs", () => {
      expect(build({ publicEndpoint: { allowedCidrs: [] } })).toThrow(/publicEndpoint\.allowedCidrs = \[\] is not allowed; expected at least one CIDR/);
    });
    it("a public endpoint CIDR with host bits set", () => {
      expect(build({ publicEndpoint: { allowedCidrs: ["203.0.113.7/24"] } })).toThrow(/publicEndpoint\.allowedCidrs\[0\] = "203.0.113.7\/24" is not allowed/);
    });
    it("a node group with minSize above maxSize", () => {
      expect(build({ nodeGroups: [{ ...group, minSize: 4, desiredSize: 4, maxSize: 3 }] })).toThrow(/nodeGroups\[0\]\.minSize = 4 is not allowed; expected nodeGroups\[0\]\.minSize <= nodeGroups\[0\]\.maxSize/);
    });
    it("a node group with desiredSize outside min..max", () => {
      expect(build({ nodeGroups: [{ ...group, desiredSize: 5 }] })).toThrow(/nodeGroups\[0\]\.desiredSize = 5 is not allowed/);
    });
    it("a bad instance type", () => {
      expect(build({ nodeGroups: [{ ...group, instanceTypes: ["t3.huge"] }] })).toThrow(/nodeGroups\[0\]\.instanceTypes\[0\] = "t3.huge" is not allowed; expected an EC2 instance type/);
    });
    it("a node group mixing x86 and Graviton instance types", () => {
      expect(build({ nodeGroups: [{ ...group, instanceTypes: ["m6i.large", "m7g.large"] }] })).toThrow(/instanceTypes\[1\] = "m7g.large" is not allowed; expected the same CPU architecture/);
    });
    it("duplicate node group names", () => {
      expect(build({ nodeGroups: [group, { ...group }] })).toThrow(/nodeGroups\[1\]\.name = "default" is not allowed; expected node group names unique/);
    });
    it("an empty node group list", () => {
      expect(build({ nodeGroups: [] })).toThrow(/nodeGroups = \[\] is not allowed; expected at least one node group/);
    });
    it("a root disk under 20 GiB", () => {
      expect(build({ nodeGroups: [{ ...group, diskGiB: 10 }] })).toThrow(/nodeGroups\[0\]\.diskGiB = 10 is not allowed; expected a whole number from 20 to 16384/);
    });
    it("an unknown control-plane log type", () => {
      expect(build({ controlPlaneLogs: ["api", "kubelet" as "api"] })).toThrow(/controlPlaneLogs\[1\] = "kubelet" is not allowed; expected one of "api"/);
    });
    it("no control-plane log types", () => {
      expect(build({ controlPlaneLogs: [] })).toThrow(/controlPlaneLogs = \[\] is not allowed; expected at least one/);
    });
    it("a log retention CloudWatch does not offer", () => {
      expect(build({ logRetentionDays: 45 })).toThrow(/logRetentionDays = 45 is not allowed; expected a CloudWatch Logs retention value/);
    });
    it("an access entry that is not an IAM role or user", () => {
      expect(build({ accessEntries: [{ principalArn: "arn:aws:iam::123456789012:group/admins", policy: "AmazonEKSViewPolicy" }] })).toThrow(/accessEntries\[0\]\.principalArn = "arn:aws:iam::123456789012:group\/admins" is not allowed; expected an IAM role or user ARN/);
    });
    it("a namespace-scoped cluster admin", () => {
      expect(build({ accessEntries: [{ principalArn: "arn:aws:iam::123456789012:role/x", policy: "AmazonEKSClusterAdminPolicy", namespaces: ["app"] }] })).toThrow(/accessEntries\[0\]\.namespaces = \["app"\] is not allowed; expected no namespaces with AmazonEKSClusterAdminPolicy/);
    });
    it("UP4: a service-account role with a namespace that is not a DNS-1123 label", () => {
      expect(irsa({ namespace: "Parser_NS" })).toThrow(/serviceAccountRole\("R"\)\.namespace = "Parser_NS" is not allowed; expected a Kubernetes DNS-1123 label/);
    });
    it("UP4: a service-account role with a service account that is not a DNS-1123 label", () => {
      expect(irsa({ serviceAccount: "parser-" })).toThrow(/serviceAccountRole\("R"\)\.serviceAccount = "parser-" is not allowed; expected a Kubernetes DNS-1123 label/);
    });
    it("a service-account role with no statements", () => {
      expect(irsa({ statements: [] })).toThrow(/serviceAccountRole\("R"\)\.statements = \[\] is not allowed; expected at least one statement/);
    });
    it("a service-account role name longer than 64 characters", () => {
      expect(irsa({ name: "r".repeat(65) })).toThrow(/serviceAccountRole\("R"\)\.name = "r+" is not allowed; expected at most 64 characters/);
    });
  });
});

describe("EksCluster.grantAccess", () => {
  it("adds an access entry and a namespace-scoped policy after construction", () => {
    const s = synthWith((scope) => {
      const c = new EksCluster(scope, "Cluster", { name: "sys-dev", network: network });
      c.grantAccess("DeployAccess", { principalArn: "arn:aws:iam::123456789012:role/deploy", policy: "AmazonEKSEditPolicy", namespaces: ["app"] });
    });
    expect(Object.keys(resources(s, "aws_eks_access_entry"))).toEqual([expect.stringContaining("AccessEntryDeployAccess")]);
    const assoc = Object.values(resources(s, "aws_eks_access_policy_association"))[0] as any;
    expect(assoc.access_scope).toEqual({ type: "namespace", namespaces: ["app"] });
  });
  it("refuses cluster-admin scoped to namespaces", () => {
    expect(() =>
      synthWith((scope) => {
        const c = new EksCluster(scope, "Cluster", { name: "sys-dev", network: network });
        c.grantAccess("Admin", { principalArn: "arn:aws:iam::123456789012:role/x", policy: "AmazonEKSClusterAdminPolicy", namespaces: ["app"] });
      }),
    ).toThrow(/test\/Cluster: accessEntries\[0\]\.namespaces = \["app"\] .* cluster-wide/);
  });
});
