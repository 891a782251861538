import { Database, DatabaseProxy, DatabaseProxyProps } from "../../modules/rds";
import { INetwork } from "../../modules/core";
import { grantee, only, resources, synthWith } from "../support/synth";
import { twoAzNetwork, withDatabaseTier } from "../support/networks";

const network: INetwork = withDatabaseTier(twoAzNetwork);
const KMS = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666";

function build(props: Partial<DatabaseProxyProps> = {}, aurora = false) {
  let proxy!: DatabaseProxy;
  const s = synthWith((scope) => {
    const database = new Database(scope, "Db", { name: "sys-dev-db", network, kmsKeyArn: KMS, ...(aurora ? { engine: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 2 } } : {}) });
    proxy = new DatabaseProxy(scope, "Proxy", { database, network, kmsKeyArn: KMS, ...props });
  });
  return { s, proxy };
}

describe("DatabaseProxy (issue 8.5)", () => {
  const { s, proxy } = build();

  it("issue 8.5: an RDS Proxy in the database subnets, TLS required, IAM client auth, the managed secret as credentials", () => {
    const p = only(s, "aws_db_proxy");
    expect(p).toMatchObject({ name: "sys-dev-db-proxy", engine_family: "POSTGRESQL", require_tls: true, vpc_subnet_ids: ["subnet-db-a", "subnet-db-b"], idle_client_timeout: 1800 });
    expect(p.auth).toEqual([expect.objectContaining({ auth_scheme: "SECRETS", iam_auth: "REQUIRED" })]);
    expect(p.auth[0].secret_arn).toMatch(/aws_db_instance\.Db_Instance_[A-Z0-9]+\.master_user_secret\[0\]\.secret_arn/);
    expect(only(s, "aws_db_proxy_default_target_group").connection_pool_config).toEqual({ max_connections_percent: 90, max_idle_connections_percent: 50 });
    expect(only(s, "aws_db_proxy_target").db_instance_identifier).toMatch(/aws_db_instance\.Db_Instance_[A-Z0-9]+\.identifier/);
  });

  it("issue 8.5: the database admits the proxy's security group on 5432", () => {
    const rules = Object.values(resources(s, "aws_vpc_security_group_ingress_rule"));
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ from_port: 5432, to_port: 5432 });
    expect(rules[0].referenced_security_group_id).toMatch(/Proxy_SecurityGroup/);
    expect(rules[0].security_group_id).toMatch(/Db_SecurityGroup/);
  });

  it("issue 8.5: targets the Aurora cluster when the database is Aurora", () => {
    expect(only(build({}, true).s, "aws_db_proxy_target").db_cluster_identifier).toMatch(/aws_rds_cluster\./);
  });

  it("issue 8.5: grantConnect gives rds-db:connect on the proxy's db user", () => {
    const g = grantee();
    const [statement] = proxy.grantConnect(g, "app_user");
    expect(statement.actions).toEqual(["rds-db:connect"]);
    expect(statement.resources[0]).toMatch(/\/app_user$/);
  });

  it("refuses a pool share outside 1-100 and an idle timeout above 8 hours", () => {
    expect(() => build({ maxConnectionsPercent: 0 })).toThrow(/^test\/Proxy: maxConnectionsPercent = 0 is not allowed; expected a whole number from 1 to 100$/);
    expect(() => build({ idleClientTimeoutSeconds: 28801 })).toThrow(/^test\/Proxy: idleClientTimeoutSeconds = 28801 is not allowed; expected a whole number from 1 to 28800$/);
  });
});
