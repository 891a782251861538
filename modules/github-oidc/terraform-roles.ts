/**
 * The two Terraform roles of one account that GitHub Actions of this repository assume through OIDC
 * (.github/workflows; README "Pipeline"):
 *
 * - deployer: `terraform apply` from the main-branch workflow. Trusted only for jobs that run in one of this
 *   repository's GitHub environments (token subject `repo:<owner/name>:environment:<env>`), so an environment's
 *   protection rules (prod: required reviewers) gate every use. PowerUserAccess plus IAM inside this account (the
 *   stacks create roles), the state bucket, lock table and key; it may not change its own trust or the bootstrap's
 *   state resources.
 * - planner: `terraform plan` on pull requests (subject `repo:<owner/name>:pull_request`). ReadOnlyAccess, plus the
 *   state: read it, and write only lock entries (DynamoDB items, `*.tflock` objects).
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { createRole, fail, PolicyStatement, Role } from "../core";
import { GITHUB_OIDC_HOST } from "./index";

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ENVIRONMENT = /^[A-Za-z0-9_.-]{1,255}$/;

export interface TerraformRolesProps {
  readonly project: string;
  readonly pipeline: { readonly repository: string; readonly environments: readonly string[] };
  /** The account's GitHub OIDC provider; built from the account id when the bootstrap does not create it. */
  readonly oidcProviderArn?: string;
  readonly stateBucketArn: string;
  readonly lockTableArn: string;
  readonly stateKeyArn: string;
}

/** Token subjects the deployer trusts: one per GitHub environment of the repository. */
export function deployerSubjects(repository: string, environments: readonly string[]): string[] {
  return environments.map((e) => `repo:${repository}:environment:${e}`);
}

/** Trust policy for GitHub Actions OIDC tokens with audience sts.amazonaws.com and one of the subjects. */
export function githubTrustPolicy(providerArn: string, subjects: readonly string[]): string {
  return Fn.jsonencode({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com", [`${GITHUB_OIDC_HOST}:sub`]: [...subjects] },
        },
      },
    ],
  });
}

export function terraformRoles(scope: Construct, props: TerraformRolesProps): { deployer: Role; planner: Role } {
  const { repository, environments } = props.pipeline;
  if (!REPOSITORY.test(repository)) fail(scope, "pipeline.repository", repository, "expected a GitHub repository as owner/name");
  if (environments.length === 0) fail(scope, "pipeline.environments", environments, "expected at least one GitHub environment name");
  environments.forEach((e, i) => {
    if (!ENVIRONMENT.test(e)) fail(scope, `pipeline.environments[${i}]`, e, "expected a GitHub environment name: letters, digits, '.', '_' and '-'");
  });
  const account = new DataAwsCallerIdentity(scope, "PipelineAccount", {});
  const partition = new DataAwsPartition(scope, "PipelinePartition", {});
  const iamArn = (resource: string) => `arn:${partition.partition}:iam::${account.accountId}:${resource}`;
  const providerArn = props.oidcProviderArn ?? iamArn(`oidc-provider/${GITHUB_OIDC_HOST}`);
  const deployerName = `${props.project}-terraform-deployer`;
  const plannerName = `${props.project}-terraform-planner`;

  const stateRead: PolicyStatement[] = [
    { sid: "StateList", actions: ["s3:ListBucket", "s3:GetBucketVersioning"], resources: [props.stateBucketArn] },
    { sid: "StateRead", actions: ["s3:GetObject"], resources: [`${props.stateBucketArn}/*`] },
    { sid: "StateKey", actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], resources: [props.stateKeyArn] },
    { sid: "LockTable", actions: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], resources: [props.lockTableArn] },
  ];

  const deployer = createRole(scope, "TerraformDeployer", {
    name: deployerName,
    description: `terraform apply from GitHub Actions of ${repository} (environments ${environments.join(", ")})`,
    assumeRolePolicy: githubTrustPolicy(providerArn, deployerSubjects(repository, environments)),
    managedPolicyArns: [`arn:${partition.partition}:iam::aws:policy/PowerUserAccess`],
    statements: [
      ...stateRead,
      { sid: "StateWrite", actions: ["s3:PutObject", "s3:DeleteObject"], resources: [`${props.stateBucketArn}/*`] },
      {
        sid: "IamInAccount",
        actions: ["iam:*"],
        resources: ["role/*", "policy/*", "instance-profile/*", "oidc-provider/*", "server-certificate/*"].map(iamArn),
      },
      {
        sid: "KeepPipelineTrust",
        effect: "Deny",
        actions: ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRole", "iam:UpdateOpenIDConnectProviderThumbprint", "iam:DeleteOpenIDConnectProvider"],
        resources: [iamArn(`role/${deployerName}`), iamArn(`role/${plannerName}`), providerArn],
      },
      { sid: "KeepStateBucket", effect: "Deny", actions: ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketVersioning"], resources: [props.stateBucketArn] },
      { sid: "KeepLockTable", effect: "Deny", actions: ["dynamodb:DeleteTable", "dynamodb:UpdateTable"], resources: [props.lockTableArn] },
      { sid: "KeepStateKey", effect: "Deny", actions: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"], resources: [props.stateKeyArn] },
    ],
  });

  const planner = createRole(scope, "TerraformPlanner", {
    name: plannerName,
    description: `terraform plan on pull requests of ${repository}`,
    assumeRolePolicy: githubTrustPolicy(providerArn, [`repo:${repository}:pull_request`]),
    managedPolicyArns: [`arn:${partition.partition}:iam::aws:policy/ReadOnlyAccess`],
    statements: [...stateRead, { sid: "LockFile", actions: ["s3:PutObject", "s3:DeleteObject"], resources: [`${props.stateBucketArn}/*.tflock`] }],
  });
  return { deployer, planner };
}
