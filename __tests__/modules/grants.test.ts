/**
 * The grant model: every resource module's grant* methods add (action, resource) pairs to a grantee, a grant on an
 * encrypted resource covers its key, and roles render what they were granted into their one inline policy.
 */
import { Construct } from "constructs";
import { createRole, INetwork, PolicyStatement, serviceTrustPolicy } from "../../modules/core";
import { S3Bucket } from "../../modules/s3-bucket";
import { Queue } from "../../modules/sqs";
import { Parameter, Secret } from "../../modules/secrets";
import { KmsKey } from "../../modules/kms-key";
import { Redis } from "../../modules/redis";
import { ManagedKafka } from "../../modules/kafka";
import { FileSystem } from "../../modules/efs";
import { EcrRepository } from "../../modules/ecr";
import { Database } from "../../modules/rds";
import { EcsService } from "../../modules/ecs-service";
import { EksCluster } from "../../modules/eks";
import { grantee, only, resources, synthWith, RecordingGrantee } from "../support/synth";
import { decodeJsonencode } from "../support/stacks";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const network: INetwork = {
  vpcId: "vpc-1",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  privateSubnetIds: ["subnet-d", "subnet-e", "subnet-f"],
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
};

/** Every (action, resource) pair the statements allow, "action resource", sorted. */
function pairs(statements: readonly PolicyStatement[]): string[] {
  return statements.flatMap((s) => s.actions.flatMap((a) => s.resources.map((r) => `${a} ${r}`))).sort();
}

/** Builds `create` in a synthesized scope; returns what it granted to a recording grantee, and what it built. */
function built<T>(create: (scope: Construct, g: RecordingGrantee) => T): [string[], T] {
  const g = grantee();
  let made!: T;
  synthWith((scope) => {
    made = create(scope, g);
  });
  return [pairs(g.statements), made];
}
const granted = (create: (scope: Construct, g: RecordingGrantee) => unknown): string[] => built(create)[0];

