/**
 * The gap table lives in two places that must agree: docs/emulator.md (for people) and
 * __tests__/support/emulator-gaps.ts (for the tier). This test reads the docs' two tables and compares them row by row.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EMULATOR_GAPS, GapEffect, ServedBy } from "../support/emulator-gaps";
import { JsonObject, root } from "../support/emulator";
import { knockOnChanges, planTargets } from "../support/emulator-plan";

interface DocRow {
  readonly type: string;
  readonly missing: string;
  readonly effect: GapEffect;
  readonly servedBy: ServedBy;
}

/** Rows of the first markdown table after the heading that starts with `heading`. */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => l.startsWith("## ") && l.slice(3).startsWith(heading));
  if (start < 0) throw new Error(`docs/emulator.md has no "## ${heading}" section`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("## ")) break;
    if (!line.startsWith("|")) {
      if (rows.length) break;
      continue;
    }
    rows.push(line.slice(1, line.lastIndexOf("|")).split(" | ").map((c) => c.trim()));
  }
  return rows.slice(2); // header and separator
}

function docRows(): DocRow[] {
  const md = readFileSync(join(root, "docs", "emulator.md"), "utf8");
  const unquote = (c: string) => c.replace(/^`|`$/g, "");
  const gaps = tableAfter(md, "Gap table").map(([type, missing, servedBy]) => ({ type: unquote(type), missing, effect: "not created" as GapEffect, servedBy: servedBy as ServedBy }));
  const perpetual = tableAfter(md, "Perpetual diffs").map(([type, missing, , servedBy]) => ({ type: unquote(type), missing, effect: "perpetual diff" as GapEffect, servedBy: servedBy as ServedBy }));
  return [...gaps, ...perpetual];
}

describe("the emulator gap table", () => {
  it("docs/emulator.md and support/emulator-gaps.ts list the same types, API calls and effects", () => {
    const fromDocs = docRows().map((r) => `${r.type} | ${r.missing} | ${r.effect} | ${r.servedBy}`).sort();
    const fromCode = EMULATOR_GAPS.map((g) => `${g.type} | ${g.missing} | ${g.effect} | ${g.servedBy}`).sort();
    expect(fromDocs).toEqual(fromCode);
  });

  it("every type the tier leaves out of apply today is served by the project's extension (no open gap)", () => {
    expect(EMULATOR_GAPS.filter((g) => g.effect === "not created" && g.servedBy === "moto").map((g) => g.type)).toEqual([]);
  });

  it("lists each type once per table", () => {
    const keys = EMULATOR_GAPS.map((g) => `${g.type} ${g.effect === "perpetual diff" ? "perpetual" : "gap"}`);
    expect(keys.length).toBe(new Set(keys).size);
  });

  it("leaves a gap type and everything that references it out of apply, and keeps the rest", () => {
    const gap = (type: string) => (type === "aws_xray_sampling_rule" ? { missing: "CreateSamplingRule (not implemented)" } : undefined);
    const t = planTargets({
      resource: {
        aws_vpc: { Main: { cidr_block: "10.0.0.0/16" } },
        aws_xray_sampling_rule: { Kafka: { vpc: "${aws_vpc.Main.id}" } },
        aws_ssm_parameter: { Brokers: { value: "${aws_xray_sampling_rule.Kafka.arn}" }, Plain: { value: "x" } },
        aws_iam_role_policy: { Read: { policy: "${jsonencode({\"Resource\" = aws_ssm_parameter.Brokers.arn})}" } },
        aws_ecs_service: { Api: { depends_on: ["aws_iam_role_policy.Read"] } },
      },
    }, gap);
    expect(t.untargeted.map((u) => u.address).sort()).toEqual(["aws_ecs_service.Api", "aws_iam_role_policy.Read", "aws_ssm_parameter.Brokers", "aws_xray_sampling_rule.Kafka"]);
    expect(t.untargeted.find((u) => u.address === "aws_ssm_parameter.Brokers")?.reason).toBe("depends on aws_xray_sampling_rule.Kafka");
    expect([...t.targets].sort()).toEqual(["aws_ssm_parameter.Plain", "aws_vpc.Main"]);
  });

  it("applies a type the project's extension serves, with what references it", () => {
    const t = planTargets({ resource: { aws_db_instance: { A: {}, B: {} }, aws_appautoscaling_target: { T: { resource_id: "${aws_db_instance.A.id}" } } } });
    expect(t.untargeted).toEqual([]);
    expect(t.targets).toEqual([]);
  });

  it("re-plan: tolerates only changes that follow a tolerated replacement, never a known change beside it", () => {
    const config = {
      resource: {
        aws_eks_cluster: { Cluster: { name: "c" } },
        aws_iam_openid_connect_provider: { Oidc: { url: "${aws_eks_cluster.Cluster.identity[0].oidc[0].issuer}" } },
        aws_iam_role: { Irsa: { assume_role_policy: "${aws_iam_openid_connect_provider.Oidc.arn}" }, Drift: { name: "${aws_eks_cluster.Cluster.name}-x", assume_role_policy: "{}" } },
        aws_s3_bucket: { Unrelated: { bucket: "b" } },
      },
      output: { endpoint: { value: "${aws_eks_cluster.Cluster.endpoint}" }, bucket: { value: "${aws_s3_bucket.Unrelated.bucket}" } },
    };
    const change = (actions: string[], before: JsonObject, after: JsonObject, afterUnknown: JsonObject): JsonObject => ({ actions, before, after, after_unknown: afterUnknown });
    const plan: JsonObject = {
      resource_changes: [
        { address: "aws_eks_cluster.Cluster", type: "aws_eks_cluster", change: change(["delete", "create"], { name: "c" }, { name: "c" }, { arn: true }) },
        { address: "aws_iam_openid_connect_provider.Oidc", type: "aws_iam_openid_connect_provider", change: change(["delete", "create"], { url: "u", tags: {} }, { url: null, tags: null }, { url: true }) },
        { address: "aws_iam_role.Irsa", type: "aws_iam_role", change: change(["update"], { assume_role_policy: "p" }, { assume_role_policy: null }, { assume_role_policy: true }) },
        { address: "aws_iam_role.Drift", type: "aws_iam_role", change: change(["update"], { assume_role_policy: "{}", max_session_duration: 3600 }, { assume_role_policy: "{}", max_session_duration: 7200 }, {}) },
        { address: "aws_s3_bucket.Unrelated", type: "aws_s3_bucket", change: change(["update"], { acl: "a" }, { acl: null }, { acl: true }) },
      ],
      output_changes: {
        endpoint: { actions: ["update"], after_unknown: true },
        bucket: { actions: ["update"], after_unknown: true },
      },
    };
    const k = knockOnChanges(plan, config, ["aws_eks_cluster.Cluster"]);
    expect(k.resources.map((r) => `${r.address} <- ${r.because}`).sort()).toEqual([
      "aws_iam_openid_connect_provider.Oidc <- aws_eks_cluster.Cluster",
      "aws_iam_role.Irsa <- aws_iam_openid_connect_provider.Oidc",
    ]);
    expect(k.outputs.map((o) => o.address)).toEqual(["output.endpoint"]);
    // Nothing follows when the tolerated change is an in-place update rather than a replacement.
    expect(knockOnChanges(plan, config, []).resources).toEqual([]);
  });
});
