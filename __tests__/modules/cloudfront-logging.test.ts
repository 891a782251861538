/** Issue 10 item 3: CloudFront standard logging v2 (CloudWatch Logs delivery in us-east-1). */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Distribution } from "../../modules/cloudfront";
import { resources, synthWith } from "../support/synth";
import { decodeJsonencode } from "../support/stacks";

const BUCKET = { bucketName: "chat-app-prod-attachments", bucketArn: "arn:aws:s3:::chat-app-prod-attachments", bucketRegionalDomainName: "chat-app-prod-attachments.s3.eu-west-1.amazonaws.com" };
const KEY = "arn:aws:kms:us-east-1:123456789012:key/abc";

describe("S3Distribution standardLogging (issue 10 item 3)", () => {
  const build = (retentionDays: number, kmsKeyArn?: string) => synthWith((scope) => {
    const edge = new AwsProvider(scope, "edge", { alias: "us_east_1", region: "us-east-1" });
    new S3Distribution(scope, "Cdn", { name: "chat-app-prod-cdn", bucket: BUCKET, standardLogging: { provider: edge, retentionDays, ...(kmsKeyArn ? { kmsKeyArn } : {}) } });
  });
  const s = build(365, KEY);
  const one = (type: string): any => {
    const all = Object.values(resources(s, type));
    expect(all, type).toHaveLength(1);
    return all[0];
  };

  it("issue 10 item 3: delivers the distribution's access logs (JSON) to its own encrypted log group, all in us-east-1", () => {
    const group = one("aws_cloudwatch_log_group");
    expect([group.name, group.retention_in_days, group.kms_key_id, group.provider]).toEqual(["/aws/vendedlogs/cloudfront/chat-app-prod-cdn", 365, KEY, "aws.us_east_1"]);
    const source = one("aws_cloudwatch_log_delivery_source");
    expect([source.log_type, source.resource_arn, source.provider]).toEqual(["ACCESS_LOGS", expect.stringMatching(/^\$\{aws_cloudfront_distribution\.Cdn_Distribution_\w+\.arn\}$/), "aws.us_east_1"]);
    const destination = one("aws_cloudwatch_log_delivery_destination");
    expect([destination.output_format, destination.delivery_destination_configuration, destination.provider]).toEqual([
      "json", [{ destination_resource_arn: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.Cdn_AccessLogGroup_\w+\.arn\}$/) }], "aws.us_east_1",
    ]);
    const delivery = one("aws_cloudwatch_log_delivery");
    expect([delivery.delivery_source_name, delivery.delivery_destination_arn, delivery.provider]).toEqual([
      expect.stringMatching(/LogDeliverySource_\w+\.name/), expect.stringMatching(/LogDeliveryDestination_\w+\.arn/), "aws.us_east_1",
    ]);
  });

  it("issue 10 item 3: the log group's resource policy admits log delivery only for this account and this delivery source", () => {
    const doc = decodeJsonencode(one("aws_cloudwatch_log_resource_policy").policy_document) as { Statement: any[] };
    expect(doc.Statement).toEqual([expect.objectContaining({
      Effect: "Allow", Principal: { Service: "delivery.logs.amazonaws.com" }, Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Condition: { StringEquals: { "aws:SourceAccount": expect.stringContaining("data.aws_caller_identity") }, ArnLike: { "aws:SourceArn": expect.stringContaining("aws_cloudwatch_log_delivery_source") } },
    })]);
    expect(one("aws_cloudwatch_log_delivery").depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_resource_policy\./)]);
  });

  it("refuses a retention CloudWatch Logs does not offer, or a key that is not a KMS ARN", () => {
    expect(() => build(10)).toThrow(/standardLogging\.retentionDays = 10 is not allowed/);
    expect(() => build(365, "alias/x")).toThrow(/standardLogging\.kmsKeyArn = "alias\/x" is not allowed; expected an ARN of the kms service/);
  });
});
