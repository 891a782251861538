import { EksCluster, EksClusterProps, ADDON_NAMES, ADDON_VERSIONS, loadBalancerControllerStatements } from "../../modules/eks";
import { only, resources, synthWith } from "../support/synth";

const network = {
  vpcId: "vpc-1",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-public-a", "subnet-public-b"],
  privateSubnetIds: ["subnet-private-a", "subnet-private-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};
const base: EksClusterProps = { name: "upload-pipeline-dev", network };
const byAddon = (s: ReturnType<typeof synthWith>) =>
  Object.fromEntries(Object.values(resources(s, "aws_eks_addon")).map((a) => [a.addon_name as string, a]));
const roleNamed = (s: ReturnType<typeof synthWith>, suffix: string) =>
  Object.values(resources(s, "aws_iam_role")).find((r) => (r.name as string).endsWith(suffix));
const policyOf = (s: ReturnType<typeof synthWith>, roleId: string) => {
  const policy = Object.values(resources(s, "aws_iam_role_policy")).find((p) => (p.role as string).includes(roleId));
  return policy?.policy as string;
};

describe("EksCluster add-ons (issue 8)", () => {
  describe("with defaults", () => {
    let cluster!: EksCluster;
    const s = synthWith((scope) => void (cluster = new EksCluster(scope, "Cluster", base)));

    it("installs the five managed add-ons at the versions pinned for Kubernetes 1.33", () => {
      const addons = byAddon(s);
      expect(Object.keys(addons).sort()).toEqual([...ADDON_NAMES].sort());
      for (const name of ADDON_NAMES) expect(addons[name].addon_version).toBe(ADDON_VERSIONS["1.33"][name]);
      expect(addons.coredns.resolve_conflicts_on_create).toBe("OVERWRITE");
      expect(addons["kube-proxy"].resolve_conflicts_on_update).toBe("OVERWRITE");
    });

    it("gives the EBS CSI driver its own IRSA role, trusted for kube-system/ebs-csi-controller-sa", () => {
      const addons = byAddon(s);
      expect(addons["aws-ebs-csi-driver"].service_account_role_arn).toMatch(/^\$\{aws_iam_role\.Cluster_EbsCsiRole_[A-Z0-9]+\.arn\}$/);
      const role = roleNamed(s, "-ebs-csi");
      expect(role?.assume_role_policy).toMatch(/system:serviceaccount:kube-system:ebs-csi-controller-sa/);
      expect(addons["vpc-cni"].service_account_role_arn).toBeUndefined();
    });

    it("orders coredns and the EBS CSI driver (Deployments) after the node group, the rest not", () => {
      const addons = byAddon(s);
      expect(addons.coredns.depends_on).toEqual([expect.stringMatching(/^aws_eks_node_group\./)]);
      expect(addons["aws-ebs-csi-driver"].depends_on).toEqual([expect.stringMatching(/^aws_eks_node_group\./)]);
      expect(addons["vpc-cni"].depends_on).toBeUndefined();
    });

    it("creates an IRSA role for the load balancer controller with the controller's documented permissions, scoped by tag", () => {
      const role = roleNamed(s, "-lb-controller");
      expect(role?.assume_role_policy).toMatch(/system:serviceaccount:kube-system:aws-load-balancer-controller/);
      expect(policyOf(s, "LoadBalancerControllerRole")).toMatch(/^\$\{jsonencode\(/);
      const create = cluster.loadBalancerControllerRole.statements.find((st) => st.sid === "CreateTaggedBalancers");
      expect(create?.actions).toEqual(["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"]);
      expect(create?.conditions).toEqual({ Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } });
      expect(create?.resources).toEqual([
        expect.stringMatching(/^arn:.+:elasticloadbalancing:.+:loadbalancer\/app\/\*\/\*$/),
        expect.stringMatching(/:loadbalancer\/net\/\*\/\*$/),
        expect.stringMatching(/:targetgroup\/\*\/\*$/),
      ]);
      expect(resources(s, "aws_eks_pod_identity_association")).toEqual({});
    });
  });

  it("loadBalancerControllerStatements: no statement allows every action of a service, writes on existing balancers need the controller's tag", async () => {
    const statements = loadBalancerControllerStatements({ partition: "aws", region: "eu-west-1", account: "123456789012" });
    expect(statements.flatMap((st) => st.actions).filter((a) => a.endsWith(":*") || a === "*")).toEqual([]);
    const change = statements.find((st) => st.sid === "ChangeOwnBalancers");
    expect(change?.conditions).toEqual({ Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } });
    expect(change?.actions).toContain("elasticloadbalancing:DeleteLoadBalancer");
    const wildcardWrites = statements.filter((st) => st.resources.includes("*") && st.actions.some((a) => /:(Create|Delete|Modify|Set)/.test(a) && !a.startsWith("iam:") && !a.startsWith("shield:")));
    expect(wildcardWrites.map((st) => st.sid)).toEqual([]);
    expect(new Set(statements.map((st) => st.sid)).size).toBe(statements.length);
  });

  it("pins other versions on another Kubernetes version and takes a version override", () => {
    const s = synthWith((scope) => void new EksCluster(scope, "Cluster", { ...base, kubernetesVersion: "1.31", addons: { versions: { coredns: "v1.11.3-eksbuild.1" } } }));
    const addons = byAddon(s);
    expect(addons.coredns.addon_version).toBe("v1.11.3-eksbuild.1");
    expect(addons["kube-proxy"].addon_version).toBe(ADDON_VERSIONS["1.31"]["kube-proxy"]);
  });

  it("binds the load balancer controller through EKS Pod Identity when asked, after the agent add-on", () => {
    const s = synthWith((scope) => void new EksCluster(scope, "Cluster", { ...base, loadBalancerController: { identity: "podIdentity", serviceAccount: "alb" } }));
    const association = only(s, "aws_eks_pod_identity_association");
    expect([association.namespace, association.service_account]).toEqual(["kube-system", "alb"]);
    expect(association.role_arn).toMatch(/^\$\{aws_iam_role\.Cluster_LoadBalancerControllerRole_[A-Z0-9]+\.arn\}$/);
    expect(association.depends_on).toEqual([expect.stringMatching(/^aws_eks_addon\.Cluster_AddonEksPodIdentityAgent_/)]);
    const trust = JSON.parse(JSON.stringify(roleNamed(s, "-lb-controller")?.assume_role_policy));
    expect(trust).toMatch(/pods\.eks\.amazonaws\.com/);
    expect(trust).toMatch(/sts:TagSession/);
  });

  it("podIdentityRole: a grantee role for one service account, with its association", () => {
    let role!: ReturnType<EksCluster["podIdentityRole"]>;
    const s = synthWith((scope) => {
      const cluster = new EksCluster(scope, "Cluster", base);
      role = cluster.podIdentityRole("ParserRole", { name: "upload-pipeline-dev-parser", namespace: "parser", serviceAccount: "parser" });
      role.addToPolicy({ sid: "Read", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] });
    });
    const association = only(s, "aws_eks_pod_identity_association");
    expect([association.namespace, association.service_account]).toEqual(["parser", "parser"]);
    expect(role.statements).toEqual([{ sid: "Read", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }]);
    expect(policyOf(s, "ParserRole")).toMatch(/^\$\{jsonencode\(/);
    expect(roleNamed(s, "-parser")?.assume_role_policy).toMatch(/aws:SourceArn/);
  });

  it("puts taints and labels on a node group", () => {
    const s = synthWith((scope) => void new EksCluster(scope, "Cluster", {
      ...base,
      nodeGroups: [{
        name: "batch", instanceTypes: ["m7g.large"], minSize: 0, desiredSize: 1, maxSize: 4, labels: { workload: "batch" },
        taints: [{ key: "dedicated", value: "batch", effect: "NO_SCHEDULE" }, { key: "example.com/spot", effect: "PREFER_NO_SCHEDULE" }],
      }],
    }));
    const group = only(s, "aws_eks_node_group");
    expect(group.labels).toEqual({ workload: "batch" });
    expect(group.taint).toEqual([{ key: "dedicated", value: "batch", effect: "NO_SCHEDULE" }, { key: "example.com/spot", effect: "PREFER_NO_SCHEDULE" }]);
  });

  describe("refuses", () => {
    const build = (props: Partial<EksClusterProps>) => () => synthWith((scope) => void new EksCluster(scope, "C", { ...base, ...props }));
    const group = { name: "default", instanceTypes: ["t3.medium"], minSize: 1, desiredSize: 2, maxSize: 3 };

    it("an add-on version that is not an EKS build", () => {
      expect(build({ addons: { versions: { "vpc-cni": "1.19" } } })).toThrow(/^test\/C: addons\.versions\.vpc-cni = "1\.19" is not allowed; expected an EKS add-on version such as "v1\.19\.5-eksbuild\.1"/);
    });
    it("an add-on that is not one of the five", () => {
      expect(build({ addons: { versions: { metrics: "v1.0.0-eksbuild.1" } as never } })).toThrow(/addons\.versions\.metrics = "v1\.0\.0-eksbuild\.1" is not allowed; expected one of the managed add-ons: vpc-cni, coredns/);
    });
    it("a Kubernetes version without pinned add-on versions, unless they are given", () => {
      expect(build({ kubernetesVersion: "1.34" })).toThrow(/addons\.versions\.vpc-cni = undefined is not allowed; expected a version: Kubernetes 1\.34 has no pinned add-on versions \(pinned: 1\.30, 1\.31, 1\.32, 1\.33\)/);
      const versions = Object.fromEntries(ADDON_NAMES.map((n) => [n, "v1.0.0-eksbuild.1"]));
      expect(build({ kubernetesVersion: "1.34", addons: { versions } })).not.toThrow();
    });
    it("a load balancer controller identity other than irsa or podIdentity", () => {
      expect(build({ loadBalancerController: { identity: "node" as never } })).toThrow(/loadBalancerController\.identity = "node" is not allowed; expected one of "irsa", "podIdentity"/);
    });
    it("a load balancer controller service account that is not a DNS-1123 label", () => {
      expect(build({ loadBalancerController: { serviceAccount: "ALB" } })).toThrow(/loadBalancerController\.serviceAccount = "ALB" is not allowed; expected a Kubernetes DNS-1123 label/);
    });
    it("a taint effect EKS does not know", () => {
      expect(build({ nodeGroups: [{ ...group, taints: [{ key: "dedicated", effect: "NoSchedule" as never }] }] })).toThrow(/nodeGroups\[0\]\.taints\[0\]\.effect = "NoSchedule" is not allowed; expected one of NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE/);
    });
    it("a taint key that is not a label key, and the same key and effect twice", () => {
      expect(build({ nodeGroups: [{ ...group, taints: [{ key: "bad key", effect: "NO_SCHEDULE" }] }] })).toThrow(/nodeGroups\[0\]\.taints\[0\]\.key = "bad key" is not allowed/);
      const twice = [{ key: "a", effect: "NO_SCHEDULE" as const }, { key: "a", value: "x", effect: "NO_SCHEDULE" as const }];
      expect(build({ nodeGroups: [{ ...group, taints: twice }] })).toThrow(/nodeGroups\[0\]\.taints\[1\] = "a:NO_SCHEDULE" is not allowed; expected each key and effect once/);
    });
    it("a Pod Identity role id used twice", () => {
      expect(() => synthWith((scope) => {
        const c = new EksCluster(scope, "C", base);
        c.podIdentityRole("R", { name: "r1", namespace: "a", serviceAccount: "a" });
        c.podIdentityRole("R", { name: "r2", namespace: "b", serviceAccount: "b" });
      })).toThrow(/podIdentityRole\("R"\) id = "R" is not allowed; expected an id not already used in this cluster/);
    });
  });
});
