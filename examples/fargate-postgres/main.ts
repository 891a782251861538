/**
 * A platform team's stack in another repository: a VPC, a Fargate service and the PostgreSQL database it uses,
 * importing the modules by package name (`npm install aws-platform-cdktf`). Synthesize with
 * `npx tsx main.ts` (cdktf.json's "app" in a real project).
 */
import { App, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { allowFrom } from "aws-platform-cdktf/core";
import { Vpc } from "aws-platform-cdktf/vpc";
import { EcsCluster } from "aws-platform-cdktf/ecs-cluster";
import { EcsService } from "aws-platform-cdktf/ecs-service";
import { Database } from "aws-platform-cdktf/rds";

class OrdersStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1", defaultTags: [{ tags: { System: "orders", Environment: "dev" } }] });
    new LocalBackend(this, { path: "terraform.tfstate" });

    const network = new Vpc(this, "Network", { name: "orders-dev", cidr: "10.40.0.0/16", natGateways: "single" });
    const cluster = new EcsCluster(this, "Cluster", { name: "orders-dev", network, capacity: { kind: "fargate" }, logRetentionDays: 7 });
    const database = new Database(this, "Database", { name: "orders-dev-db", network, deletionProtection: false, skipFinalSnapshot: true });

    const api = new EcsService(this, "Api", {
      name: "orders-dev-api",
      cluster,
      network,
      image: "public.ecr.aws/nginx/nginx:1.27",
      cpu: 256,
      memoryMiB: 512,
      containerPort: 8080,
      logRetentionDays: 7,
      environment: { DB_HOST: database.endpoint.hostname, DB_PORT: String(database.endpoint.port) },
      // The execution role may read exactly these keys of the RDS-managed secret.
      secrets: { DB_USERNAME: database.secret.field("username"), DB_PASSWORD: database.secret.field("password") },
    });
    allowFrom(database, api, database.port);

    new TerraformOutput(this, "database_endpoint", { value: database.endpoint.address });
    new TerraformOutput(this, "service_name", { value: api.serviceName });
  }
}

const app = new App();
new OrdersStack(app, "orders-dev");
app.synth();
