// The scopes Hub understands (docs/sso.md): `openid` asks for an id_token, `profile` and `email` for those claims.
export const SUPPORTED_SCOPES = ["openid", "profile", "email", "offline_access"] as const;
export type Scope = (typeof SUPPORTED_SCOPES)[number];

/** The requested scopes, or null when one is unknown; duplicates collapse. */
export function parseScope(text: string | undefined): Scope[] | null {
  const requested = [...new Set((text ?? "").split(" ").filter(Boolean))];
  if (!requested.every((scope) => (SUPPORTED_SCOPES as readonly string[]).includes(scope))) return null;
  return requested as Scope[];
}
