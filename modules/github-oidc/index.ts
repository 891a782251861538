/**
 * The CI/CD role GitHub Actions assumes through OIDC (G10, DA6): push to the system's ECR repositories and deploy
 * (ECS service update, EKS describe for kubectl, CodeDeploy blue/green), trusted only for the listed
 * repositories and refs.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { arn, createRole, fail, IGrantee, isToken, matches, NAME_LIMITS, nonEmpty, PolicyStatement, Role } from "../core";
import { codeDeployStatements, EcsDeploy, ecrStatements, ecsStatements, eksStatements } from "./statements";

/** The issuer of GitHub Actions OIDC tokens, as IAM names it in condition keys and provider ARNs. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

export interface GithubDeployRoleProps {
  /** IAM role name, e.g. "alerting-platform-prod-github-deploy" (at most 64 characters). */
  readonly name: string;
  /** GitHub repositories ("owner/name") whose workflows may assume the role. */
  readonly repositories: readonly string[];
  /** Git refs allowed to assume the role (IAM StringLike patterns). @default ["refs/heads/main"] */
  readonly refs?: readonly string[];
  /** ARN of the account's IAM OIDC provider for token.actions.githubusercontent.com. @default arn:<partition>:iam::<current account>:oidc-provider/token.actions.githubusercontent.com */
  readonly oidcProviderArn?: string;
  /** Repositories the role may push to and pull from. */
  readonly ecrRepositoryArns: readonly string[];
  /** ECS deploy: update these services, register task definitions, pass only these roles to ECS tasks. @default none */
  readonly ecs?: EcsDeploy;
  /** EKS deploy: describe this cluster (kubectl/helm access comes from an EKS access entry). @default none */
  readonly eks?: { readonly clusterArn: string };
  /** CodeDeploy blue/green: create deployments in this deployment group. @default none */
  readonly codeDeploy?: {
    readonly applicationArn: string;
    readonly deploymentGroupArn: string;
    /** @default any deployment config of the account and region (read-only GetDeploymentConfig) */
    readonly deploymentConfigArn?: string;
  };
}

const ROLE_NAME = /^[\w+=,.@-]+$/;
/** GitHub owner (user or organisation, 1-39 characters) and repository name. */
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** The deploy role is a grantee: a stack may grant it more (e.g. `bucket.grantPut(deployRole)`). */
export class GithubDeployRole extends Construct implements IGrantee {
  readonly roleArn: string;
  readonly roleName: string;
  readonly resource: IamRole;
  private account?: { readonly id: string; readonly partition: string };
  private readonly role: Role;

