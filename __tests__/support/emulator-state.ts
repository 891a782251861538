/**
 * State readers for the emulator tier (secrets and resources in a pulled state) and direct calls to the emulator
 * (DynamoDB lock items, S3, query-protocol APIs).
 */
import type { Json, JsonObject } from "./emulator";
import { SECRET_ATTRIBUTES } from "./emulator-gaps";

// ---------------------------------------------------------------------------------------------------------------
// State

export interface SecretFinding {
  readonly address: string;
  readonly attribute: string;
}

/** Attributes named password/master_password/auth_token/secret_string holding a non-empty value, anywhere in a state (G7). */
export function secretsInState(state: JsonObject): SecretFinding[] {
  const found: SecretFinding[] = [];
  const walk = (value: Json, path: string, address: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, address));
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        const here = path ? `${path}.${k}` : k;
        if (SECRET_ATTRIBUTES.includes(k) && typeof v === "string" && v !== "") found.push({ address, attribute: here });
        else walk(v, here, address);
      }
    }
  };
  for (const r of (state.resources ?? []) as JsonObject[]) {
    const address = `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
    ((r.instances ?? []) as JsonObject[]).forEach((inst, i) => walk((inst.attributes ?? {}) as Json, "", ((r.instances as Json[]).length > 1 ? `${address}[${i}]` : address)));
  }
  return found;
}

/** Managed resources in a state: address -> attributes (first instance). */
export function stateResources(state: JsonObject): Map<string, JsonObject> {
  const m = new Map<string, JsonObject>();
  for (const r of (state.resources ?? []) as JsonObject[]) {
    if (r.mode !== "managed") continue;
    const inst = ((r.instances ?? []) as JsonObject[])[0];
    if (inst) m.set(`${r.type}.${r.name}`, (inst.attributes ?? {}) as JsonObject);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------------------------
// Talking to the emulator directly (no AWS SDK or CLI on this machine: moto takes plain HTTP with a fake SigV4 header)

function fakeAuthorization(service: string, region = "eu-west-1"): string {
  return `AWS4-HMAC-SHA256 Credential=emulator/20240101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000`;
}

/** A DynamoDB JSON API call (PutItem, DeleteItem, GetItem, ...). */
export async function dynamodb(endpoint: string, action: string, body: JsonObject): Promise<{ status: number; body: string }> {
  const r = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": `DynamoDB_20120810.${action}`,
      "X-Amz-Date": "20240101T000000Z",
      Authorization: fakeAuthorization("dynamodb"),
    },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.text() };
}

/** A path-style S3 call, e.g. s3(endpoint, "DELETE", "/bucket?policy"). */
export async function s3(endpoint: string, method: string, path: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`${endpoint}${path}`, { method, headers: { "X-Amz-Date": "20240101T000000Z", Authorization: fakeAuthorization("s3") } });
  return { status: r.status, body: await r.text() };
}

/** An AWS query-protocol call (RDS, EC2, ...): form-encoded POST; returns the XML text. */
export async function query(endpoint: string, service: string, params: Record<string, string>): Promise<{ status: number; body: string }> {
  const r = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Amz-Date": "20240101T000000Z", Authorization: fakeAuthorization(service) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: r.status, body: await r.text() };
}

/**
 * Deletes every DB instance left on the emulator (after a failed destroy): moto reads all of them through one
 * shared DbiResourceId, so a leftover would break the next stack's DB instance. Returns the identifiers removed.
 */
export async function removeLeftoverDbInstances(endpoint: string): Promise<string[]> {
  const list = await query(endpoint, "rds", { Action: "DescribeDBInstances", Version: "2014-10-31" });
  const ids = [...list.body.matchAll(/<DBInstanceIdentifier>([^<]+)<\/DBInstanceIdentifier>/g)].map((m) => m[1]);
  for (const id of ids) {
    await query(endpoint, "rds", { Action: "ModifyDBInstance", Version: "2014-10-31", DBInstanceIdentifier: id, DeletionProtection: "false", ApplyImmediately: "true" });
    await query(endpoint, "rds", { Action: "DeleteDBInstance", Version: "2014-10-31", DBInstanceIdentifier: id, SkipFinalSnapshot: "true", DeleteAutomatedBackups: "true" });
  }
  return ids;
}

/** The lock item Terraform's S3 backend writes to the DynamoDB table: LockID "<bucket>/<key>". */
export function lockItem(bucket: string, key: string, who: string): JsonObject {
  const info = {
    ID: "00000000-0000-0000-0000-000000000001",
    Operation: "OperationTypeApply",
    Info: "",
    Who: who,
    Version: "1.11.4",
    Created: new Date().toISOString(),
    Path: `${bucket}/${key}`,
  };
  return { LockID: { S: `${bucket}/${key}` }, Info: { S: JSON.stringify(info) } };
}
