import "vitest";

/** A provider class such as `S3Bucket` from "@cdktf/provider-aws/lib/s3-bucket" (the matchers read its tfResourceType). */
type TerraformConstructor = { readonly tfResourceType: string };

interface CdktfMatchers<R = unknown> {
  toHaveResource(resourceType: TerraformConstructor): R;
  toHaveResourceWithProperties(resourceType: TerraformConstructor, properties: Record<string, unknown>): R;
  toHaveDataSource(dataSourceType: TerraformConstructor): R;
  toHaveDataSourceWithProperties(dataSourceType: TerraformConstructor, properties: Record<string, unknown>): R;
  toHaveProvider(providerType: TerraformConstructor): R;
  toHaveProviderWithProperties(providerType: TerraformConstructor, properties: Record<string, unknown>): R;
  toBeValidTerraform(): R;
  toPlanSuccessfully(): R;
}

declare module "vitest" {
  interface Assertion<T = any> extends CdktfMatchers<T> {}
  interface AsymmetricMatchersContaining extends CdktfMatchers {}
}
