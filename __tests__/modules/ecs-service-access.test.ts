import { EcsService } from "../../modules/ecs-service";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { only, synthWith } from "../support/synth";
import { allowedActions, decodeJsonencode, statementsOfPolicy } from "../support/stacks";
import { base, build, container, policyOf } from "./ecs-service.fixture";

// What a service's task reaches: plain and secret environment, its image's registry, task permissions, EFS volumes
// and the X-Ray sidecar.
describe("EcsService", () => {
  describe("with environment, secrets and a secrets key", () => {
    const secretsKmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { s } = build({
      environment: { SPRING_PROFILES_ACTIVE: "dev", DB_PASSWORD_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db" },
      secrets: {
        DB_PASSWORD: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:alerting-db-AbC123:password::",
        KAFKA_BOOTSTRAP: "arn:aws:ssm:eu-west-1:123456789012:parameter/alerting/dev/kafka-bootstrap",
        API_TOKEN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-token",
      },
      secretsKmsKeyArn,
    });

    it("G7: passes secrets by reference, sorted, and plain variables as values", () => {
      const c = container(s);
      expect(c).toContain("\"secrets\" = [{\"name\" = \"API_TOKEN\"");
      expect(c).toContain("{\"name\" = \"DB_PASSWORD\", \"valueFrom\" = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:alerting-db-AbC123:password::\"}");
      expect(c).toContain("{\"name\" = \"SPRING_PROFILES_ACTIVE\", \"value\" = \"dev\"}");
    });

    it("lets the execution role read exactly those secrets and decrypt with the key", () => {
      const statements = statementsOfPolicy(policyOf(s, "Execution")!);
      const bySid = (sid: string) => statements.find((st) => st.Sid === sid);
      expect(bySid("ReadParameters")).toMatchObject({ Action: ["ssm:GetParameters"], Resource: ["arn:aws:ssm:eu-west-1:123456789012:parameter/alerting/dev/kafka-bootstrap"] });
      expect(bySid("ReadSecrets")).toMatchObject({
        Action: ["secretsmanager:GetSecretValue"],
        Resource: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:alerting-db-AbC123", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-token", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-token-??????"],
      });
      expect(bySid("DecryptSecrets")).toMatchObject({ Action: ["kms:Decrypt"], Resource: [secretsKmsKeyArn] });
    });
  });

  describe("with an image and secrets from references", () => {
    const s = synthWith((scope) => {
      const repo = new EcrRepository(scope, "Repo", { name: "rule-service" });
      new EcsService(scope, "RuleService", { ...base, image: `${repo.repositoryUrl}:latest`, secrets: { DB_PASSWORD: `${repo.arn}:password::` } });
    });

    it("derives the repository ARN from the repository URL at plan time, falling back to *", () => {
      const pull = statementsOfPolicy(policyOf(s, "Execution")!).find((st) => st.Sid === "EcrPull");
      expect(pull?.Resource).toEqual([expect.stringMatching(/^<ref:try\(format\("arn:%s:ecr:%s:%s:repository\/%s", data\.aws_partition\.\w+\.partition, element\(regex\("\^\(\[0-9\]\{12\}\)\[\.\]dkr.*aws_ecr_repository\.Repo\.repository_url\), 1\).*"\*"\)>$/)]);
    });

    it("grants on the secret itself, without the JSON key", () => {
      expect(statementsOfPolicy(policyOf(s, "Execution")!).find((st) => st.Sid === "ReadSecrets")).toMatchObject({ Action: ["secretsmanager:GetSecretValue"], Resource: ["<ref:aws_ecr_repository.Repo.arn>"] });
    });

    it("reads a referenced secret's JSON key through Secrets Manager only (SSM parameters have no JSON keys)", () => {
      expect(statementsOfPolicy(policyOf(s, "Execution")!).map((st) => st.Sid)).not.toContain("ReadParameters");
    });
  });

  describe("with an image from another registry", () => {
    const { s } = build({ image: "apache/kafka:3.9.0" });
    it("grants no ECR access at all", () => {
      expect(allowedActions(statementsOfPolicy(policyOf(s, "Execution")!)).filter((a) => a.startsWith("ecr:"))).toEqual([]);
    });
  });

  describe("with task permissions and X-Ray", () => {
    const { s } = build({ xrayTracing: true, taskPolicyStatements: [{ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:eu-west-1:123456789012:jobs"] }] });
    it("gives the task role exactly the given statements plus trace writing", () => {
      const task = statementsOfPolicy(policyOf(s, "Task")!);
      expect(task.map((st) => [st.Action, st.Resource])).toEqual([
        [["sqs:SendMessage"], ["arn:aws:sqs:eu-west-1:123456789012:jobs"]],
        [expect.arrayContaining(["xray:PutTraceSegments"]), ["*"]],
      ]);
      expect(allowedActions(statementsOfPolicy(policyOf(s, "Execution")!)).filter((a) => a.startsWith("xray:"))).toEqual([]);
    });
  });

  describe("TV6: with EFS volumes", () => {
    const fsId = "fs-0123456789abcdef0";
    const apId = "fsap-0123456789abcdef0";
    const { s } = build({
      efsVolumes: [
        { name: "shared", fileSystemId: fsId, accessPointId: apId, containerPath: "/mnt/shared" },
        { name: "reference-data", fileSystemId: "fs-00000000000000001", containerPath: "/mnt/reference", readOnly: true },
      ],
    });
    const definitions = () => decodeJsonencode(container(s));
    const taskStatements = () => decodeJsonencode(policyOf(s, "Task")!).Statement as any[];

    it("TV6: adds each file system as a task volume with TLS in transit and IAM authorization, next to /tmp", () => {
      const td = only(s, "aws_ecs_task_definition");
      expect(td.volume).toEqual([
        { name: "tmp" },
        {
          name: "shared",
          efs_volume_configuration: { file_system_id: fsId, root_directory: "/", transit_encryption: "ENABLED", authorization_config: { iam: "ENABLED", access_point_id: apId } },
        },
        {
          name: "reference-data",
          efs_volume_configuration: { file_system_id: "fs-00000000000000001", root_directory: "/", transit_encryption: "ENABLED", authorization_config: { iam: "ENABLED" } },
        },
      ]);
    });

    it("TV6: mounts them in the app container, read-only where asked", () => {
      expect(definitions()[0].mountPoints).toEqual([
        { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
        { sourceVolume: "shared", containerPath: "/mnt/shared", readOnly: false },
        { sourceVolume: "reference-data", containerPath: "/mnt/reference", readOnly: true },
      ]);
    });

    it("TV6: lets the task role mount exactly those file systems, through the access point when given, writing only where allowed", () => {
      const [shared, reference] = taskStatements();
      expect(shared).toEqual({
        Sid: "EfsMountShared",
        Effect: "Allow",
        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        Resource: [expect.stringMatching(/^arn:\$\{data\.aws_partition\.\w+\.partition\}:elasticfilesystem:\$\{data\.aws_region\.\w+\.name\}:\$\{data\.aws_caller_identity\.\w+\.account_id\}:file-system\/fs-0123456789abcdef0$/)],
        Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": expect.stringMatching(/:elasticfilesystem:.*:access-point\/fsap-0123456789abcdef0$/) } },
      });
      expect(reference.Sid).toBe("EfsMountReferenceData");
      expect(reference.Action).toEqual(["elasticfilesystem:ClientMount"]);
      expect(reference.Resource[0]).toMatch(/:file-system\/fs-00000000000000001$/);
      expect(reference.Condition).toBeUndefined();
    });

    it("TV6: runs Fargate on LATEST (EFS needs platform version 1.4 or later)", () => {
      expect(only(s, "aws_ecs_service").platform_version).toBe("LATEST");
    });
  });

  describe("without EFS volumes", () => {
    const { s } = build();
    it("has only the /tmp volume and grants no file system access", () => {
      expect(only(s, "aws_ecs_task_definition").volume).toEqual([{ name: "tmp" }]);
      expect(policyOf(s, "Task")).toBeUndefined();
    });
  });

  describe("TV8: with X-Ray tracing", () => {
    const { s } = build({ containerPort: 8080, cpu: 512, memoryMiB: 1024, xrayTracing: true, environment: { LOG_LEVEL: "info" } });
    const definitions = () => decodeJsonencode(container(s)) as any[];

    it("TV8: runs an xray-daemon sidecar that the task does not depend on", () => {
      const daemon = definitions().find((c) => c.name === "xray-daemon");
      expect(daemon).toMatchObject({
        image: "public.ecr.aws/xray/aws-xray-daemon:3.3.14",
        essential: false,
        cpu: 32,
        memoryReservation: 64,
        readonlyRootFilesystem: true,
        portMappings: [{ containerPort: 2000, hostPort: 2000, protocol: "udp" }],
      });
      expect(definitions().map((c) => c.name)).toEqual(["app", "xray-daemon"]);
    });

    it("TV8: logs the daemon to the service's log group under the \"xray\" stream prefix", () => {
      const [app, daemon] = definitions();
      expect(daemon.logConfiguration.logDriver).toBe("awslogs");
      expect(daemon.logConfiguration.options["awslogs-group"]).toBe(app.logConfiguration.options["awslogs-group"]);
      expect(daemon.logConfiguration.options["awslogs-group"]).toMatch(/^<ref:aws_cloudwatch_log_group\.RuleService_LogGroup_\w+\.name>$/);
      expect(daemon.logConfiguration.options["awslogs-stream-prefix"]).toBe("xray");
      expect(app.logConfiguration.options["awslogs-stream-prefix"]).toBe("ecs");
    });

    it("TV8: points the app's X-Ray SDK at the daemon, among its sorted variables", () => {
      expect(definitions()[0].environment).toEqual([
        { name: "AWS_XRAY_DAEMON_ADDRESS", value: "127.0.0.1:2000" },
        { name: "LOG_LEVEL", value: "info" },
      ]);
    });

    it("TV8: keeps the containers' CPU within the task's (the daemon's share comes from the app)", () => {
      const cpus = definitions().map((c) => c.cpu);
      expect(cpus).toEqual([480, 32]);
      expect(cpus[0] + cpus[1]).toBe(Number(only(s, "aws_ecs_task_definition").cpu));
    });

    it("TV8: lets the task role write traces", () => {
      const xray = decodeJsonencode(policyOf(s, "Task")!).Statement.find((x: any) => x.Sid === "XRayTraces");
      expect(xray.Action).toEqual(expect.arrayContaining(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]));
    });
  });

  describe("without X-Ray tracing", () => {
    const { s } = build();
    it("runs the app container alone, with the whole task's CPU and no daemon address", () => {
      const definitions = decodeJsonencode(container(s)) as any[];
      expect(definitions.map((c) => c.name)).toEqual(["app"]);
      expect(definitions[0].cpu).toBe(256);
      expect(container(s)).not.toContain("AWS_XRAY_DAEMON_ADDRESS");
    });
  });
});
