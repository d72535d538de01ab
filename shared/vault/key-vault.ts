// Key Vault secrets over its REST API with the app's managed identity (no extra SDK for a few calls; docs/deploy.md).
import { managedIdentity } from "../managed-identity";
import { AppError } from "../errors";

const API_VERSION = "7.4";

export interface VaultSecrets {
  /** Writes a new version of the secret; returns that version's id. */
  put(name: string, value: string, contentType: string): Promise<string>;
  /** The value of one version (the newest when `version` is absent). */
  get(name: string, version?: string): Promise<string>;
  /** Deletes the secret and every version (absent is fine). */
  remove(name: string): Promise<void>;
}

/** A secret name Key Vault accepts: letters, digits and dashes only. */
export const vaultSecretName = (text: string): string => text.replace(/[^A-Za-z0-9-]/g, "-").slice(0, 127);

export function keyVaultSecrets(vaultUrl: string): VaultSecrets {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const granted = await managedIdentity.getToken("https://vault.azure.net/.default");
    if (!granted) throw new Error("Key Vault: the managed identity got no token.");
    const { token } = granted;
    const response = await fetch(
      `${vaultUrl.replace(/\/$/, "")}/secrets/${path}?api-version=${API_VERSION}`,
      {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(5_000),
      },
    );
    if (!response.ok && !(method === "DELETE" && response.status === 404)) {
      throw new AppError("store.unavailable", `Key Vault answered ${response.status}.`, { retryAfter: 5 });
    }
    return method === "DELETE" ? undefined : response.json();
  };
  return {
    put: async (name, value, contentType) => {
      const { id } = (await call("PUT", name, { value, contentType })) as { id: string };
      // The id is https://<vault>/secrets/<name>/<version>.
      return id.slice(id.lastIndexOf("/") + 1);
    },
    get: async (name, version) =>
      ((await call("GET", version ? `${name}/${version}` : name)) as { value: string }).value,
    remove: async (name) => {
      await call("DELETE", name);
    },
  };
}
