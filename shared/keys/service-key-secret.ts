// Where the secret of an agent service key lives for the agents runtime: Key Vault in Azure, its slot document locally.
import { settings } from "../config";
import { AppError } from "../errors";
import { keyVaultSecrets, vaultSecretName } from "../vault/key-vault";

/** What a service key's slot remembers to find the secret again (never both). */
export interface ServiceKeySecretRef {
  /** Locally only: the secret itself, in the emulator (docs/configuration.md). */
  secret?: string;
  /** In Azure: the Key Vault secret (one per org and product) and the version holding this key. */
  vault_secret?: string;
  vault_version?: string;
}

/** One Key Vault secret per org and product (docs/deploy.md); each rotation writes a new version of it. */
export const serviceKeyVaultName = (orgId: string, product: string): string =>
  vaultSecretName(`hub-service-key-${orgId}-${product}`);

export async function saveServiceKeySecret(
  orgId: string,
  product: string,
  key: string,
): Promise<ServiceKeySecretRef> {
  const vaultUrl = settings().KEY_VAULT_URL;
  if (!vaultUrl) return { secret: key };
  const name = serviceKeyVaultName(orgId, product);
  const version = await keyVaultSecrets(vaultUrl).put(name, key, "text/plain");
  return { vault_secret: name, vault_version: version };
}

export async function loadServiceKeySecret(ref: ServiceKeySecretRef): Promise<string> {
  if (ref.secret) return ref.secret;
  const vaultUrl = settings().KEY_VAULT_URL;
  if (!ref.vault_secret || !vaultUrl)
    throw new AppError("internal", "This service key's secret is not held here.");
  return keyVaultSecrets(vaultUrl).get(ref.vault_secret, ref.vault_version);
}