  constructor(scope: Construct, id: string, props: GithubDeployRoleProps) {
    super(scope, id);
    const name = matches(this, "name", props.name, ROLE_NAME, "letters, digits and +=,.@_- only");
    if (name.length > NAME_LIMITS.iamRoleName) fail(this, "name", name, `expected at most ${NAME_LIMITS.iamRoleName} characters (got ${name.length})`);
    const repositories = this.checkRepositories(props.repositories);
    const refs = this.checkRefs(props.refs ?? ["refs/heads/main"]);
    if (props.oidcProviderArn !== undefined) {
      arn(this, "oidcProviderArn", props.oidcProviderArn, "iam");
      if (!isToken(props.oidcProviderArn) && !props.oidcProviderArn.endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`)) {
        fail(this, "oidcProviderArn", props.oidcProviderArn, `expected the ARN of the ${GITHUB_OIDC_HOST} OIDC provider (arn:aws:iam::<account>:oidc-provider/${GITHUB_OIDC_HOST})`);
      }
    }
    nonEmpty(this, "ecrRepositoryArns", props.ecrRepositoryArns);
    props.ecrRepositoryArns.forEach((a, i) => arn(this, `ecrRepositoryArns[${i}]`, a, "ecr"));
    if (props.ecs) this.checkEcs(props.ecs);
    if (props.eks) arn(this, "eks.clusterArn", props.eks.clusterArn, "eks");
    if (props.codeDeploy) {
      arn(this, "codeDeploy.applicationArn", props.codeDeploy.applicationArn, "codedeploy");
      arn(this, "codeDeploy.deploymentGroupArn", props.codeDeploy.deploymentGroupArn, "codedeploy");
      if (props.codeDeploy.deploymentConfigArn !== undefined) arn(this, "codeDeploy.deploymentConfigArn", props.codeDeploy.deploymentConfigArn, "codedeploy");
    }

    const providerArn = props.oidcProviderArn ?? `arn:${this.currentAccount().partition}:iam::${this.currentAccount().id}:oidc-provider/${GITHUB_OIDC_HOST}`;
    const subjects = repositories.flatMap((repo) => refs.map((ref) => `repo:${repo}:ref:${ref}`));
    const statements: PolicyStatement[] = [...ecrStatements(props.ecrRepositoryArns)];
    if (props.ecs) statements.push(...ecsStatements(props.ecs));
    if (props.eks) statements.push(...eksStatements(props.eks.clusterArn));
    if (props.codeDeploy) {
      statements.push(...codeDeployStatements({
        applicationArn: props.codeDeploy.applicationArn,
        deploymentGroupArn: props.codeDeploy.deploymentGroupArn,
        deploymentConfigArn: props.codeDeploy.deploymentConfigArn ?? this.anyDeploymentConfigArn(),
      }));
    }

    const role = createRole(this, "Role", {
      name,
      description: `GitHub Actions deploys from ${repositories.join(", ")}`.slice(0, 1000),
      assumeRolePolicy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "GitHubActionsOidc",
            Effect: "Allow",
            Principal: { Federated: providerArn },
            Action: ["sts:AssumeRoleWithWebIdentity"],
            Condition: {
              StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com" },
              StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: subjects },
            },
          },
        ],
      }),
      statements,
    });
    this.resource = role.role;
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.role = role;
  }

  addToPolicy(...statements: readonly PolicyStatement[]): void {
    this.role.addToPolicy(...statements);
  }

  private checkRepositories(repositories: readonly string[]): string[] {
    nonEmpty(this, "repositories", repositories);
    repositories.forEach((repo, i) => {
      if (typeof repo === "string" && repo.includes("*")) {
        fail(this, `repositories[${i}]`, repo, "expected an exact \"owner/name\"; a wildcard would let other repositories deploy");
      }
      matches(this, `repositories[${i}]`, repo, REPOSITORY, "\"owner/name\", e.g. \"acme/alerting-platform\"");
    });
    return [...new Set(repositories)];
  }

  private checkRefs(refs: readonly string[]): string[] {
    nonEmpty(this, "refs", refs);
    refs.forEach((ref, i) => matches(this, `refs[${i}]`, ref, /^refs\/\S+$/, "a full Git ref starting with \"refs/\", e.g. \"refs/heads/main\" or \"refs/tags/v*\""));
    return [...new Set(refs)];
  }

  private checkEcs(ecs: EcsDeploy): void {
    arn(this, "ecs.clusterArn", ecs.clusterArn, "ecs");
    nonEmpty(this, "ecs.serviceArns", ecs.serviceArns);
    ecs.serviceArns.forEach((a, i) => arn(this, `ecs.serviceArns[${i}]`, a, "ecs"));
    nonEmpty(this, "ecs.passRoleArns", ecs.passRoleArns);
    ecs.passRoleArns.forEach((a, i) => {
      arn(this, `ecs.passRoleArns[${i}]`, a, "iam");
      if (a.includes("*")) fail(this, `ecs.passRoleArns[${i}]`, a, "expected the exact ARNs of the task and execution roles; a wildcard would let CI hand any role to a task");
    });
  }

  /** Account id and partition of the deploying credentials, looked up once. */
  private currentAccount(): { readonly id: string; readonly partition: string } {
    if (!this.account) {
      const identity = new DataAwsCallerIdentity(this, "Account");
      const partition = new DataAwsPartition(this, "Partition");
      this.account = { id: identity.accountId, partition: partition.partition };
    }
    return this.account;
  }

  private anyDeploymentConfigArn(): string {
    const region = new DataAwsRegion(this, "Region");
    const { id, partition } = this.currentAccount();
    return `arn:${partition}:codedeploy:${region.name}:${id}:deploymentconfig:*`;
  }
}
