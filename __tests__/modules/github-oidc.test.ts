import { GithubDeployRole, GithubDeployRoleProps } from "../../modules/github-oidc";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { only, synthWith } from "../support/synth";
import { allowedActions, IamStatement, statementsOfPolicy } from "../support/stacks";

const account = "123456789012";
const repoArn = `arn:aws:ecr:eu-west-1:${account}:repository/dotnet-api/api`;
const base: GithubDeployRoleProps = {
  name: "dotnet-api-prod-github-deploy",
  repositories: ["acme/dotnet-api"],
  ecrRepositoryArns: [repoArn],
};
const ecs = {
  clusterArn: `arn:aws:ecs:eu-west-1:${account}:cluster/dotnet-api-prod`,
  serviceArns: [`arn:aws:ecs:eu-west-1:${account}:service/dotnet-api-prod/api`],
  passRoleArns: [`arn:aws:iam::${account}:role/dotnet-api-prod-api-execution`, `arn:aws:iam::${account}:role/dotnet-api-prod-api-task`],
};

type S = ReturnType<typeof synthWith>;
/** The one trust statement. */
const trust = (s: S): IamStatement => statementsOfPolicy(only(s, "aws_iam_role").assume_role_policy)[0];
const statements = (s: S): IamStatement[] => statementsOfPolicy(only(s, "aws_iam_role_policy").policy);

