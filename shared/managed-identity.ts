// The app's Azure credential (DefaultAzureCredential: managed identity in Azure), with @azure/identity loaded on first use.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import { onFirstUse } from "./first-use";

const defaultCredential = onFirstUse(() =>
  import("@azure/identity").then(({ DefaultAzureCredential }) => new DefaultAzureCredential()),
);

/**
 * A credential every client can take at construction, though @azure/identity (MSAL and its dependencies) loads only
 * when the first token is asked for: a cold start that never authenticates to Azure (the devhost, a request served
 * from caches) does not pay for it (docs/deploy.md, "Cold start"). One DefaultAzureCredential per process.
 */
export const managedIdentity: TokenCredential = {
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    return (await defaultCredential()).getToken(scopes, options);
  },
};
