/**
 * Typed endpoints and secret fields: what a client needs to reach a data store, and how an ECS task names one key of
 * a JSON secret, without building strings by hand.
 */
import type { IGrantee, PolicyStatement } from "./iam";
import { grant, keyStatements } from "./grants";

/** Where a data store listens. `url(scheme)` renders "<scheme>://<host>:<port>". */
export interface Endpoint {
  readonly hostname: string;
  readonly port: number;
  /** "<host>:<port>", what most clients take as one setting. */
  readonly address: string;
}

export function endpoint(hostname: string, port: number): Endpoint {
  return { hostname, port, address: `${hostname}:${port}` };
}

/** A Secrets Manager secret a module owns (e.g. RDS's managed master secret). */
export interface ISecret {
  readonly secretArn: string;
  /** ECS `secrets[].valueFrom` for one key of the JSON value: `<arn>:<key>::`. */
  field(jsonKey: string): string;
  /** Read the value (and decrypt it with its key). */
  grantRead(grantee: IGrantee): PolicyStatement[];
}

/** `<arn>:<key>::`, the form ECS injects one JSON key of a secret from. */
export function secretField(secretArn: string, jsonKey: string): string {
  return `${secretArn}:${jsonKey}::`;
}

/** A secret another module created (a managed master secret, an AUTH token), by ARN and encryption key. */
export class SecretReference implements ISecret {
  constructor(readonly secretArn: string, private readonly kmsKeyArn?: string) {}

  field(jsonKey: string): string {
    return secretField(this.secretArn, jsonKey);
  }

  grantRead(grantee: IGrantee): PolicyStatement[] {
    return grant(grantee, [
      { actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], resources: [this.secretArn] },
      ...keyStatements(this.kmsKeyArn, "decrypt"),
    ]);
  }
}
