/**
 * Who may use a database: IAM database authentication (`rds-db:connect` as one database user) or the RDS-managed
 * master secret (`SecretReference` in core: read, and decrypt with the database's key).
 */
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { Construct } from "constructs";
import { PolicyStatement } from "../core";

/** Builds `rds-db:connect` statements for one instance or cluster; looks up region and account once. */
export class IamConnect {
  private prefix?: string;

  constructor(private readonly scope: Construct, private readonly resourceId: string) {}

  /** `rds-db:connect` as `dbUser`. */
  statements(dbUser: string): PolicyStatement[] {
    if (!this.prefix) {
      const region = new DataAwsRegion(this.scope, "ConnectRegion");
      const account = new DataAwsCallerIdentity(this.scope, "ConnectAccount");
      const partition = new DataAwsPartition(this.scope, "ConnectPartition");
      this.prefix = `arn:${partition.partition}:rds-db:${region.name}:${account.accountId}:dbuser:${this.resourceId}`;
    }
    return [{ actions: ["rds-db:connect"], resources: [`${this.prefix}/${dbUser}`] }];
  }
}
