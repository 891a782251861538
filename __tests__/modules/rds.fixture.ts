/** Shared preamble of the Database tests (rds.test.ts, rds-aurora.test.ts, rds-refuses.test.ts): a network, a key and a build helper. */
import { Database, DatabaseProps } from "../../modules/rds";
import { INetwork } from "../../modules/core";
import { synthWith } from "../support/synth";
import { twoAzNetwork } from "../support/networks";

export const network: INetwork = twoAzNetwork;
export const KMS = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666";

export function build(props: Partial<DatabaseProps> = {}) {
  let db!: Database;
  const s = synthWith((scope) => {
    db = new Database(scope, "Db", { name: "alerting-platform-dev-db", network, ...props });
  });
  return { s, db };
}
