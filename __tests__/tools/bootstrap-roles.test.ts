/** bootstrap: the Terraform deployer and planner roles GitHub Actions of this repository assume through OIDC (G10). */
import { bootstrap } from "../../environments";
import { deployerSubjects } from "../../modules/github-oidc/terraform-roles";
import { resources } from "../support/synth";
import { synthSystem } from "../support/stacks";

const s = synthSystem("bootstrap", "dev");
const roles = Object.values(resources(s, "aws_iam_role")) as any[];
const role = (suffix: string) => roles.find((r) => String(r.name).endsWith(suffix));
// The Terraform roles' inline policies (the audit trail's CloudWatch Logs role, issue 10 item 3, has its own).
const policies = (Object.values(resources(s, "aws_iam_role_policy")) as any[]).filter((p) => /TerraformDeployer|TerraformPlanner/.test(String(p.role)));
const attachments = Object.values(resources(s, "aws_iam_role_policy_attachment")) as any[];

describe("bootstrap pipeline roles", () => {
  it("G10: the deployer is trusted only for this repository's GitHub environments, audience sts.amazonaws.com", () => {
    const deployer = role("-terraform-deployer");
    expect(deployer).toBeDefined();
    expect(deployerSubjects(bootstrap.pipeline.repository, bootstrap.pipeline.environments)).toEqual(
      bootstrap.pipeline.environments.map((e) => `repo:${bootstrap.pipeline.repository}:environment:${e}`),
    );
    const text = String(deployer.assume_role_policy);
    for (const e of bootstrap.pipeline.environments) expect(text.includes(`repo:${bootstrap.pipeline.repository}:environment:${e}`), e).toBe(true);
    expect(text.includes(":pull_request")).toBe(false);
    expect(text.includes("sts:AssumeRoleWithWebIdentity")).toBe(true);
    expect(text.includes("aws_iam_openid_connect_provider.GithubOidc")).toBe(true);
  });

  it("G10: the planner is trusted for pull requests of this repository and reads with ReadOnlyAccess", () => {
    const planner = role("-terraform-planner");
    expect(String(planner.assume_role_policy).includes(`repo:${bootstrap.pipeline.repository}:pull_request`)).toBe(true);
    expect(attachments.map((a) => String(a.policy_arn).split("/").pop()).sort()).toEqual(["PowerUserAccess", "ReadOnlyAccess"]);
  });

  it("G2: both roles reach the state bucket, lock table and state key; only the deployer writes state", () => {
    expect(policies).toHaveLength(2);
    const byRole = Object.fromEntries(policies.map((p) => [String(p.role).match(/TerraformDeployer|TerraformPlanner/)?.[0], String(p.policy)]));
    for (const text of Object.values(byRole) as string[]) {
      expect(text.includes("aws_dynamodb_table.LockTable.arn")).toBe(true);
      expect(text.includes("s3:GetObject")).toBe(true);
      expect(text.includes("kms:Decrypt")).toBe(true);
    }
    expect(byRole.TerraformDeployer.includes('"Sid" = "StateWrite"')).toBe(true);
    expect(byRole.TerraformPlanner.includes("/*.tflock")).toBe(true);
    expect(byRole.TerraformPlanner.includes("StateWrite")).toBe(false);
  });

  it("the deployer may not change its own trust or delete the state bucket and lock table", () => {
    const deployer = policies.find((p) => String(p.role).includes("TerraformDeployer"));
    const text = String(deployer.policy);
    for (const sid of ["KeepPipelineTrust", "KeepStateBucket", "KeepLockTable", "KeepStateKey"]) expect(text.includes(`"Sid" = "${sid}", "Effect" = "Deny"`), sid).toBe(true);
  });

  it("outputs the role ARNs the workflows read", () => {
    expect(Object.keys(s.parsed.output ?? {})).toEqual(expect.arrayContaining(["deployer_role_arn", "planner_role_arn"]));
  });
});
