#!/usr/bin/env node
/**
 * Finds Terraform and a local provider mirror, and writes a Terraform CLI config for the tests.
 *
 * - terraform: TERRAFORM_BIN, else `terraform` on PATH.
 * - provider mirror: TF_PROVIDER_MIRROR, else the first directory holding registry.terraform.io/hashicorp/aws
 *   among the usual plugin locations, else a bounded search of the filesystem (cached in .cache/terraform).
 * - CLI config (.cache/terraform/cli.tfrc): the mirror for hashicorp/aws when one was found, the registry for
 *   everything else (and for aws too when there is no mirror: a machine with internet keeps the normal path),
 *   plus a shared plugin cache. Tests point TF_CLI_CONFIG_FILE at it.
 * Run directly, it prints what it found.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const cacheDir = join(root, ".cache", "terraform");

function which(cmd) {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

function hasAwsProvider(dir) {
  const p = join(dir, "registry.terraform.io", "hashicorp", "aws");
  try {
    return statSync(p).isDirectory() && readdirSync(p).length > 0;
  } catch {
    return false;
  }
}

function searchMirror() {
  const candidates = [
    join(homedir(), ".terraform.d", "plugins"),
    join(homedir(), ".local", "share", "terraform", "plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ];
  for (const c of candidates) if (hasAwsProvider(c)) return c;
  // Bounded search: images put mirrors in many places; stop at depth 6 and skip virtual filesystems.
  const r = spawnSync(
    "find",
    ["/", "-maxdepth", "6", "(", "-path", "/proc", "-o", "-path", "/sys", "-o", "-path", "/dev", "-o", "-path", "*/node_modules", ")", "-prune", "-o", "-type", "d", "-path", "*/registry.terraform.io/hashicorp/aws", "-print"],
    { encoding: "utf8", maxBuffer: 1 << 20 },
  );
  const hit = (r.stdout || "").split("\n").find(Boolean);
  return hit ? resolve(hit, "..", "..", "..") : null;
}

export function findMirror() {
  if (process.env.TF_PROVIDER_MIRROR) return hasAwsProvider(process.env.TF_PROVIDER_MIRROR) ? process.env.TF_PROVIDER_MIRROR : null;
  const cacheFile = join(cacheDir, "mirror.json");
  if (existsSync(cacheFile)) {
    const cached = JSON.parse(readFileSync(cacheFile, "utf8")).mirror;
    if (cached === null || hasAwsProvider(cached)) return cached;
  }
  const found = searchMirror();
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify({ mirror: found }, null, 2));
  return found;
}

export function ensureTerraformToolchain() {
  const terraform = process.env.TERRAFORM_BIN || which("terraform");
  if (!terraform) return { terraform: null, version: null, mirror: null, cliConfig: null, reason: "terraform is not on PATH (set TERRAFORM_BIN)" };
  const version = execFileSync(terraform, ["version", "-json"], { encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" } });
  const mirror = findMirror();
  const pluginCache = join(cacheDir, "plugin-cache");
  mkdirSync(pluginCache, { recursive: true });
  const lines = [`plugin_cache_dir = ${JSON.stringify(pluginCache)}`, "plugin_cache_may_break_dependency_lock_file = true", "provider_installation {"];
  if (mirror) {
    lines.push(`  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }`);
    lines.push(`  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }`);
  } else {
    lines.push("  direct {}");
  }
  lines.push("}");
  const cliConfig = join(cacheDir, "cli.tfrc");
  writeFileSync(cliConfig, lines.join("\n") + "\n");
  return { terraform, version: JSON.parse(version).terraform_version, mirror, cliConfig, reason: null };
}

/** Environment for running terraform with the project's CLI config. */
export function terraformEnv(toolchain, extra = {}) {
  return { ...process.env, TF_CLI_CONFIG_FILE: toolchain.cliConfig, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1", ...extra };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t = ensureTerraformToolchain();
  console.log(JSON.stringify(t, null, 2));
  if (!t.terraform) process.exit(1);
}
