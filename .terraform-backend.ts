/**
 * The state backend every stack uses (G2, BS3).
 *
 * - "s3": the S3 backend with a DynamoDB lock table, `encrypt = true`, key `<system>/<env>/terraform.tfstate`.
 *   Bucket, table and region come from `environments/<env>.ts`; Terraform's native S3 lock file
 *   (`use_lockfile`, Terraform >= 1.10) is on beside the table unless a backend sets `useLockfile: false`.
 * - "local": a state file beside the repository, for the bootstrap stack (it creates the bucket and table the
 *   others need) and for working offline.
 * An emulator endpoint (an AWS API emulator on 127.0.0.1) points the S3 backend there; it is only ever set by
 * main.ts from the environment, so normal synth output carries no URL.
 */
import * as path from "node:path";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";

export interface BackendSettings {
  /** State bucket, created by the bootstrap stack. */
  readonly bucket: string;
  /** DynamoDB lock table, created by the bootstrap stack. */
  readonly lockTable: string;
  /** Region of the bucket and table. */
  readonly region: string;
  /**
   * Also take Terraform's native S3 lock file (`use_lockfile`, Terraform >= 1.10) beside the DynamoDB table; both
   * locks are taken, so users on either setting exclude each other while an environment migrates. @default true
   */
  readonly useLockfile?: boolean;
}

export interface EmulatorSettings {
  /** e.g. http://127.0.0.1:5000 */
  readonly endpoint: string;
}

export type BackendMode =
  | { readonly kind: "s3"; readonly settings: BackendSettings; readonly emulator?: EmulatorSettings }
  | { readonly kind: "local"; readonly stateDir?: string };

/** `<system>/<env>/terraform.tfstate`: one state per (system, environment). */
export function stateKey(system: string, environment: string): string {
  return `${system}/${environment}/terraform.tfstate`;
}

/** Where a local-backend stack keeps its state: `<repo>/.state/<stack>.tfstate` (git-ignored). */
function localStatePath(stackName: string, stateDir: string | undefined): string {
  // Terraform runs in cdktf.out/stacks/<stack>; a relative path keeps the repository movable.
  const dir = stateDir ?? path.join("..", "..", "..", ".state");
  return path.join(dir, `${stackName}.tfstate`);
}

export function configureBackend(stack: TerraformStack, mode: BackendMode, system: string, environment: string): void {
  if (mode.kind === "local") {
    new LocalBackend(stack, { path: localStatePath(stack.node.id, mode.stateDir) });
    return;
  }
  const { settings, emulator } = mode;
  new S3Backend(stack, {
    bucket: settings.bucket,
    key: stateKey(system, environment),
    region: settings.region,
    encrypt: true,
    dynamodbTable: settings.lockTable,
    ...(emulator
      ? {
          endpoints: { s3: emulator.endpoint, dynamodb: emulator.endpoint, iam: emulator.endpoint, sts: emulator.endpoint },
          usePathStyle: true,
          skipCredentialsValidation: true,
          skipRegionValidation: true,
          skipMetadataApiCheck: true,
          skipRequestingAccountId: true,
          accessKey: "emulator",
          secretKey: "emulator",
        }
      : {}),
  });
  // cdktf 0.21 has no typed field for the native lock file; an override writes it.
  if (settings.useLockfile ?? true) stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
