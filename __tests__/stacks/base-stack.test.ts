import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { buildApp } from "../../stacks";
import { BaseStack } from "../../stacks/system-stack";
import { undeclaredReferences } from "../../stacks/references";
import { ConfigError } from "../../modules/core/errors";

const settings = (system: string) => ({ project: "platform", system, environment: "dev", region: "eu-west-1", backend: { kind: "local" as const } });

describe("BaseStack: synth without cdktf's preparing pass", () => {
  it("G1: writes exactly what the stock prepare step would, for every prod stack and bootstrap", () => {
    const outdir = mkdtempSync(join(tmpdir(), "base-stack-"));
    try {
      const stacks = buildApp(new App({ outdir, stackTraces: false }), { environments: ["prod"] });
      expect(stacks.length).toBe(6);
      for (const stack of stacks) {
        const ours = JSON.stringify(stack.toTerraform());
        TerraformStack.prototype.prepareStack.call(stack);
        expect(JSON.stringify(stack.toTerraform()), stack.node.id).toBe(ours);
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("refuses a reference to another stack's resource, naming the stack and the address", () => {
    const outdir = mkdtempSync(join(tmpdir(), "base-stack-"));
    try {
      const app = new App({ outdir, stackTraces: false });
      const producer = new BaseStack(app, "producer", settings("producer"));
      const source = new SsmParameter(producer, "Source", { name: "/x/source", type: "String", value: "v" });
      const consumer = new BaseStack(app, "consumer", settings("consumer"));
      new SsmParameter(consumer, "Copy", { name: "/x/copy", type: "String", value: source.value });
      let error: unknown;
      try {
        app.synth();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/^consumer: reference = "aws_ssm_parameter\.Source" is not allowed; stacks here are independent/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("finds undeclared resource, data and depends_on references, and ignores variables, locals, iterators, metadata and other providers", () => {
    const found = undeclaredReferences({
      provider: { aws: {} },
      resource: { aws_s3_bucket: { Logs: { bucket: "b" } }, aws_iam_role: { R: { name: "${aws_s3_bucket.Logs.id}-${aws_s3_bucket.Gone.id}", depends_on: ["aws_sqs_queue.Elsewhere", "aws_s3_bucket.Logs"], "//": { metadata: { path: "${aws_kms_key.NotARef}" } } } } },
      data: { aws_caller_identity: { Me: {} } },
      output: {
        a: { value: "${data.aws_caller_identity.Me.account_id}" },
        b: { value: "${data.aws_region.Missing.name}" },
        c: { value: "${var.x} ${local.y} ${each.value} ${random_id.Other.hex} ${jsonencode({\"k\" = aws_iam_role.R.arn})}" },
      },
    });
    expect(found).toEqual(["aws_s3_bucket.Gone", "aws_sqs_queue.Elsewhere", "data.aws_region.Missing"]);
  });
});
