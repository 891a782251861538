import { environments, loadEnvironment } from "../../environments";
import { validateEnvironment } from "../../environments/validate";
import { closestKey, editDistance } from "../../environments/shape";
import { ConfigError } from "../../modules/core/errors";
import type { Environment } from "../../environments";

/** What validating `env` throws, as a ConfigError (fails the test when nothing is thrown). */
function refusal(env: unknown): ConfigError {
  try {
    validateEnvironment(env as Environment, "environments/dev.ts");
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("environment schema", () => {
  const dev = environments.dev;

  it("refuses a misspelled system key in one line naming the closest known key", () => {
    const { tvmazeIngestion, ...others } = dev.systems;
    const error = refusal({ ...dev, systems: { ...others, tvmazeIngeston: tvmazeIngestion } });
    expect(error.setting).toBe("systems.tvmazeIngeston");
    expect(error.allowed).toBe('unknown key; did you mean "tvmazeIngestion"?');
    expect(error.message.split("\n")).toHaveLength(1);
    expect(error.message.startsWith("environments/dev.ts: systems.tvmazeIngeston = {")).toBe(true);
  });

  it("refuses an unknown field in a system in one line naming the key", () => {
    const error = refusal({ ...dev, systems: { ...dev.systems, alertingPlatform: { ...dev.systems.alertingPlatform, vpcCidrs: "10.1.0.0/16" } } });
    expect(error.message).toBe('environments/dev.ts: systems.alertingPlatform.vpcCidrs = "10.1.0.0/16" is not allowed; unknown key; did you mean "vpcCidr"?');
  });

  it("refuses an unknown top-level field and lists the known keys when none is close", () => {
    const error = refusal({ ...dev, zzz: 1 });
    expect(error.setting).toBe("zzz");
    expect(error.allowed).toMatch(/^unknown key; expected one of name, project, region, accountId, backend, safety/);
  });

  it("refuses a key of the other database kind inside a discriminated choice", () => {
    const database = { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 4, instances: 1, multiAz: true };
    const error = refusal({ ...dev, systems: { ...dev.systems, dotnetApi: { ...dev.systems.dotnetApi, database } } });
    expect(error.setting).toBe("systems.dotnetApi.database.multiAz");
    expect(error.allowed).toBe("unknown key; expected one of kind, minAcu, maxAcu, instances");
  });

  it("refuses a setting of the wrong type, saying what was expected", () => {
    const error = refusal({ ...dev, safety: { ...dev.safety, preventDestroy: "yes" } });
    expect(error.message).toBe('environments/dev.ts: safety.preventDestroy = "yes" is not allowed; expected boolean, received string');
  });

  it("refuses a removed setting (alertingPlatform.kafka.storageGiB: the broker's storage is EFS)", () => {
    const kafka = { ...dev.systems.alertingPlatform.kafka, storageGiB: 10 };
    const error = refusal({ ...dev, systems: { ...dev.systems, alertingPlatform: { ...dev.systems.alertingPlatform, kafka } } });
    expect(error.setting).toBe("systems.alertingPlatform.kafka.storageGiB");
  });

  it("refuses an account id that is not 12 digits", () => {
    expect(refusal({ ...dev, accountId: "1234" }).allowed).toBe("expected a 12-digit AWS account id");
  });

  it("accepts every environment file as it is", () => {
    for (const name of ["dev", "staging", "prod"]) expect(loadEnvironment(name)).toBe(environments[name as keyof typeof environments]);
  });
});

describe("closest key", () => {
  it("measures edits", () => {
    expect(editDistance("tvmazeIngeston", "tvmazeIngestion")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });
  it("suggests only a close key", () => {
    expect(closestKey("VpcCidr", ["vpcCidr", "azCount"])).toBe("vpcCidr");
    expect(closestKey("zzz", ["vpcCidr", "azCount"])).toBeUndefined();
  });
});
