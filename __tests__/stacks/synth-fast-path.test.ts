import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Annotations, App, Aspects, Fn, IAspect, Lazy, TerraformOutput, TerraformStack, Testing, Token } from "cdktf";
import { Manifest } from "cdktf/lib/manifest";
import { StackSynthesizer } from "cdktf/lib/synthesize/synthesizer";
import type { IConstruct } from "constructs";
import { resolve as cdktfResolve } from "cdktf/lib/_tokens";
import { TokenString } from "cdktf/lib/tokens/private/encoding";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { buildApp } from "../../stacks";
import { FastTerraformStack } from "../../stacks/synth/fast-stack";
import { isPlainData, NUMBER_IN_STRING, resolveFast } from "../../stacks/synth/resolve";

/** A stack with one parameter to reference, for resolver cases. */
function scratch(): { stack: TerraformStack; param: SsmParameter } {
  const stack = new TerraformStack(Testing.app(), "scratch");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const param = new SsmParameter(stack, "P", { name: "/p", type: "String", value: "v" });
  return { stack, param };
}

describe("synth fast path: the same JSON as cdktf", () => {
  const outdir = mkdtempSync(join(tmpdir(), "fast-path-"));
  let stacks: TerraformStack[] = [];
  // Building all 16 stacks takes a few seconds, more on a busy machine than vitest's default 10 s for a hook.
  beforeAll(() => {
    stacks = buildApp(new App({ outdir, stackTraces: false }));
  }, 120_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("G1: every stack of every environment (and bootstrap) is byte-identical to TerraformStack.toTerraform", () => {
    expect(stacks.length).toBe(16);
    for (const stack of stacks) {
      expect(stack).toBeInstanceOf(FastTerraformStack);
      const ours = JSON.stringify(stack.toTerraform());
      expect(ours, stack.node.id).toBe(JSON.stringify(TerraformStack.prototype.toTerraform.call(stack)));
    }
  });

  it("matches cdktf on overrides, outputs, data sources, meta arguments and lazy values", () => {
    const app = Testing.app();
    const stack = new FastTerraformStack(app, "edge");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const region = new DataAwsRegion(stack, "Region", { dependsOn: [] });
    const a = new SsmParameter(stack, "A", { name: "/a", type: "String", value: region.name, lifecycle: { preventDestroy: true, ignoreChanges: ["value"] } });
    const b = new SsmParameter(stack, "B", { name: Lazy.stringValue({ produce: () => `${a.name}-b` }), type: "String", value: Fn.jsonencode({ k: [a.arn, { n: 1, m: a.version }] }), dependsOn: [a] });
    b.addOverride("tags.extra", a.id);
    b.addOverride("description", undefined);
    stack.addOverride("terraform.required_version", ">= 1.5");
    new TerraformOutput(stack, "Out", { value: { arn: b.arn, list: [a.name, 1] } });
    expect(JSON.stringify(stack.toTerraform())).toBe(JSON.stringify(TerraformStack.prototype.toTerraform.call(stack)));
  });

  it("keeps cdktf's handling of every kind of token a value can hold", () => {
    const { stack, param } = scratch();
    const cases: unknown[] = [
      "plain",
      "1e5 and t3.micro",
      `${param.arn}/suffix`,
      `prefix-${Token.asNumber(param.version)}`,
      { [param.name]: "token in a key", nested: [undefined, null, 0, false, { u: undefined }] },
      Token.asList(param.arn),
      Token.asNumber(param.version),
      Fn.jsonencode({ Statement: [{ Resource: [param.arn, `${param.arn}/*`], Condition: { StringEquals: { "a:b": "c\nd" } } }] }),
      Fn.join(",", [param.name, "x"]),
      Token.asAny(Fn.lookup({ a: param.name }, "a", "d")),
      [Fn.upper(param.name), "${not.a.token}", "$${escaped}"],
      Lazy.anyValue({ produce: () => ({ list: [param.id], n: 3 }) }),
      new Date(0),
    ];
    for (const value of cases) expect(JSON.stringify(resolveFast(stack, value))).toBe(JSON.stringify(cdktfResolve(stack, value)));
  });

  it("raises cdktf's own error where cdktf refuses a value", () => {
    const { stack, param } = scratch();
    for (const bad of [() => 1, { construct: param }, `x${Token.asList(param.arn)[0]}`]) {
      let ours: unknown;
      let theirs: unknown;
      try {
        resolveFast(stack, bad);
      } catch (e) {
        ours = (e as Error).message;
      }
      try {
        cdktfResolve(stack, bad);
      } catch (e) {
        theirs = (e as Error).message;
      }
      expect(theirs).toEqual(expect.any(String));
      expect(ours).toBe(theirs);
    }
  });

  it("a stack whose resource holds a value cdktf refuses raises cdktf's own error, naming the same path", () => {
    const stack = new FastTerraformStack(Testing.app(), "bad");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new SsmParameter(stack, "P", { name: "/p", type: "String", value: "v" }).addOverride("description", () => 1);
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    const theirs = message(() => TerraformStack.prototype.toTerraform.call(stack));
    expect(theirs).toMatch(/function/i);
    expect(message(() => stack.toTerraform())).toBe(theirs);
  });

  it("tests strings for concatenated numbers with cdktf's own pattern", () => {
    expect(NUMBER_IN_STRING.source).toBe((TokenString.forNumbers("") as unknown as { re: RegExp }).re.source);
  });

  it("tells plain data (which resolves to itself) from values that need resolving", () => {
    const { param } = scratch();
    expect([{ a: ["b", 1, true, null] }, "~> 5.100", []].map(isPlainData)).toEqual([true, true, true]);
    expect([{ a: undefined }, [undefined], param.arn, "1e5", Token.asNumber(param.version), new Date(0), () => 1].map(isPlainData)).toEqual([false, false, false, false, false, false, false]);
  });

  it("writes what cdktf's StackSynthesizer writes: files, manifest annotations, aspects once one is added, and its error on an error annotation", () => {
    const synthesizeWith = (fast: boolean, withAspect: boolean, error: boolean) => {
      const dir = mkdtempSync(join(tmpdir(), "fast-synth-"));
      const stack = new FastTerraformStack(Testing.app(), "edge");
      new AwsProvider(stack, "aws", { region: "eu-west-1" });
      const p = new SsmParameter(stack, "P", { name: "/p", type: "String", value: "v" });
      Annotations.of(p).addWarning("a warning");
      if (error) Annotations.of(p).addError("an error");
      const tagger: IAspect = { visit: (node: IConstruct) => (node instanceof SsmParameter ? node.addOverride("tags.aspect", "visited") : undefined) };
      if (withAspect) Aspects.of(stack).add(tagger);
      mkdirSync(join(dir, "stacks"));
      const manifest = new Manifest("0.21.0", dir, false);
      const synthesizer = fast ? stack.synthesizer : new StackSynthesizer(stack, false, false);
      try {
        synthesizer.synthesize({ outdir: dir, skipValidation: false, manifest });
        const written = readFileSync(join(dir, manifest.forStack(stack).synthesizedStackPath), "utf8");
        return { written, annotations: manifest.forStack(stack).annotations.map(({ constructPath, level, message }) => ({ constructPath, level, message })) };
      } catch (e) {
        return { error: (e as Error).message };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    for (const [withAspect, error] of [[false, false], [true, false], [false, true]]) {
      const ours = synthesizeWith(true, withAspect, error);
      expect(ours).toEqual(synthesizeWith(false, withAspect, error));
      if (withAspect) expect(JSON.parse(ours.written ?? "{}").resource.aws_ssm_parameter.P.tags).toEqual({ aspect: "visited" });
      if (error) expect(ours.error).toMatch(/Encountered Annotations with level "ERROR":\n\[edge\/P\] an error/);
    }
  });
});
