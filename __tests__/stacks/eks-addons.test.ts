/** Issue 8 item 1 in the stacks: every EKS stack runs the five managed add-ons and has a load balancer controller role. */
import { App } from "cdktf";
import { ADDON_NAMES, ADDON_VERSIONS } from "../../modules/eks";
import { UploadPipelineStack } from "../../stacks/upload-pipeline";
import { EnvironmentName, environments } from "../../environments";
import { resources } from "../support/synth";
import type { Synthesized } from "../support/synth";
import { decodeJsonencode, synthCustom, synthSystem, withSettings } from "../support/stacks";

const all = (s: Synthesized, type: string): any[] => Object.values(resources(s, type));
const ENVS: EnvironmentName[] = ["dev", "staging", "prod"];
const eksStacks: [string, EnvironmentName][] = [
  ...ENVS.map((e): [string, EnvironmentName] => ["upload-pipeline", e]),
  ...ENVS.filter((e) => environments[e].systems.chatApp.compute === "eks").map((e): [string, EnvironmentName] => ["chat-app", e]),
];

describe.each(eksStacks)("%s-%s (EKS)", (system, env) => {
  const s = (): Synthesized => synthSystem(system, env);
  const version = (): string => all(s(), "aws_eks_cluster")[0].version;

  it("runs the five managed add-ons at the versions pinned for its Kubernetes version", () => {
    const addons = Object.fromEntries(all(s(), "aws_eks_addon").map((a) => [a.addon_name, a.addon_version]));
    expect(addons).toEqual(Object.fromEntries(ADDON_NAMES.map((n) => [n, ADDON_VERSIONS[version()][n]])));
  });

  it("has a load balancer controller role that may create load balancers only with the controller's tag, and outputs it", () => {
    const role = Object.entries(resources(s(), "aws_iam_role")).find(([, r]) => String(r.name).endsWith("-lb-controller"));
    expect(role).toBeDefined();
    const statements = all(s(), "aws_iam_role_policy")
      .filter((p) => String(p.role).includes(`aws_iam_role.${role![0]}.`))
      .flatMap((p) => decodeJsonencode(p.policy).Statement);
    const create = statements.find((st) => st.Sid === "CreateTaggedBalancers");
    expect(create.Condition).toEqual({ Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } });
    expect(s().parsed.output?.load_balancer_controller_role_arn.value).toBe(`\${aws_iam_role.${role![0]}.arn}`);
  });

  it(system === "upload-pipeline" ? "binds the controller through EKS Pod Identity" : "binds the controller through IRSA", () => {
    const associations = all(s(), "aws_eks_pod_identity_association").map((a) => `${a.namespace}/${a.service_account}`);
    expect(associations).toEqual(system === "upload-pipeline" ? ["kube-system/aws-load-balancer-controller"] : []);
  });
});

describe("EKS add-on settings", () => {
  it("systems.uploadPipeline.eks.addonVersions replaces one pinned version", () => {
    const s = synthCustom((app: App) => new UploadPipelineStack(app, { environment: withSettings("dev", { systems: { uploadPipeline: { eks: { addonVersions: { coredns: "v1.12.2-eksbuild.4" } } } } }) }));
    const coredns = all(s, "aws_eks_addon").find((a) => a.addon_name === "coredns");
    expect(coredns.addon_version).toBe("v1.12.2-eksbuild.4");
  });

  it("refuses a malformed add-on version from the environment with one ConfigError line", () => {
    const build = () => synthCustom((app: App) => new UploadPipelineStack(app, { environment: withSettings("dev", { systems: { uploadPipeline: { eks: { addonVersions: { "kube-proxy": "latest" } } } } }) }));
    expect(build).toThrow(/^upload-pipeline-dev\/Cluster: addons\.versions\.kube-proxy = "latest" is not allowed; expected an EKS add-on version/);
  });
});
