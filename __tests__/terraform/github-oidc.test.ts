import { GithubDeployRole } from "../../modules/github-oidc";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const account = "123456789012";

describe("GithubDeployRole under terraform validate", () => {
  it("G10: validates with ECS, EKS and CodeDeploy permissions and the looked-up provider", async () => {
    const r = await validateConstructs((stack) => {
      new GithubDeployRole(stack, "Deploy", {
        name: "chat-app-prod-github-deploy",
        repositories: ["acme/chat-app", "acme/chat-web"],
        refs: ["refs/heads/main", "refs/tags/v*"],
        ecrRepositoryArns: [`arn:aws:ecr:eu-west-1:${account}:repository/chat-app/api-gateway`],
        ecs: {
          clusterArn: `arn:aws:ecs:eu-west-1:${account}:cluster/chat-app-prod`,
          serviceArns: [`arn:aws:ecs:eu-west-1:${account}:service/chat-app-prod/api-gateway`],
          passRoleArns: [`arn:aws:iam::${account}:role/chat-app-prod-api-gateway-task`],
        },
        eks: { clusterArn: `arn:aws:eks:eu-west-1:${account}:cluster/chat-app-prod` },
        codeDeploy: {
          applicationArn: `arn:aws:codedeploy:eu-west-1:${account}:application:chat-app-prod`,
          deploymentGroupArn: `arn:aws:codedeploy:eu-west-1:${account}:deploymentgroup:chat-app-prod/api-gateway`,
        },
      });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
