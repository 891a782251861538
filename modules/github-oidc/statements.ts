/** The deploy role's permissions, one function per capability, each scoped to the resources it is given. */
import { PolicyStatement } from "../core";

export function ecrStatements(repositoryArns: readonly string[]): PolicyStatement[] {
  return [
    // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
    { sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
    {
      sid: "EcrPushPull",
      actions: [
        "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
        "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
        "ecr:DescribeImages", "ecr:DescribeRepositories",
      ],
      resources: [...repositoryArns],
    },
  ];
}

export interface EcsDeploy {
  readonly clusterArn: string;
  readonly serviceArns: readonly string[];
  readonly passRoleArns: readonly string[];
}

export function ecsStatements(ecs: EcsDeploy): PolicyStatement[] {
  return [
    {
      sid: "EcsUpdateServices",
      actions: ["ecs:UpdateService", "ecs:DescribeServices"],
      resources: [...ecs.serviceArns],
      conditions: { ArnEquals: { "ecs:cluster": ecs.clusterArn } },
    },
    // Registering and describing task definitions has no resource-level permissions: AWS requires "*".
    { sid: "EcsTaskDefinitions", actions: ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"], resources: ["*"] },
    {
      sid: "EcsTagNewTaskDefinitions",
      actions: ["ecs:TagResource"],
      resources: ["*"],
      conditions: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
    },
    {
      sid: "PassTaskRoles",
      actions: ["iam:PassRole"],
      resources: [...ecs.passRoleArns],
      conditions: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    },
  ];
}

export function eksStatements(clusterArn: string): PolicyStatement[] {
  return [{ sid: "EksDescribeCluster", actions: ["eks:DescribeCluster"], resources: [clusterArn] }];
}

export interface CodeDeployDeploy {
  readonly applicationArn: string;
  readonly deploymentGroupArn: string;
  readonly deploymentConfigArn: string;
}

export function codeDeployStatements(cd: CodeDeployDeploy): PolicyStatement[] {
  return [
    {
      sid: "CodeDeployDeployments",
      actions: ["codedeploy:CreateDeployment", "codedeploy:GetDeployment", "codedeploy:GetDeploymentGroup"],
      resources: [cd.deploymentGroupArn],
    },
    {
      sid: "CodeDeployRevisions",
      actions: ["codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"],
      resources: [cd.applicationArn],
    },
    { sid: "CodeDeployConfig", actions: ["codedeploy:GetDeploymentConfig"], resources: [cd.deploymentConfigArn] },
  ];
}
