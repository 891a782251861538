import { TerraformOutput } from "cdktf";
import { EcrRepository, EcrRepositoryProps } from "../../modules/ecr";
import { EcrRepository as EcrRepositoryResource } from "@cdktf/provider-aws/lib/ecr-repository";
import { only, synthWith } from "../support/synth";

const base: EcrRepositoryProps = { name: "alerting-platform/rule-service" };

function lifecycleRules(s: ReturnType<typeof synthWith>): any[] {
  return JSON.parse(only(s, "aws_ecr_lifecycle_policy").policy).rules;
}

describe("EcrRepository", () => {
  describe("with defaults", () => {
    const s = synthWith((scope) => {
      const repo = new EcrRepository(scope, "RuleService", base);
      // Outputs resolve the module's properties to the Terraform expressions they stand for.
      new TerraformOutput(scope, "url", { value: repo.repositoryUrl });
      new TerraformOutput(scope, "arn", { value: repo.repositoryArn });
      new TerraformOutput(scope, "name", { value: repo.repositoryName });
    });

    it("AP11: creates the repository under its full name", () => {
      expect(only(s, "aws_ecr_repository").name).toBe("alerting-platform/rule-service");
      expect(s.parsed.output?.url.value).toMatch(/^\$\{aws_ecr_repository\.\w+\.repository_url\}$/);
      expect(s.parsed.output?.arn.value).toMatch(/^\$\{aws_ecr_repository\.\w+\.arn\}$/);
      expect(s.parsed.output?.name.value).toMatch(/^\$\{aws_ecr_repository\.\w+\.name\}$/);
    });

    it("G6: encrypts with KMS (the AWS-managed key when none is given)", () => {
      expect(only(s, "aws_ecr_repository").encryption_configuration).toEqual([{ encryption_type: "KMS" }]);
    });

    it("scans on push and refuses tag overwrites", () => {
      expect(s.json).toHaveResourceWithProperties(EcrRepositoryResource, {
        image_scanning_configuration: { scan_on_push: true },
        image_tag_mutability: "IMMUTABLE",
      });
    });

    it("keeps images on destroy and has no prevent_destroy", () => {
      const r = only(s, "aws_ecr_repository");
      expect(r.force_delete).toBe(false);
      expect(r.lifecycle.prevent_destroy).toBe(false);
    });

    it("expires untagged images after 7 days and keeps the last 30", () => {
      const rules = lifecycleRules(s);
      expect(rules[0]).toMatchObject({ rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 } });
      expect(rules[1]).toMatchObject({ rulePriority: 2, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 } });
    });
  });

  describe("with every option set", () => {
    const s = synthWith((scope) =>
      new EcrRepository(scope, "Api", {
        name: "dotnet-api-prod-api",
        scanOnPush: false,
        immutableTags: false,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        keepLastImages: 100,
        forceDelete: true,
        preventDestroy: true,
      }),
    );

    it("uses the customer key", () => {
      expect(only(s, "aws_ecr_repository").encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: "arn:aws:kms:eu-west-1:123456789012:key/abc" }]);
    });

    it("turns scanning and immutability off when asked", () => {
      expect(s.json).toHaveResourceWithProperties(EcrRepositoryResource, { image_scanning_configuration: { scan_on_push: false }, image_tag_mutability: "MUTABLE" });
    });

    it("keeps the given number of images", () => {
      expect(lifecycleRules(s)[1].selection.countNumber).toBe(100);
    });

    it("carries force_delete and prevent_destroy", () => {
      const r = only(s, "aws_ecr_repository");
      expect(r.force_delete).toBe(true);
      expect(r.lifecycle.prevent_destroy).toBe(true);
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<EcrRepositoryProps>) => () => synthWith((scope) => new EcrRepository(scope, "Repo", { ...base, ...props }));

    it("upper-case letters in the name", () => {
      expect(build({ name: "Alerting/Rule" })).toThrow(/test\/Repo: name = "Alerting\/Rule" is not allowed; expected lowercase letters and digits/);
    });
    it("a name with doubled separators", () => {
      expect(build({ name: "alerting//rule" })).toThrow(/name = "alerting\/\/rule" is not allowed/);
    });
    it("a name starting with a separator", () => {
      expect(build({ name: "-rule" })).toThrow(/name = "-rule" is not allowed/);
    });
    it("a name longer than 256 characters", () => {
      const long = "a".repeat(257);
      expect(build({ name: long })).toThrow(/name = "a+" .* 2 to 256 characters \(got 257\)/);
    });
    it("a one-character name", () => {
      expect(build({ name: "a" })).toThrow(/name = "a" .* 2 to 256 characters/);
    });
    it("keeping no images", () => {
      expect(build({ keepLastImages: 0 })).toThrow(/keepLastImages = 0 .* from 1 to 1000/);
    });
    it("keeping more than 1000 images", () => {
      expect(build({ keepLastImages: 1001 })).toThrow(/keepLastImages = 1001 .* from 1 to 1000/);
    });
    it("a key that is not a KMS ARN", () => {
      expect(build({ kmsKeyArn: "alias/ecr" })).toThrow(/kmsKeyArn = "alias\/ecr" .* ARN of the kms service/);
    });
  });
});
