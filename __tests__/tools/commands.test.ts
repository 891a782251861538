/** scripts/cdktf.mjs and scripts/placeholders.mjs: the offline cdktf commands and the placeholder check. */
import { cdktfInvocation, defaultTarget, emulatorVariables, selectionFor } from "../../scripts/cdktf.mjs";
import { DEFAULT_STATE_BUCKET, environmentOf, findPlaceholders } from "../../scripts/placeholders.mjs";
import { bootstrap, environments } from "../../environments";

describe("npm run deploy / diff", () => {
  it("synthesizes only the stack's system and environment", () => {
    expect(selectionFor("tvmaze-ingestion-dev")).toEqual({ SYSTEMS: "tvmaze-ingestion", ENVIRONMENTS: "dev" });
    expect(selectionFor("bootstrap")).toEqual({ SYSTEMS: "bootstrap", ENVIRONMENTS: "" });
    expect(() => selectionFor("nope")).toThrow(/not a stack name/);
  });

  it("skips cdktf's registry lock and HashiCorp's checkpoint when the provider comes from a mirror", () => {
    const i = cdktfInvocation({ command: "diff", stack: "bootstrap", mirror: "/mirror", cliConfig: "/cfg/cli.tfrc" });
    expect(i.args).toEqual(["diff", "bootstrap", "--skip-provider-lock", "--disable-plugin-cache-env"]);
    expect(i.env).toMatchObject({ CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/cfg/cli.tfrc", SYSTEMS: "bootstrap" });
  });

  it("keeps cdktf's provider lock when the registry is used (no mirror)", () => {
    const i = cdktfInvocation({ command: "deploy", stack: "chat-app-prod", mirror: null, cliConfig: null, extra: ["--auto-approve"] });
    expect(i.args).toEqual(["deploy", "chat-app-prod", "--disable-plugin-cache-env", "--auto-approve"]);
    expect(i.env.TF_CLI_CONFIG_FILE).toBeUndefined();
  });

  it("synth passes its options through (--hcl) with the checkpoint call off", () => {
    expect(cdktfInvocation({ command: "synth", extra: ["--hcl"], mirror: "/m", cliConfig: null })).toEqual({ args: ["synth", "--hcl"], env: { CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "true" } });
  });

  it("goes to AWS only with configured credentials, else to the emulator", () => {
    expect(defaultTarget({ HOME: "/nowhere" }, () => false)).toBe("emulator");
    expect(defaultTarget({ HOME: "/h", AWS_PROFILE: "x" }, () => false)).toBe("aws");
    expect(defaultTarget({ HOME: "/h" }, (p) => p === "/h/.aws/config")).toBe("aws");
    expect(emulatorVariables("http://127.0.0.1:5000")).toMatchObject({ AWS_EMULATOR_ENDPOINT: "http://127.0.0.1:5000", AWS_ENDPOINT_URL: "http://127.0.0.1:5000" });
  });
});

describe("npm run placeholders", () => {
  it("finds every placeholder of prod: accountId, state bucket, githubOrg, example certificate ARNs", () => {
    const found = findPlaceholders(environments.prod as unknown as Record<string, unknown>);
    const settings = found.map((p) => p.setting);
    expect(settings).toEqual(expect.arrayContaining(["accountId", "backend.bucket", "githubOrg", "systems.tvmazeIngestion.certificateArn", "systems.chatApp.cdn.certificateArn"]));
    expect(found.find((p) => p.setting === "backend.bucket")?.value).toBe(DEFAULT_STATE_BUCKET);
  });

  it("finds none once the values are real", () => {
    const real = { accountId: "210987654321", githubOrg: "acme", backend: { bucket: "acme-tf-state", lockTable: "locks" }, systems: { a: { certificateArn: "arn:aws:acm:eu-west-1:210987654321:certificate/x" } } };
    expect(findPlaceholders(real)).toEqual([]);
  });

  it("checks the bootstrap settings' pipeline repository owner too", () => {
    expect(findPlaceholders(bootstrap as unknown as Record<string, unknown>).map((p) => p.setting)).toEqual(["accountId", "backend.bucket", "pipeline.repository"]);
  });

  it("maps a stack to its environment", () => {
    expect(["bootstrap", "dotnet-api-staging", "upload-pipeline-prod"].map(environmentOf)).toEqual(["bootstrap", "staging", "prod"]);
  });
});
