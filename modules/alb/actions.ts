/**
 * Listener-rule actions beyond a plain forward: weighted forwarding between target groups (a canary) and OIDC or
 * Cognito authentication ahead of the forward. Checked at synth; rendered as aws_lb_listener(_rule) actions.
 */
import { LbListenerRuleAction } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { arn, fail, inRange, isToken, matches, nonEmpty, refuse, Subject } from "../core";

/** OpenID Connect authentication (any IdP: Okta, Entra ID, Google...). */
export interface OidcAuthentication {
  readonly kind: "oidc";
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userInfoEndpoint: string;
  readonly clientId: string;
  /** The client secret; pass a reference to a sensitive value (a Secrets Manager data source), never a literal in code. */
  readonly clientSecret: string;
  /** @default "openid" */
  readonly scope?: string;
  /** Seconds an authenticated session lasts, 1-604800. @default 604800 (7 days) */
  readonly sessionTimeoutSeconds?: number;
}

/** Authentication through a Cognito user pool. */
export interface CognitoAuthentication {
  readonly kind: "cognito";
  readonly userPoolArn: string;
  readonly userPoolClientId: string;
  /** The user pool's domain prefix, e.g. "chat-app-prod". */
  readonly userPoolDomain: string;
  /** @default "openid" */
  readonly scope?: string;
  /** Seconds an authenticated session lasts, 1-604800. @default 604800 (7 days) */
  readonly sessionTimeoutSeconds?: number;
}

export type ListenerAuthentication = OidcAuthentication | CognitoAuthentication;

const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[\x21-\x7e]*)?$/;
const MAX_WEIGHTED_GROUPS = 5;

/** The authenticate action (order 1) for `auth`; the forward that follows it takes order 2. */
export function authenticateAction(subject: Subject, setting: string, auth: ListenerAuthentication, https: boolean): LbListenerRuleAction {
  refuse(subject, setting, auth.kind, !https, "expected an HTTPS listener (certificateArn): ALB authentication works on HTTPS only");
  const session = inRange(subject, `${setting}.sessionTimeoutSeconds`, auth.sessionTimeoutSeconds ?? 604800, 1, 604800);
  const scope = matches(subject, `${setting}.scope`, auth.scope ?? "openid", /^[\x21-\x7e]+( [\x21-\x7e]+)*$/, "space-separated scopes such as \"openid email\"");
  if (auth.kind === "oidc") {
    for (const key of ["issuer", "authorizationEndpoint", "tokenEndpoint", "userInfoEndpoint"] as const) {
      if (!isToken(auth[key])) matches(subject, `${setting}.${key}`, auth[key], HTTPS_URL, "an https:// URL");
    }
    matches(subject, `${setting}.clientId`, auth.clientId, /^\S+$/, "the IdP's client id");
    matches(subject, `${setting}.clientSecret`, auth.clientSecret, /^\S+$/, "a reference to the client secret");
    return {
      type: "authenticate-oidc",
      order: 1,
      authenticateOidc: {
        issuer: auth.issuer,
        authorizationEndpoint: auth.authorizationEndpoint,
        tokenEndpoint: auth.tokenEndpoint,
        userInfoEndpoint: auth.userInfoEndpoint,
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        scope,
        sessionTimeout: session,
        onUnauthenticatedRequest: "authenticate",
      },
    };
  }
  if (auth.kind !== "cognito") fail(subject, `${setting}.kind`, (auth as { kind: unknown }).kind, "expected \"oidc\" or \"cognito\"");
  arn(subject, `${setting}.userPoolArn`, auth.userPoolArn, "cognito-idp");
  matches(subject, `${setting}.userPoolClientId`, auth.userPoolClientId, /^[\w+]+$|\$\{/, "a user pool client id");
  matches(subject, `${setting}.userPoolDomain`, auth.userPoolDomain, /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$|\$\{/, "a user pool domain prefix");
  return {
    type: "authenticate-cognito",
    order: 1,
    authenticateCognito: {
      userPoolArn: auth.userPoolArn,
      userPoolClientId: auth.userPoolClientId,
      userPoolDomain: auth.userPoolDomain,
      scope,
      sessionTimeout: session,
      onUnauthenticatedRequest: "authenticate",
    },
  };
}

/** Checks canary weights: 2-5 groups, each 0-999, not all 0. */
export function checkWeights(subject: Subject, setting: string, weights: readonly number[]): void {
  nonEmpty(subject, setting, weights);
  refuse(subject, setting, weights.length, weights.length < 2 || weights.length > MAX_WEIGHTED_GROUPS, `expected 2 to ${MAX_WEIGHTED_GROUPS} weighted targets`);
  weights.forEach((w, i) => inRange(subject, `${setting}[${i}].weight`, w, 0, 999));
  refuse(subject, setting, weights, weights.every((w) => w === 0), "expected at least one weight above 0");
}

/** A forward to one group, or weighted over several. */
export function forwardAction(groups: readonly { readonly arn: string; readonly weight?: number }[], order?: number): LbListenerRuleAction {
  const ordered = order === undefined ? {} : { order };
  if (groups.length === 1 && groups[0].weight === undefined) return { type: "forward", targetGroupArn: groups[0].arn, ...ordered };
  return { type: "forward", ...ordered, forward: { targetGroup: groups.map((g) => ({ arn: g.arn, weight: g.weight ?? 1 })) } };
}
