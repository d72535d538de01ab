// Where the private halves of the token signing keys live: Key Vault in Azure, the store's document locally.
import type { JWK } from "jose";
import { settings } from "../config";
import { AppError } from "../errors";
import { keyVaultSecrets, vaultSecretName } from "../vault/key-vault";

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

/** Key Vault secrets with the app's managed identity (shared/vault/key-vault.ts). */
function keyVault(vaultUrl: string): KeyMaterialStore {
  const secrets = keyVaultSecrets(vaultUrl);
  return {
    save: async (kid, privateJwk) => {
      const name = vaultSecretName(`hub-signing-${kid}`);
      await secrets.put(name, JSON.stringify(privateJwk), "application/jwk+json");
      return { vault_secret: name };
    },
    load: async (doc) => JSON.parse(await secrets.get(doc.vault_secret ?? "")) as JWK,
    remove: async (doc) => {
      if (doc.vault_secret) await secrets.remove(doc.vault_secret);
    },
  };
}

let store: KeyMaterialStore | undefined;

export function keyMaterialStore(): KeyMaterialStore {
  const vaultUrl = settings().KEY_VAULT_URL;
  store ??= vaultUrl ? keyVault(vaultUrl) : inDocument;
  return store;
}