describe("grants", () => {
  it("S3: grantRead / grantPut / grantWrite / grantReadWrite, each with the bucket's key", () => {
    let arn = "";
    const read = granted((scope, g) => {
      const b = new S3Bucket(scope, "B", { bucketName: "sys-dev-files", kmsKeyArn: KEY });
      arn = b.bucketArn;
      b.grantRead(g);
    });
    expect(read).toEqual([`kms:Decrypt ${KEY}`, `s3:GetObject ${arn}/*`, `s3:GetObjectVersion ${arn}/*`, `s3:ListBucket ${arn}`].sort());
    const bucket = (scope: Construct, kmsKeyArn?: string) => new S3Bucket(scope, "B", { bucketName: "sys-dev-files", kmsKeyArn });
    const [put, b1] = built((scope, g) => {
      const b = bucket(scope, KEY);
      b.grantPut(g, "incoming/*");
      return b;
    });
    expect(put).toEqual([`kms:Decrypt ${KEY}`, `kms:GenerateDataKey ${KEY}`, `s3:AbortMultipartUpload ${b1.bucketArn}/incoming/*`, `s3:PutObject ${b1.bucketArn}/incoming/*`].sort());
    const [write, b2] = built((scope, g) => {
      const b = bucket(scope);
      b.grantWrite(g);
      return b;
    });
    expect(write).toEqual([`s3:AbortMultipartUpload ${b2.bucketArn}/*`, `s3:DeleteObject ${b2.bucketArn}/*`, `s3:PutObject ${b2.bucketArn}/*`].sort());
    const [readWrite, b3] = built((scope, g) => {
      const b = bucket(scope, KEY);
      b.grantReadWrite(g);
      return b;
    });
    expect(readWrite).toEqual(expect.arrayContaining([`s3:DeleteObject ${b3.bucketArn}/*`, `s3:GetObject ${b3.bucketArn}/*`, `s3:ListBucket ${b3.bucketArn}`, `kms:GenerateDataKey ${KEY}`]));
  });

  it("SQS: grantSendMessages / grantConsumeMessages with the queue's key", () => {
    let q!: Queue;
    const send = granted((scope, g) => {
      q = new Queue(scope, "Q", { name: "sys-dev-jobs", kmsKeyArn: KEY });
      q.grantSendMessages(g);
    });
    expect(send).toEqual([`kms:Decrypt ${KEY}`, `kms:GenerateDataKey ${KEY}`, `sqs:GetQueueAttributes ${q.queueArn}`, `sqs:SendMessage ${q.queueArn}`].sort());
    const [consume, q2] = built((scope, g) => {
      const queue = new Queue(scope, "Q", { name: "sys-dev-jobs", kmsKeyArn: KEY });
      queue.grantConsumeMessages(g);
      return queue;
    });
    expect(consume).toEqual([`kms:Decrypt ${KEY}`, ...["ChangeMessageVisibility", "DeleteMessage", "GetQueueAttributes", "ReceiveMessage"].map((a) => `sqs:${a} ${q2.queueArn}`)].sort());
  });

  it("Secrets Manager and SSM: grantRead, with the key; field() names one JSON key", () => {
    let secret!: Secret;
    const read = granted((scope, g) => {
      secret = new Secret(scope, "S", { name: "sys/dev/api", description: "API key", kmsKeyArn: KEY, jsonKeys: ["username"] });
      secret.grantRead(g);
    });
    expect(read).toEqual([`kms:Decrypt ${KEY}`, `secretsmanager:DescribeSecret ${secret.secretArn}`, `secretsmanager:GetSecretValue ${secret.secretArn}`].sort());
    expect(secret.field("username")).toBe(`${secret.secretArn}:username::`);
    let p!: Parameter;
    const param = granted((scope, g) => {
      p = new Parameter(scope, "P", { name: "/sys/dev/endpoint", value: "db.internal" });
      p.grantRead(g);
    });
    expect(param).toEqual([`ssm:GetParameter ${p.parameterArn}`, `ssm:GetParameters ${p.parameterArn}`]);
  });

  it("KMS: grantDecrypt / grantEncryptDecrypt", () => {
    let key!: KmsKey;
    const both = granted((scope, g) => {
      key = new KmsKey(scope, "K", { name: "sys-dev", description: "test key" });
      key.grantEncryptDecrypt(g);
    });
    expect(both).toEqual([`kms:Decrypt ${key.keyArn}`, `kms:GenerateDataKey ${key.keyArn}`]);
    const [decrypt, k2] = built((scope, g) => {
      const k = new KmsKey(scope, "K", { name: "sys-dev", description: "test key" });
      k.grantDecrypt(g);
      return k;
    });
    expect(decrypt).toEqual([`kms:Decrypt ${k2.keyArn}`]);
  });

  it("ElastiCache: grantConnect on the replication group and the IAM user", () => {
    let redis!: Redis;
    const connect = granted((scope, g) => {
      redis = new Redis(scope, "Cache", { name: "sys-dev-cache", network, nodeType: "cache.t3.micro" });
      redis.grantConnect(g);
    });
    expect(connect).toHaveLength(2);
    expect(connect.every((p) => p.startsWith("elasticache:Connect "))).toBe(true);
    expect(connect[0].split(" ")[0]).toBe("elasticache:Connect");
    expect(redis.grantConnect(grantee())).toEqual([{ actions: ["elasticache:Connect"], resources: [expect.any(String), expect.any(String)] }]);
  });

  it("MSK: grantProduce writes, grantConsume reads and uses groups", () => {
    const produce = granted((scope, g) => new ManagedKafka(scope, "Msk", { name: "sys-dev-kafka", network }).grantProduce(g, "orders."));
    expect(produce.map((p) => p.split(" ")[0])).toEqual(["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:WriteDataIdempotently"]);
    expect(produce.find((p) => p.startsWith("kafka-cluster:WriteData "))).toMatch(/:topic\/"\)}\/orders\.\*$|\/orders\.\*$/);
    const consume = granted((scope, g) => new ManagedKafka(scope, "Msk", { name: "sys-dev-kafka", network }).grantConsume(g));
    expect(consume.map((p) => p.split(" ")[0])).toEqual(["kafka-cluster:AlterGroup", "kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:DescribeGroup", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]);
  });

  it("EFS: grantClientMount is read-only, grantClientWrite adds ClientWrite, through the access point", () => {
    let fs!: FileSystem;
    const g = grantee();
    synthWith((scope) => {
      fs = new FileSystem(scope, "Fs", { name: "sys-dev-shared", network, accessPoints: [{ name: "app", path: "/app", uid: 1000, gid: 1000 }] });
      fs.grantClientMount(g, "app");
    });
    expect(g.statements).toEqual([
      { sid: "MountFileSystemReadOnly", actions: ["elasticfilesystem:ClientMount"], resources: [fs.fileSystemArn], conditions: { StringEquals: { "elasticfilesystem:AccessPointArn": fs.accessPointArns.app } } },
    ]);
    const w = grantee();
    fs.grantClientWrite(w);
    expect(pairs(w.statements)).toEqual([`elasticfilesystem:ClientMount ${fs.fileSystemArn}`, `elasticfilesystem:ClientWrite ${fs.fileSystemArn}`]);
  });

  it("ECR: grantPull reads the repository, grantPush also uploads, both with the key", () => {
    let repo!: EcrRepository;
    const push = granted((scope, g) => {
      repo = new EcrRepository(scope, "R", { name: "sys/app", kmsKeyArn: KEY });
      repo.grantPush(g);
    });
    expect(push).toEqual(expect.arrayContaining([`ecr:GetAuthorizationToken *`, `ecr:BatchGetImage ${repo.repositoryArn}`, `ecr:PutImage ${repo.repositoryArn}`, `kms:GenerateDataKey ${KEY}`]));
    const pull = granted((scope, g) => new EcrRepository(scope, "R", { name: "sys/app" }).grantPull(g));
    expect(pull).not.toContain(`ecr:PutImage ${repo.repositoryArn}`);
  });

  it("RDS: grantConnect reads the managed secret, or connects as a database user with IAM", () => {
    let db!: Database;
    const secret = granted((scope, g) => {
      db = new Database(scope, "Db", { name: "sys-dev-db", network, kmsKeyArn: KEY });
      db.grantConnect(g);
    });
    expect(secret).toEqual([`kms:Decrypt ${KEY}`, `secretsmanager:DescribeSecret ${db.secretArn}`, `secretsmanager:GetSecretValue ${db.secretArn}`].sort());
    const g = grantee();
    const s = synthWith((scope) => new Database(scope, "Db", { name: "sys-dev-db", network }).grantConnect(g, "app_reader"));
    expect(g.statements).toHaveLength(1);
    expect(g.statements[0].actions).toEqual(["rds-db:connect"]);
    expect(g.statements[0].resources[0]).toMatch(/:dbuser:.*\/app_reader$/);
    expect(Object.keys(resources(s, "aws_db_instance"))).toHaveLength(1);
    expect(() => synthWith((scope) => new Database(scope, "Db", { name: "sys-dev-db", network, iamAuthentication: false }).grantConnect(grantee(), "app"))).toThrow(
      /grantConnect\(dbUser\) = "app" is not allowed; IAM database authentication is off/,
    );
  });
});

describe("grantees", () => {
  it("an ECS service takes grants on its task role, rendered into its one inline policy", () => {
    const s = synthWith((scope) => {
      const service = new EcsService(scope, "Api", {
        name: "sys-dev-api", network, image: "nginx:1", cpu: 256, memoryMiB: 512, logRetentionDays: 7,
        cluster: { clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/c", clusterName: "c", launchType: "FARGATE" },
      });
      const queue = new Queue(scope, "Q", { name: "sys-dev-jobs" });
      queue.grantSendMessages(service);
      queue.grantSendMessages(service); // the same grant twice is one statement
    });
    const policies = Object.values(resources(s, "aws_iam_role_policy"));
    const task = policies.find((p) => String(p.role).includes("TaskRole"));
    expect(decodeJsonencode(task.policy).Statement).toEqual([
      { Sid: "SendToQueue", Effect: "Allow", Action: ["sqs:SendMessage", "sqs:GetQueueAttributes"], Resource: [expect.stringMatching(/^<ref:aws_sqs_queue\.Q_Queue_[0-9A-F]+\.arn>$/)] },
    ]);
  });

  it("a role made without statements gets its policy on the first grant; a taken Sid is numbered", () => {
    let statements: readonly PolicyStatement[] = [];
    const s = synthWith((scope) => {
      const role = createRole(scope, "Role", { name: "r", description: "r", assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com") });
      expect(role.policy).toBeUndefined();
      new Queue(scope, "A", { name: "a" }).grantSendMessages(role);
      new Queue(scope, "B", { name: "b" }).grantSendMessages(role);
      expect(role.policy).toBeDefined();
      statements = role.statements;
    });
    expect(statements.map((x) => x.sid)).toEqual(["SendToQueue", "SendToQueue2"]);
    expect(only(s, "aws_iam_role_policy").name).toBe("least-privilege");
  });

  it("a grant repeated on a role is kept once, also when its Sid was numbered the first time", () => {
    let statements: readonly PolicyStatement[] = [];
    synthWith((scope) => {
      const role = createRole(scope, "Role", { name: "r", description: "r", assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com") });
      const [a, b] = [new Queue(scope, "A", { name: "a" }), new Queue(scope, "B", { name: "b" })];
      for (const queue of [a, b, a, b]) queue.grantSendMessages(role);
      statements = role.statements;
    });
    expect(statements.map((x) => x.sid)).toEqual(["SendToQueue", "SendToQueue2"]);
  });

  it("UP4: an IRSA role is a grantee", () => {
    const g = synthWith((scope) => {
      const cluster = new EksCluster(scope, "Cluster", { name: "sys-dev", network, nodeGroups: [{ name: "general", instanceTypes: ["t3.medium"], minSize: 1, desiredSize: 1, maxSize: 2 }], logRetentionDays: 7 });
      const role = cluster.serviceAccountRole("AppRole", { name: "sys-dev-app", namespace: "app", serviceAccount: "app" });
      new S3Bucket(scope, "B", { bucketName: "sys-dev-files" }).grantRead(role);
    });
    const policy = Object.values(resources(g, "aws_iam_role_policy")).find((p) => String(p.role).includes("AppRole"));
    expect(decodeJsonencode(policy.policy).Statement.map((x: { Action: string[] }) => x.Action)).toEqual([["s3:GetObject", "s3:GetObjectVersion"], ["s3:ListBucket"]]);
  });
});
