/**
 * RDS Proxy in front of a Database (issue 8.5): pooled connections for bursty clients (Lambda, many small tasks),
 * TLS required, IAM authentication of clients, the database's managed master secret as the proxy's credentials.
 * Clients reach the proxy once a stack calls `allowFrom(proxy, workload, 5432)`; the proxy reaches the database.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { DbProxy } from "@cdktf/provider-aws/lib/db-proxy";
import { DbProxyDefaultTargetGroup } from "@cdktf/provider-aws/lib/db-proxy-default-target-group";
import { DbProxyTarget } from "@cdktf/provider-aws/lib/db-proxy-target";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import {
  allowFrom, createRole, createSecurityGroup, dataSubnetIds, endpoint, Endpoint, fitName, grant, IConnectable, IGrantee, INetwork, inRange, keyStatements, matches, PolicyStatement, serviceTrustPolicy,
} from "../core";
import type { Database } from "./index";
import { PORT } from "./common";

export interface DatabaseProxyProps {
  /** The database behind the proxy (an instance or an Aurora cluster). */
  readonly database: Database;
  /** The network the database is in; the proxy goes in the same (database) subnets. */
  readonly network: INetwork;
  /** Customer KMS key of the database's managed secret, so the proxy can decrypt it. @default none (AWS-managed key) */
  readonly kmsKeyArn?: string;
  /** Share of the database's max_connections the proxy may open, 1-100. @default 90 */
  readonly maxConnectionsPercent?: number;
  /** Seconds an idle client connection is kept, 1-28800. @default 1800 */
  readonly idleClientTimeoutSeconds?: number;
}

export class DatabaseProxy extends Construct implements IConnectable {
  readonly securityGroupId: string;
  readonly port: number = PORT;
  /** Where clients connect instead of the database. */
  readonly endpoint: Endpoint;
  readonly proxyArn: string;
  readonly resource: DbProxy;

  constructor(scope: Construct, id: string, props: DatabaseProxyProps) {
    super(scope, id);
    const db = props.database;
    const maxPercent = inRange(this, "maxConnectionsPercent", props.maxConnectionsPercent ?? 90, 1, 100);
    const idle = inRange(this, "idleClientTimeoutSeconds", props.idleClientTimeoutSeconds ?? 1800, 1, 28800);
    const name = fitName(this, "database", db.identifier, "proxy", "rdsIdentifier");

    const sg = createSecurityGroup(this, "SecurityGroup", {
      name: fitName(this, "database", db.identifier, "proxy", "securityGroupName"),
      description: `RDS Proxy ${name}: clients allowed with allowFrom on ${PORT}, out to the VPC (the database)`,
      vpcId: props.network.vpcId,
      egress: "vpc",
      vpcCidr: props.network.vpcCidr,
    });
    this.securityGroupId = sg.id;
    allowFrom(db, this, PORT, `RDS Proxy ${name}`);

    const role = createRole(this, "Role", {
      name: fitName(this, "database", db.identifier, "proxy", "iamRoleName"),
      description: `RDS Proxy ${name} reads the database's managed master secret`,
      assumeRolePolicy: serviceTrustPolicy("rds.amazonaws.com"),
    });
    role.addToPolicy(
      { sid: "ReadMasterSecret", actions: ["secretsmanager:GetSecretValue"], resources: [db.secretArn] },
      ...keyStatements(props.kmsKeyArn, "decrypt", "DecryptMasterSecret"),
    );

    this.resource = new DbProxy(this, "Proxy", {
      name,
      engineFamily: "POSTGRESQL",
      roleArn: role.arn,
      vpcSubnetIds: dataSubnetIds(props.network),
      vpcSecurityGroupIds: [sg.id],
      requireTls: true,
      idleClientTimeout: idle,
      auth: [{ authScheme: "SECRETS", secretArn: db.secretArn, iamAuth: "REQUIRED", description: "the database's managed master secret" }],
    });
    this.proxyArn = this.resource.arn;
    this.endpoint = endpoint(this.resource.endpoint, PORT);

    const targetGroup = new DbProxyDefaultTargetGroup(this, "TargetGroup", {
      dbProxyName: this.resource.name,
      connectionPoolConfig: { maxConnectionsPercent: maxPercent, maxIdleConnectionsPercent: Math.min(50, maxPercent) },
    });
    new DbProxyTarget(this, "Target", {
      dbProxyName: this.resource.name,
      targetGroupName: targetGroup.name,
      ...(db.resource instanceof DbInstance ? { dbInstanceIdentifier: db.resource.identifier } : { dbClusterIdentifier: db.resource.clusterIdentifier }),
    });
  }

  /** Connect through the proxy as `dbUser` with IAM (rds-db:connect on the proxy). */
  grantConnect(grantee: IGrantee, dbUser: string): PolicyStatement[] {
    matches(this, "grantConnect(dbUser)", dbUser, /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, "a database user name: a letter followed by up to 62 letters, digits or underscores");
    return grant(grantee, [{ sid: "ConnectThroughProxy", actions: ["rds-db:connect"], resources: [`${Fn.replace(Fn.replace(this.proxyArn, ":rds:", ":rds-db:"), ":db-proxy:", ":dbuser:")}/${dbUser}`] }]);
  }
}
