// Where the private halves of the token signing keys live: Key Vault in Azure, the store's document locally.
import { DefaultAzureCredential } from "@azure/identity";
import type { JWK } from "jose";
import { settings } from "../config";
import { AppError } from "../errors";

export interface KeyMaterialStore {
  /** Keeps the private key; returns what the key's document must remember to find it again. */
  save(kid: string, privateJwk: JWK): Promise<{ private_jwk?: JWK; vault_secret?: string }>;
  load(doc: { kid: string; private_jwk?: JWK; vault_secret?: string }): Promise<JWK>;
  remove(doc: { vault_secret?: string }): Promise<void>;
}

/** Locally the private JWK sits in its key document in the emulator: generated on first use, never in the repo. */
const inDocument: KeyMaterialStore = {
  save: async (_kid, privateJwk) => ({ private_jwk: privateJwk }),
  load: async (doc) => {
    if (!doc.private_jwk) throw new AppError("internal", `Signing key ${doc.kid} has no private half here.`);
    return doc.private_jwk;
  },
  remove: async () => undefined,
};

const API_VERSION = "7.4";

/** Key Vault secrets over its REST API with the app's managed identity (no extra SDK for three calls). */
function keyVault(vaultUrl: string): KeyMaterialStore {
  const credential = new DefaultAzureCredential();
  const call = async (method: string, name: string, body?: unknown): Promise<unknown> => {
    const { token } = await credential.getToken("https://vault.azure.net/.default");
    const response = await fetch(
      `${vaultUrl.replace(/\/$/, "")}/secrets/${name}?api-version=${API_VERSION}`,
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
    save: async (kid, privateJwk) => {
      const name = `hub-signing-${kid.replace(/[^A-Za-z0-9-]/g, "-")}`;
      await call("PUT", name, { value: JSON.stringify(privateJwk), contentType: "application/jwk+json" });
      return { vault_secret: name };
    },
    load: async (doc) => {
      const secret = (await call("GET", doc.vault_secret ?? "")) as { value: string };
      return JSON.parse(secret.value) as JWK;
    },
    remove: async (doc) => {
      if (doc.vault_secret) await call("DELETE", doc.vault_secret);
    },
  };
}

let store: KeyMaterialStore | undefined;

export function keyMaterialStore(): KeyMaterialStore {
  const vaultUrl = settings().KEY_VAULT_URL;
  store ??= vaultUrl ? keyVault(vaultUrl) : inDocument;
  return store;
}
