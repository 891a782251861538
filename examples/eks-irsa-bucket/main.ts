/**
 * A platform team's stack in another repository: an EKS cluster, an IRSA role for one workload, and a bucket that
 * workload may read, granted in aws-cdk's vocabulary. Imports the modules by package name.
 */
import { App, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "aws-platform-cdktf/vpc";
import { EksCluster } from "aws-platform-cdktf/eks";
import { KmsKey } from "aws-platform-cdktf/kms-key";
import { S3Bucket } from "aws-platform-cdktf/s3-bucket";

class ReportsStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1", defaultTags: [{ tags: { System: "reports", Environment: "dev" } }] });
    new LocalBackend(this, { path: "terraform.tfstate" });

    const network = new Vpc(this, "Network", { name: "reports-dev", cidr: "10.50.0.0/16", natGateways: "single" });
    const key = new KmsKey(this, "Key", { name: "reports-dev", description: "reports-dev: bucket and cluster secrets" });
    const cluster = new EksCluster(this, "Cluster", {
      name: "reports-dev",
      network,
      nodeGroups: [{ name: "general", instanceTypes: ["t3.medium"], minSize: 1, desiredSize: 1, maxSize: 2 }],
      logRetentionDays: 7,
    });
    const renderer = cluster.serviceAccountRole("RendererRole", { name: "reports-dev-renderer", namespace: "reports", serviceAccount: "renderer" });
    const bucket = new S3Bucket(this, "Reports", { bucketName: "reports-dev-output", kmsKeyArn: key.keyArn, forceDestroy: true });
    // Read the objects and list the bucket, and decrypt with its key: no IAM action strings here.
    bucket.grantRead(renderer);

    new TerraformOutput(this, "renderer_role_arn", { value: renderer.roleArn });
    new TerraformOutput(this, "bucket_name", { value: bucket.bucketName });
  }
}

const app = new App();
new ReportsStack(app, "reports-dev");
app.synth();
