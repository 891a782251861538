/**
 * ElastiCache RBAC for IAM authentication: a user group holding a switched-off replacement of the built-in
 * "default" user (ElastiCache requires a user named "default" in every group) and one application user that logs in
 * with an IAM auth token. No password exists anywhere (G7).
 */
import { Construct } from "constructs";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { fitName } from "../core";

export interface IamAuthUsersProps {
  /** The replication group id (lowercase, at most 40 characters); user and group ids derive from it. */
  readonly replicationGroupId: string;
  /** The replication group's engine; users and group use the same. @default "redis" */
  readonly engine?: "redis" | "valkey";
}

export class IamAuthUsers extends Construct {
  /** User id and user name of the application user (IAM authentication requires them equal). */
  readonly appUserName: string;
  readonly appUserArn: string;
  readonly userGroupId: string;

  constructor(scope: Construct, id: string, props: IamAuthUsersProps) {
    super(scope, id);
    const groupId = props.replicationGroupId;
    const engine = props.engine ?? "redis";
    // User and user group ids share the replication group's limit: lowercase, letter first, at most 40 characters.
    const defaultUser = new ElasticacheUser(this, "DefaultUser", {
      userId: fitName(scope, "name", groupId, "default", "elasticacheReplicationGroupId"),
      userName: "default",
      engine,
      // Switched off: a connection that does not log in as the app user can run no command.
      accessString: "off ~* -@all",
      // Not authentication_mode { type = "no-password-required" }: ElastiCache reports that type back as
      // "no-password", which the provider would show as a change on every plan.
      noPasswordRequired: true,
    });
    const appUserName = fitName(scope, "name", groupId, "app", "elasticacheReplicationGroupId");
    const appUser = new ElasticacheUser(this, "AppUser", {
      userId: appUserName,
      userName: appUserName,
      engine,
      accessString: "on ~* +@all",
      authenticationMode: { type: "iam" },
    });
    const group = new ElasticacheUserGroup(this, "UserGroup", {
      userGroupId: groupId,
      engine,
      userIds: [defaultUser.userId, appUser.userId],
    });
    this.appUserName = appUserName;
    this.appUserArn = appUser.arn;
    this.userGroupId = group.userGroupId;
  }
}