/** The statement with this Sid, as data. */
function statement(s: S, sid: string): IamStatement {
  const found = statements(s).find((st) => st.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

describe("GithubDeployRole", () => {
  describe("with defaults (ECR only)", () => {
    const s = synthWith((scope) => new GithubDeployRole(scope, "Deploy", base));

    it("G10: is assumed with a web identity from the account's GitHub OIDC provider", () => {
      expect(only(s, "aws_iam_role").name).toBe("dotnet-api-prod-github-deploy");
      expect(trust(s).Action).toEqual(["sts:AssumeRoleWithWebIdentity"]);
      expect(trust(s).Principal).toEqual({
        Federated: expect.stringMatching(/^arn:\$\{data\.aws_partition\.\w+\.partition\}:iam::\$\{data\.aws_caller_identity\.\w+\.account_id\}:oidc-provider\/token\.actions\.githubusercontent\.com$/),
      });
      expect(s.json).toHaveDataSource(DataAwsCallerIdentity);
    });

    it("G10: trusts only tokens for STS from the main branch of the listed repository", () => {
      expect(trust(s).Condition).toEqual({
        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
        StringLike: { "token.actions.githubusercontent.com:sub": ["repo:acme/dotnet-api:ref:refs/heads/main"] },
      });
    });

    it("G10: may push and pull only the listed repositories; only the login token is on *", () => {
      expect(statement(s, "EcrLogin").Resource).toEqual(["*"]);
      expect(statement(s, "EcrPushPull").Resource).toEqual([repoArn]);
      expect(statement(s, "EcrPushPull").Action).toContain("ecr:PutImage");
      expect(statements(s).flatMap((st) => st.Resource).filter((r) => r === "*")).toHaveLength(1);
    });

    it("has no deploy permissions unless asked", () => {
      expect(allowedActions(statements(s)).filter((a) => /^(ecs|eks|codedeploy):|^iam:PassRole$/.test(a))).toEqual([]);
    });
  });

  describe("with several repositories and refs, and an explicit provider", () => {
    const provider = `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`;
    const s = synthWith((scope) =>
      new GithubDeployRole(scope, "Deploy", { ...base, repositories: ["acme/api", "acme/web"], refs: ["refs/heads/main", "refs/tags/v*"], oidcProviderArn: provider }),
    );

    it("trusts every repository × ref combination", () => {
      expect(trust(s).Condition?.StringLike).toEqual({
        "token.actions.githubusercontent.com:sub": ["repo:acme/api:ref:refs/heads/main", "repo:acme/api:ref:refs/tags/v*", "repo:acme/web:ref:refs/heads/main", "repo:acme/web:ref:refs/tags/v*"],
      });
    });

    it("uses the given provider and looks up no account", () => {
      expect(trust(s).Principal).toEqual({ Federated: provider });
      expect(s.parsed.data).toBeUndefined();
    });
  });

  describe("with ECS, EKS and CodeDeploy", () => {
    const s = synthWith((scope) =>
      new GithubDeployRole(scope, "Deploy", {
        ...base,
        ecs,
        eks: { clusterArn: `arn:aws:eks:eu-west-1:${account}:cluster/chat-app-prod` },
        codeDeploy: {
          applicationArn: `arn:aws:codedeploy:eu-west-1:${account}:application:chat-app-prod`,
          deploymentGroupArn: `arn:aws:codedeploy:eu-west-1:${account}:deploymentgroup:chat-app-prod/api`,
        },
      }),
    );

    it("G10: updates only the listed services of the cluster", () => {
      const st = statement(s, "EcsUpdateServices");
      expect(st.Action).toContain("ecs:UpdateService");
      expect(st.Resource).toEqual([ecs.serviceArns[0]]);
      expect(st.Condition).toEqual({ ArnEquals: { "ecs:cluster": ecs.clusterArn } });
    });

    it("G10: passes only the listed roles, and only to ECS tasks", () => {
      const st = statement(s, "PassTaskRoles");
      expect(st.Resource).toEqual([ecs.passRoleArns[0], ecs.passRoleArns[1]]);
      expect(Object.values(st.Condition ?? {}).map((c) => c["iam:PassedToService"])).toContain("ecs-tasks.amazonaws.com");
    });

    it("registers task definitions (AWS offers no narrower resource)", () => {
      expect(statement(s, "EcsTaskDefinitions").Action).toContain("ecs:RegisterTaskDefinition");
      expect(Object.values(statement(s, "EcsTagNewTaskDefinitions").Condition ?? {}).map((c) => c["ecs:CreateAction"])).toContain("RegisterTaskDefinition");
    });

    it("G10: describes only the EKS cluster", () => {
      expect(statement(s, "EksDescribeCluster").Resource).toEqual([`arn:aws:eks:eu-west-1:${account}:cluster/chat-app-prod`]);
    });

    it("CA9: creates deployments only in the given deployment group", () => {
      expect(statement(s, "CodeDeployDeployments").Resource).toEqual([`arn:aws:codedeploy:eu-west-1:${account}:deploymentgroup:chat-app-prod/api`]);
      expect(statement(s, "CodeDeployRevisions").Action).toContain("codedeploy:RegisterApplicationRevision");
      expect(statement(s, "CodeDeployConfig").Resource).toEqual([expect.stringMatching(/:deploymentconfig:\*$/)]);
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<GithubDeployRoleProps>) => () => synthWith((scope) => new GithubDeployRole(scope, "Deploy", { ...base, ...props }));

    it("G10: no repositories", () => {
      expect(build({ repositories: [] })).toThrow(/test\/Deploy: repositories = \[\] is not allowed; expected at least one entry/);
    });
    it("G10: a wildcard repository", () => {
      expect(build({ repositories: ["acme/*"] })).toThrow(/repositories\[0\] = "acme\/\*" .* a wildcard would let other repositories deploy/);
    });
    it("G10: a bare wildcard", () => {
      expect(build({ repositories: ["acme/api", "*"] })).toThrow(/repositories\[1\] = "\*" .* wildcard/);
    });
    it("a repository without its owner", () => {
      expect(build({ repositories: ["dotnet-api"] })).toThrow(/repositories\[0\] = "dotnet-api" .* "owner\/name"/);
    });
    it("a repository given as a URL", () => {
      expect(build({ repositories: ["https://github.com/acme/api"] })).toThrow(/repositories\[0\] = "https:\/\/github\.com\/acme\/api" .* "owner\/name"/);
    });
    it("a ref that is not a full ref", () => {
      expect(build({ refs: ["main"] })).toThrow(/refs\[0\] = "main" .* starting with "refs\/"/);
    });
    it("an empty list of refs", () => {
      expect(build({ refs: [] })).toThrow(/refs = \[\] .* at least one entry/);
    });
    it("no ECR repositories", () => {
      expect(build({ ecrRepositoryArns: [] })).toThrow(/ecrRepositoryArns = \[\] .* at least one entry/);
    });
    it("an ECR repository given by name", () => {
      expect(build({ ecrRepositoryArns: ["dotnet-api/api"] })).toThrow(/ecrRepositoryArns\[0\] = "dotnet-api\/api" .* ARN of the ecr service/);
    });
    it("a role name over 64 characters", () => {
      expect(build({ name: "x".repeat(65) })).toThrow(/name = "x{65}" .* at most 64 characters \(got 65\)/);
    });
    it("an OIDC provider other than GitHub's", () => {
      expect(build({ oidcProviderArn: `arn:aws:iam::${account}:oidc-provider/gitlab.com` })).toThrow(/oidcProviderArn = ".*gitlab\.com" .* token\.actions\.githubusercontent\.com OIDC provider/);
    });
    it("passing any role to ECS", () => {
      expect(build({ ecs: { ...ecs, passRoleArns: [`arn:aws:iam::${account}:role/*`] } })).toThrow(/ecs\.passRoleArns\[0\] = ".*role\/\*" .* a wildcard would let CI hand any role/);
    });
    it("an ECS deploy with no services", () => {
      expect(build({ ecs: { ...ecs, serviceArns: [] } })).toThrow(/ecs\.serviceArns = \[\] .* at least one entry/);
    });
    it("an EKS cluster given by name", () => {
      expect(build({ eks: { clusterArn: "chat-app-prod" } })).toThrow(/eks\.clusterArn = "chat-app-prod" .* ARN of the eks service/);
    });
  });
});
