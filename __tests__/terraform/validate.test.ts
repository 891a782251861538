/**
 * Terraform tier: `terraform validate` with the real hashicorp/aws provider, on every module fixture and on every
 * stack main.ts builds. Types do not catch what the provider checks (an aws_lb without subnets type-checks and
 * synthesizes). The module fixtures (fixtures/*.ts, one table) are validated together in one configuration, each in
 * its own scope; the stacks likewise, each as a module of one root configuration.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { buildApp, SYSTEMS } from "../../stacks";
import { ENVIRONMENT_NAMES } from "../../environments";
import { describeDiagnostics, FixtureValidation, stackDirs, toolchain, validateFixtures, validateStackGroups, ValidateResult } from "../support/terraform";
import { computeFixtures } from "./fixtures/compute";
import { dataFixtures } from "./fixtures/data";
import { dataOptionFixtures } from "./fixtures/data-options";
import { edgeFixtures } from "./fixtures/edge";

const fixtures = [...computeFixtures, ...dataFixtures, ...edgeFixtures, ...dataOptionFixtures];
const stackNames = ["bootstrap", ...SYSTEMS.flatMap((s) => ENVIRONMENT_NAMES.map((e) => `${s.name}-${e}`))];

const errors = (diagnostics: ValidateResult["diagnostics"]) => diagnostics.filter((d) => d.severity === "error");
const explain = (diagnostics: ValidateResult["diagnostics"]) => describeDiagnostics({ valid: false, errorCount: 0, warningCount: 0, diagnostics });

describe("terraform validate with the real aws provider", () => {
  let outdir: string;
  let dirs: Record<string, string>;
  let fixturesResult: FixtureValidation;
  let stacksResult: Awaited<ReturnType<typeof validateStackGroups>>;
  // Everything validates at once: the fixtures' configuration and the stacks' (in one part per core) side by side.
  beforeAll(async () => {
    outdir = mkdtempSync(join(process.cwd(), ".cache", "tf-stacks-"));
    const app = new App({ outdir });
    buildApp(app);
    app.synth();
    dirs = stackDirs(outdir);
    [fixturesResult, stacksResult] = await Promise.all([validateFixtures(fixtures), validateStackGroups(dirs)]);
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("uses the project's toolchain (terraform found, provider from a mirror or the registry)", () => {
    const t = toolchain();
    expect(t.terraform, t.reason ?? "").toBeTruthy();
    console.log(`terraform ${t.version}; aws provider from ${t.mirror ? "the local mirror" : "the registry"}`);
  });

  describe("module fixtures, validated together", () => {
    const combined = () => fixturesResult;

    it("the combined configuration is valid, and every diagnostic names a fixture", () => {
      expect(combined().scopes.length).toBe(fixtures.length);
      expect(errors(combined().unattributed), explain(combined().unattributed)).toEqual([]);
      expect(combined().result.valid, describeDiagnostics(combined().result)).toBe(true);
    });

    it.each(fixtures.map((f, i) => [`${f.module}: ${f.title}`, i] as const))("%s", (_title, i) => {
      const own = errors(combined().byFixture[i]);
      expect(own, explain(own)).toEqual([]);
    });
  });

  describe("stacks, validated together (each a module of one configuration per core)", () => {
    const combined = () => stacksResult;

    it("G1: synthesizes one directory per stack", () => {
      expect(Object.keys(dirs).sort()).toEqual([...stackNames].sort());
    });

    it("the combined configuration is valid", () => {
      expect(combined().result.valid, describeDiagnostics(combined().result)).toBe(true);
      expect(errors(combined().result.diagnostics)).toEqual([]);
    });

    it.each(stackNames)("%s is valid Terraform", (name) => {
      const own = errors(combined().byStack[name]);
      expect(own, explain(own)).toEqual([]);
    });
  });
});
