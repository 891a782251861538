/** The Cognito user pool behind the API's authorizer: email sign-in, strong passwords, optional TOTP MFA, one SPA client. */
import { Construct } from "constructs";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";

export interface UserPoolProps {
  readonly name: string;
  readonly deletionProtection: boolean;
  readonly allowSelfSignUp: boolean;
}

export class UserPool extends Construct {
  readonly pool: CognitoUserPool;
  readonly client: CognitoUserPoolClient;

  constructor(scope: Construct, id: string, props: UserPoolProps) {
    super(scope, id);
    this.pool = new CognitoUserPool(this, "Pool", {
      name: `${props.name}-users`,
      usernameAttributes: ["email"],
      autoVerifiedAttributes: ["email"],
      usernameConfiguration: { caseSensitive: false },
      passwordPolicy: {
        minimumLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 7,
      },
      mfaConfiguration: "OPTIONAL",
      softwareTokenMfaConfiguration: { enabled: true },
      // Advanced security (threat protection) is billed per user; off unless a stack asks for it.
      userPoolAddOns: { advancedSecurityMode: "OFF" },
      accountRecoverySetting: { recoveryMechanism: [{ name: "verified_email", priority: 1 }] },
      adminCreateUserConfig: { allowAdminCreateUserOnly: !props.allowSelfSignUp },
      deletionProtection: props.deletionProtection ? "ACTIVE" : "INACTIVE",
    });
    // A browser app cannot keep a secret: no client secret, SRP sign-in, short-lived tokens that can be revoked.
    this.client = new CognitoUserPoolClient(this, "SpaClient", {
      name: `${props.name}-spa`,
      userPoolId: this.pool.id,
      generateSecret: false,
      explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      preventUserExistenceErrors: "ENABLED",
      enableTokenRevocation: true,
      supportedIdentityProviders: ["COGNITO"],
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      tokenValidityUnits: [{ accessToken: "minutes", idToken: "minutes", refreshToken: "days" }],
    });
  }
}
