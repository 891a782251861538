/**
 * What every system stack shares, checked once over systems x environments: state in the S3 backend with a
 * DynamoDB lock (G2), default tags on every provider (G3), the provider constraint, the account guard.
 */
import { environments, ENVIRONMENT_NAMES } from "../../environments";
import { SYSTEMS } from "../../stacks";
import { synthesizedInBeforeAll } from "../support/stacks";

const CASES = SYSTEMS.flatMap((system) => ENVIRONMENT_NAMES.map((env) => [system.name, env] as const));

describe.each(CASES)("%s-%s", (system, env) => {
  const s = synthesizedInBeforeAll(system, env);
  const settings = environments[env];

  it(`G2: keeps state in the S3 backend under ${system}/${env} with encryption and a DynamoDB lock`, () => {
    expect(s.parsed.terraform.backend).toEqual({
      s3: expect.objectContaining({
        key: `${system}/${env}/terraform.tfstate`,
        encrypt: true,
        bucket: settings.backend.bucket,
        dynamodb_table: settings.backend.lockTable,
        region: settings.backend.region,
      }),
    });
  });

  it("G3: every aws provider (the default and any regional one) tags with Project, System, Environment and ManagedBy", () => {
    const providers: { alias?: string; region: string; default_tags: { tags: Record<string, string> }[]; allowed_account_ids?: string[] }[] = s.parsed.provider.aws;
    expect(providers[0].alias).toBeUndefined();
    expect(providers[0].region).toBe(settings.region);
    for (const p of providers) {
      expect(p.default_tags).toEqual([{ tags: expect.objectContaining({ Project: settings.project, System: system, Environment: env, ManagedBy: "cdktf" }) }]);
      expect(p.default_tags).toEqual(providers[0].default_tags);
      expect(p.allowed_account_ids).toEqual(providers[0].allowed_account_ids);
    }
  });

  it("pins the aws provider to ~> 5.100 rather than an exact version", () => {
    expect(s.parsed.terraform.required_providers.aws.version).toBe("~> 5.100");
  });
});
