// Password hashing with scrypt at OWASP's recommended cost, and verification in constant time.
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { withKdfSlot } from "./kdf-limit";

/**
 * OWASP Password Storage Cheat Sheet: scrypt N=2^17, r=8, p=1 or an equivalent trade-off; N=2^15, r=8, p=3 costs
 * the same CPU with a quarter of the memory (32 MiB per hash), which matters when several sign-ins run at once.
 */
export const SCRYPT_COST = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** Node refuses scrypt above 32 MiB unless told; 128·N·r is exactly 32 MiB here. */
const maxmem = (N: number, r: number) => 256 * N * r;

/** Every hash and every check takes a KDF slot (kdf-limit.ts), so a flood of guesses cannot starve the instance. */
function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return withKdfSlot(() => scryptOnce(password, salt, cost));
}

function scryptOnce(
  password: string,
  salt: Buffer,
  cost: { N: number; r: number; p: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize("NFKC"),
      salt,
      KEY_LENGTH,
      { ...cost, maxmem: maxmem(cost.N, cost.r) },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

/** `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`: the cost travels with the hash so it can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, SCRYPT_COST);
  const { N, r, p } = SCRYPT_COST;
  return ["scrypt", N, r, p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await derive(password, Buffer.from(salt, "base64"), {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same time as verifying a real password, for an email that has no user, so the answer's timing
 * does not tell an attacker which emails exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(password, await dummyHash());
  return false;
}

/** Made once per process; sign-in starts it early so even the first unknown email takes the usual time. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(18).toString("base64"));
  return dummy;
}
