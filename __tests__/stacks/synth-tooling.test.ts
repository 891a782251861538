import { Token } from "cdktf";
import { TokenMap } from "cdktf/lib/tokens/private/token-map";
import { floorProgram, linearity, median, requiredPackages } from "../../scripts/bench.mjs";
import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { cacheTokenKeys } from "../../scripts/synth-runtime.mjs";
import { stableJson } from "../../stacks/synth/stable-json";
import { summaryLines } from "../../scripts/test.mjs";
import { estateEnvironments, releaseTokens } from "../../stacks/synth/estate";

describe("synth tooling (bench, app runner, estate, test summary)", () => {
  it("the floor requires exactly the packages a bundle requires, without Node's own modules or relative files", () => {
    const bundle = 'var a = require("cdktf"); var b = require("node:fs"); var c = require("path"); var d = require("@cdktf/provider-aws/lib/s3-bucket"); var e = require("./local"); require("cdktf");';
    expect(requiredPackages(bundle)).toEqual(["cdktf", "@cdktf/provider-aws/lib/s3-bucket"]);
    expect(floorProgram(["cdktf", "constructs"])).toBe('require("cdktf");require("constructs");');
  });

  it("takes medians and measures how far a scale curve is from linear", () => {
    expect([median([3, 1, 2]), median([4, 1, 3, 2])]).toEqual([2, 2.5]);
    expect(linearity([{ resources: 1000, seconds: 1.5 }, { resources: 4000, seconds: 3 }, { resources: 16000, seconds: 9 }])).toEqual({ fixedSeconds: 1, secondsPerThousand: 0.5, r2: 1, perThousandAtEachSize: [1.5, 0.75, 0.563] });
  });

  it("registers token keys exactly as cdktf does, each display hint cleaned once", () => {
    class Registry {
      tokenCounter = 7;
      stringTokenMap = new Map<string, unknown>();
      registerStringKey(_token: unknown, _hint?: string): string {
        return "";
      }
    }
    cacheTokenKeys(Registry);
    const r = new Registry();
    expect([r.registerStringKey("t1", "aws_s3_bucket.x y"), r.registerStringKey("t2"), r.registerStringKey("t3", "aws_s3_bucket.x y")]).toEqual(["aws_s3_bucket.x.y.7", "TOKEN.8", "aws_s3_bucket.x.y.9"]);
    expect([...r.stringTokenMap.entries()]).toEqual([["aws_s3_bucket.x.y.7", "t1"], ["TOKEN.8", "t2"], ["aws_s3_bucket.x.y.9", "t3"]]);
  });

  it("multiplies the environments under new names, and releases the tokens a stack registered", () => {
    const names = estateEnvironments(3).map((e) => e.name);
    expect(names).toEqual(["dev", "staging", "prod", "dev2", "staging2", "prod2", "dev3", "staging3", "prod3"]);
    const registry = TokenMap.instance() as unknown as { tokenCounter: number; stringTokenMap: Map<string, unknown> };
    const from = registry.tokenCounter;
    const kept = Token.asString({ resolve: () => "kept" });
    registry.tokenCounter = from + 1;
    const a = Token.asString({ resolve: () => "a" });
    const b = Token.asNumber({ resolve: () => 1 });
    expect([a, b].length).toBe(2);
    expect(releaseTokens(from + 1)).toBe(2);
    expect(registry.stringTokenMap.has(kept.slice(kept.indexOf("[") + 1, -2))).toBe(true);
  });

  it("writes JSON exactly as json-stable-stringify, cdktf's writer, does", () => {
    const original = createRequire(require.resolve("cdktf"))("json-stable-stringify") as (v: unknown, o?: { space?: number }) => string;
    const values: unknown[] = [
      { b: [1, undefined, { z: null, a: "x\n\"y\"" }], a: {}, "10": [], "9": true, u: undefined, f: () => 1, d: new Date(0) },
      [],
      "text",
      { resource: { aws_s3_bucket: { B: { bucket: "${var.x}", tags: { Z: "1", A: "2" } } } }, "//": { metadata: { stackName: "s" } } },
    ];
    for (const v of values) {
      expect(stableJson(v, "  ")).toBe(original(v, { space: 2 }));
      expect(stableJson(v, "")).toBe(original(v));
    }
  });

  it("the synth snapshot, started by cdktf.json's app or by app.mjs, writes every file the bundle path writes, byte for byte, and passes a configuration error through", async () => {
    const root = resolve(__dirname, "..", "..");
    const run = promisify(execFile);
    const app = String(JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")).app).split(" ");
    const synth = async (snapshot: "0" | "1", systems: string, launcher = app) => {
      const outdir = mkdtempSync(join(tmpdir(), "synth-path-"));
      const env = { ...process.env, CDKTF_OUTDIR: outdir, SYNTH_SNAPSHOT: snapshot, SYSTEMS: systems, ENVIRONMENTS: "prod" };
      try {
        await run(launcher[0], launcher.slice(1), { cwd: root, env });
        const stacks = readdirSync(join(outdir, "stacks")).sort();
        return { exit: 0, files: Object.fromEntries(stacks.map((s) => [s, readFileSync(join(outdir, "stacks", s, "cdk.tf.json"), "utf8")])), manifest: readFileSync(join(outdir, "manifest.json"), "utf8") };
      } catch (error) {
        const e = error as { code?: number; stderr?: string };
        return { exit: e.code, stderr: e.stderr };
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    };
    expect(app).toEqual(["sh", "scripts/app.sh"]);
    const [fromSnapshot, fromBundle] = [await synth("1", "bootstrap,alerting-platform"), await synth("0", "bootstrap,alerting-platform")];
    expect(Object.keys(fromSnapshot.files ?? {})).toEqual(["alerting-platform-prod", "bootstrap"]);
    expect(fromSnapshot).toEqual(fromBundle);
    expect(await synth("1", "bootstrap,alerting-platform", [process.execPath, "scripts/app.mjs"])).toEqual(fromBundle);
    const refused = await synth("1", "bootstrap,nope");
    expect(refused.exit).toBe(1);
    expect(refused.stderr?.trim()).toMatch(/^Configuration error: main\.ts: systems = "nope" is not allowed; expected one of /);
  }, 120_000);

  it("a synth snapshot refuses to run beside sources it was not built from (exit 75, nothing written), so app.sh falls back to app.mjs", async () => {
    const root = resolve(__dirname, "..", "..");
    const { ensureSnapshot, SNAPSHOT_FLAGS } = await import("../../scripts/app.mjs");
    const blob = ensureSnapshot();
    expect(blob).toMatch(/synth-[0-9a-f]{8}\.blob$/);
    // The same blob in another repository (no sources there): the check at start fails before main() runs.
    const elsewhere = mkdtempSync(join(tmpdir(), "synth-stale-"));
    mkdirSync(join(elsewhere, ".cache", "app"), { recursive: true });
    const copy = join(elsewhere, ".cache", "app", "synth-copy.blob");
    copyFileSync(blob as string, copy);
    const outdir = join(elsewhere, "out");
    const started = spawnSync(process.execPath, [...SNAPSHOT_FLAGS, "--snapshot-blob", copy], { cwd: root, env: { ...process.env, CDKTF_OUTDIR: outdir }, encoding: "utf8" });
    rmSync(elsewhere, { recursive: true, force: true });
    expect({ status: started.status, stdout: started.stdout, stderr: started.stderr, wrote: existsSync(outdir) }).toEqual({ status: 75, stdout: "", stderr: "", wrote: false });
    const launcher = readFileSync(join(root, "scripts", "app.sh"), "utf8");
    expect(launcher).toMatch(/-ne 75 \]; then exit/);
    // app.sh starts the snapshot with the flags app.mjs builds it with.
    expect(/^\s*node (.*)--snapshot-blob "\$blob"$/m.exec(launcher)?.[1].trim().split(" ")).toEqual(SNAPSHOT_FLAGS);
  }, 120_000);

  it("nothing main.ts imports is an ES module, so CommonJS runners (ts-node, the cdktf template's app) still load it", () => {
    const root = resolve(__dirname, "..", "..");
    const esbuild = createRequire(__filename)("esbuild") as typeof import("esbuild");
    const result = esbuild.buildSync({ entryPoints: [join(root, "main.ts")], bundle: true, platform: "node", format: "cjs", packages: "external", write: false, metafile: true, logLevel: "silent" });
    const inputs = Object.keys(result.metafile?.inputs ?? {});
    expect(inputs.length).toBeGreaterThan(100);
    expect(inputs.filter((f) => f.endsWith(".mjs"))).toEqual([]);
  });

  it("prints each tier's time in the summary", () => {
    expect(summaryLines([{ tier: "unit", status: "passed", detail: "3 passed", seconds: 31.25 }, { tier: "policy", status: "not selected", detail: "TIERS excludes it" }])).toEqual([
      "unit       passed          31.3s  3 passed",
      "policy     not selected        -  TIERS excludes it",
    ]);
  });
});
