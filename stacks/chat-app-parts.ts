/** What the chat-app stack shares with its ECS and EKS parts: the system's constants and the resources both wire to. */
import type { ChatAppSettings, ChatServiceName } from "../environments";
import type { IConnectable, IGrantee } from "../modules/core";
import type { KmsKey } from "../modules/kms-key";
import type { Vpc } from "../modules/vpc";
import type { Database } from "../modules/rds";
import type { DocumentDb } from "../modules/documentdb";
import type { ManagedKafka } from "../modules/kafka";
import type { S3Bucket } from "../modules/s3-bucket";
import type { S3Distribution } from "../modules/cloudfront";
import type { RedisClusterOnEc2 } from "../modules/redis-cluster";
import type { WebAcl } from "../modules/waf";
import type { EcrRepository } from "../modules/ecr";
import type { GithubDeployRole } from "../modules/github-oidc";
import type { AlarmTopic } from "../modules/observability";
import type { SystemStack } from "./system-stack";

export const SYSTEM = "chat-app";
export const SERVICE_PORT = 8080;

/** Which data stores each service uses (G5: a store accepts only the services listed here). */
export const USES: Readonly<Record<ChatServiceName, { postgres?: boolean; documentDb?: boolean; kafka?: boolean; attachments?: boolean }>> = {
  "api-gateway": {},
  "auth-service": { postgres: true },
  "user-service": { postgres: true, attachments: true },
  "chat-service": { documentDb: true, kafka: true, attachments: true },
  "notification-service": { kafka: true },
};

export interface ChatAppParts {
  readonly stack: SystemStack;
  readonly cfg: ChatAppSettings;
  readonly prefix: string;
  readonly key: KmsKey;
  readonly network: Vpc;
  readonly repositories: Readonly<Record<ChatServiceName, EcrRepository>>;
  readonly topic: AlarmTopic;
  /** The regional web ACL, attached to what is given (the ALB on ECS; nothing on EKS, where the ingress attaches it). */
  readonly firewall: (associateWith: string[]) => WebAcl;
  readonly database: Database;
  readonly documentDb: DocumentDb;
  readonly kafka: ManagedKafka;
  readonly redis: RedisClusterOnEc2;
  readonly attachments: S3Bucket;
  readonly cdn: S3Distribution;
  /** Lets a client (a service, or the EKS cluster's pods) reach the data stores its service uses. */
  readonly allow: (client: IConnectable, name: ChatServiceName) => void;
  /** Grants what a service's application calls (Kafka, attachments). */
  readonly grantUses: (grantee: IGrantee, name: ChatServiceName) => void;
  /** Grants the secrets a pod reads through IRSA. */
  readonly grantSecrets: (grantee: IGrantee, name: ChatServiceName) => void;
}

/** What a compute part gives back to the stack: outputs and the deploy role. */
export interface ComputeResult {
  readonly outputs: Record<string, string>;
  readonly deployRole: GithubDeployRole;
}
