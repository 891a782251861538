/**
 * The emulator tier's pure helpers, in the unit tier: reading plans and states, the requirement pins of the
 * emulator, and the IAM oracles' bookkeeping (scripts/iam-audit.mjs). No emulator or terraform runs here.
 */
import { countBy, mergeDetails, parliamentErrors, policyDocuments, roleNames, unexcepted } from "../../scripts/iam-audit.mjs";
import type { CloudsplainingFinding, ParliamentFinding } from "../../scripts/iam-audit.mjs";
import { MOTO_VERSION, pinnedVersion } from "../../scripts/emulator.mjs";
import { lockIdOf, objectVersions, preventDestroyAddresses, refusedDestroys, shieldedDestroys } from "../support/emulator-faults";
import { JsonObject, stuckResources, table } from "../support/emulator";
import { plannedChanges, plannedOutputChanges } from "../support/emulator-plan";
import { lockItem, secretsInState, stateResources } from "../support/emulator-state";

const state = (resources: JsonObject[]): JsonObject => ({ version: 4, resources });
const managed = (type: string, name: string, attributes: JsonObject): JsonObject => ({ mode: "managed", type, name, instances: [{ attributes }] });
const doc = (action: string): string => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

describe("emulator tier helpers", () => {
  it("pinnedVersion reads exact pins (with extras and comments) and MOTO_VERSION comes from emulator/requirements.txt", () => {
    const text = "# pins\nmoto[server]==5.2.1  # the emulator\nboto3==1.43.11\npytest>=9\n";
    expect([pinnedVersion(text, "moto"), pinnedVersion(text, "boto3"), pinnedVersion(text, "pytest"), pinnedVersion(text, "flask")]).toEqual(["5.2.1", "1.43.11", null, null]);
    expect(MOTO_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("plannedChanges drops no-ops and reads; plannedOutputChanges lists changed outputs", () => {
    const plan = {
      resource_changes: [
        { address: "aws_s3_bucket.A", type: "aws_s3_bucket", change: { actions: ["no-op"] } },
        { address: "data.aws_iam_policy_document.D", type: "aws_iam_policy_document", change: { actions: ["read"] } },
        { address: "aws_sqs_queue.Q", type: "aws_sqs_queue", change: { actions: ["update"] } },
      ],
      output_changes: { same: { actions: ["no-op"] }, url: { actions: ["update"] } },
    };
    expect(plannedChanges(plan)).toEqual([{ address: "aws_sqs_queue.Q", type: "aws_sqs_queue", actions: ["update"] }]);
    expect(plannedOutputChanges(plan)).toEqual([{ name: "url", actions: ["update"] }]);
  });

  it("G7: secretsInState finds non-empty secret attributes at any depth, in managed and data resources", () => {
    const found = secretsInState(state([
      managed("aws_db_instance", "Db", { password: "hunter2", username: "app" }),
      managed("aws_elasticache_replication_group", "Cache", { auth_token: "" }),
      { mode: "data", type: "aws_secretsmanager_secret_version", name: "V", instances: [{ attributes: { nested: [{ secret_string: "x" }] } }] },
    ]));
    expect(found).toEqual([
      { address: "aws_db_instance.Db", attribute: "password" },
      { address: "data.aws_secretsmanager_secret_version.V", attribute: "nested[0].secret_string" },
    ]);
    expect([...stateResources(state([managed("aws_s3_bucket", "B", { bucket: "b" })])).keys()]).toEqual(["aws_s3_bucket.B"]);
  });

  it("stuckResources lists what was still creating and never completed", () => {
    const out = ["aws_msk_cluster.K: Still creating... [10s elapsed]", "aws_kms_key.A: Still creating... [10s elapsed]", "aws_kms_key.A: Creation complete after 11s [id=k]"].join("\n");
    expect(stuckResources(out)).toEqual(["aws_msk_cluster.K"]);
  });

  it("G2: lockItem is the S3 backend's lock item: LockID <bucket>/<key> and an Info document naming the holder", () => {
    const item = lockItem("state", "sys/dev/terraform.tfstate", "tier");
    expect((item.LockID as JsonObject).S).toBe("state/sys/dev/terraform.tfstate");
    const info = JSON.parse(String((item.Info as JsonObject).S)) as JsonObject;
    expect([info.Who, info.Operation, info.Path]).toEqual(["tier", "OperationTypeApply", "state/sys/dev/terraform.tfstate"]);
    expect(table([{ a: 1, b: "x" }], ["a", "b"]).split("\n")).toEqual(["a | b", "--|--", "1 | x"]);
  });
});

describe("IAM oracle bookkeeping (scripts/iam-audit.mjs)", () => {
  const s = state([
    managed("aws_iam_role", "Task", { name: "app-task", assume_role_policy: doc("sts:AssumeRole") }),
    managed("aws_iam_role_policy", "TaskPolicy", { policy: doc("s3:GetObject") }),
    managed("aws_iam_role_policy", "Same", { policy: doc("s3:GetObject") }),
    managed("aws_s3_bucket", "B", { policy: "" }),
    { mode: "data", type: "aws_iam_policy_document", name: "D", instances: [{ attributes: { json: doc("sqs:SendMessage") } }] },
  ]);

  it("policyDocuments reads every identity and resource policy of managed resources once (no trust policy); roleNames the roles", () => {
    expect(policyDocuments(s, "app-dev").map((d) => d.source)).toEqual(["app-dev aws_iam_role_policy.TaskPolicy.policy"]);
    expect(roleNames(s)).toEqual(["app-task"]);
  });

  it("mergeDetails keeps each role and policy once across stacks", () => {
    const merged = mergeDetails([{ RoleDetailList: [{ Arn: "r1" }], Policies: [{ Arn: "p" }] }, { RoleDetailList: [{ Arn: "r2" }, { Arn: "r1" }], Policies: [{ Arn: "p" }] }]);
    expect([(merged.RoleDetailList as JsonObject[]).map((r) => r.Arn), (merged.Policies as JsonObject[]).length]).toEqual([["r1", "r2"], 1]);
  });

  it("parliamentErrors keeps invalid, malformed and HIGH/CRITICAL findings; unexcepted drops what an exception covers", () => {
    const p = (issue: string, group: string, severity: string, source = "app-dev aws_iam_role_policy.X.policy"): ParliamentFinding => ({ issue, group, severity, source, detail: null });
    const findings = [p("UNKNOWN_ACTION", "INVALID", "LOW"), p("RESOURCE_STAR", "RESOURCE_STAR", "LOW"), p("RESOURCE_MISMATCH", "MALFORMED", "MEDIUM"), p("PRIVILEGE_ESCALATION", "X", "HIGH")];
    expect(parliamentErrors(findings).map((f) => f.issue)).toEqual(["UNKNOWN_ACTION", "RESOURCE_MISMATCH", "PRIVILEGE_ESCALATION"]);
    expect(unexcepted(parliamentErrors(findings), [{ issue: "RESOURCE_MISMATCH", source: "aws_iam_role_policy.X", reason: "r" }]).map((f) => f.issue)).toEqual(["UNKNOWN_ACTION", "PRIVILEGE_ESCALATION"]);
  });

  it("cloudsplaining findings: exceptions match by type, action and policy name; counts per type", () => {
    const c = (type: string, action: string, policy: string): CloudsplainingFinding => ({ type, action, policy, roles: ["r"], group: "inline_policies" });
    const findings = [c("ResourceExposure", "iam:PassRole", "deploy-role-policy"), c("DataExfiltration", "s3:GetObject", "app-task-policy"), c("DataExfiltration", "s3:GetObject", "other")];
    const left = unexcepted(findings, [{ type: "DataExfiltration", action: "s3:GetObject", policy: "app-task", reason: "bucket-scoped in AWS" }]);
    expect(left.map((f) => f.policy)).toEqual(["deploy-role-policy", "other"]);
    expect(countBy(findings, "type")).toEqual({ DataExfiltration: 2, ResourceExposure: 1 });
  });
});

describe("fault-step helpers (support/emulator-faults.ts)", () => {
  it("lockIdOf reads the lock ID of terraform's state-lock error", () => {
    const out = "Error: Error acquiring the state lock\n\nLock Info:\n  ID:        4c3b2a1d-0000-4000-8000-000000000001\n  Path:      b/k\n  Operation: OperationTypePlan\n";
    expect(lockIdOf(out)).toBe("4c3b2a1d-0000-4000-8000-000000000001");
    expect(lockIdOf("Plan: 1 to add")).toBeUndefined();
  });

  it("objectVersions lists one key's versions, the latest first, then newest to oldest", () => {
    const v = (key: string, id: string, latest: boolean, at: string) => `<Version><Key>${key}</Key><VersionId>${id}</VersionId><IsLatest>${latest}</IsLatest><LastModified>${at}</LastModified></Version>`;
    const xml = `<ListVersionsResult>${v("s/dev/terraform.tfstate", "a", false, "2026-01-01T00:00:01Z")}${v("s/dev/terraform.tfstate", "c", true, "2026-01-01T00:00:03Z")}${v("other", "x", true, "2026-01-01T00:00:09Z")}${v("s/dev/terraform.tfstate", "b", false, "2026-01-01T00:00:02Z")}</ListVersionsResult>`;
    expect(objectVersions(xml, "s/dev/terraform.tfstate").map((o) => o.versionId)).toEqual(["c", "b", "a"]);
  });

  it("preventDestroyAddresses reads lifecycle.prevent_destroy from the config; refusedDestroys the addresses terraform refused", () => {
    const config = { resource: { aws_s3_bucket: { Data: { lifecycle: { prevent_destroy: true } }, Tmp: {} }, aws_kms_key: { Key: { lifecycle: { prevent_destroy: true } } } } };
    expect(preventDestroyAddresses(config)).toEqual(["aws_kms_key.Key", "aws_s3_bucket.Data"]);
    const out = "Error: Instance cannot be destroyed\n\nResource aws_s3_bucket.Data has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed.\n\nError: Instance cannot be destroyed\n\nResource aws_kms_key.Key has\nlifecycle.prevent_destroy set, but ...";
    expect(refusedDestroys(out)).toEqual(["aws_kms_key.Key", "aws_s3_bucket.Data"]);
    const wrapped = "Resource aws_s3_bucket.Data has lifecycle.prevent_destroy\nset, but the plan calls for this resource to be destroyed.";
    expect(refusedDestroys(wrapped)).toEqual(["aws_s3_bucket.Data"]);
    const chain = { resource: { aws_kms_key: { Key: { lifecycle: { prevent_destroy: true } } }, aws_s3_bucket: { Data: { kms: "${aws_kms_key.Key.arn}", lifecycle: { prevent_destroy: true } } } } };
    expect(shieldedDestroys(chain, ["aws_kms_key.Key", "aws_s3_bucket.Data"], ["aws_s3_bucket.Data"])).toEqual([{ address: "aws_kms_key.Key", behind: "aws_s3_bucket.Data" }]);
  });
});
