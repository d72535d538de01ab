// Authorization codes (docs/sso.md): single-use, 60 s, bound to client, redirect URI, PKCE challenge and session.
import { nowMs } from "../clock";
import { AppError } from "../errors";
import { TenantRepository } from "../store/repository";
import type { WithEtag } from "../store/repository";
import { newOpaque, parseOpaque } from "./opaque";
import type { Scope } from "./scopes";

export const CODE_TTL_SECONDS = 60;

export interface CodeDoc {
  id: string;
  org_id: string;
  type: "oauth_code";
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  scope: Scope[];
  nonce?: string;
  user_id: string;
  /** The session document the code was issued from: the exchange fails once it has ended. */
  session_doc_id: string;
  expires_at_ms: number;
  used_at_ms?: number;
  /** What the first exchange issued, so a second presentation can revoke it. */
  issued?: { jti: string; family_id: string };
  ttl: number;
}

const codes = new TenantRepository<CodeDoc>("identity");

export async function createCode(
  fields: Omit<CodeDoc, "id" | "type" | "expires_at_ms" | "ttl">,
): Promise<string> {
  const { value, docId } = newOpaque("code", fields.org_id);
  await codes.upsert({
    ...fields,
    id: docId,
    type: "oauth_code",
    expires_at_ms: nowMs() + CODE_TTL_SECONDS * 1000,
    // Kept an hour past expiry so a late second use is still recognised as reuse.
    ttl: CODE_TTL_SECONDS + 3600,
  });
  return value;
}

const badCode = () =>
  new AppError("oauth.invalid_grant", "The authorization code is invalid, expired or used.");

export type ConsumedCode = { fresh: true; doc: CodeDoc } | { fresh: false; doc: CodeDoc };

/**
 * Marks the code used, atomically (ETag): whoever presents it first gets `fresh`, every later presentation
 * `fresh: false` with what the first one issued. Unknown or expired codes throw invalid_grant.
 */
export async function consumeCode(value: string): Promise<ConsumedCode> {
  const parsed = parseOpaque("code", value);
  if (!parsed) throw badCode();
  const doc = await codes.read(parsed.orgId, parsed.docId);
  if (doc?.type !== "oauth_code") throw badCode();
  if (doc.used_at_ms !== undefined) return { fresh: false, doc };
  if (doc.expires_at_ms <= nowMs()) throw badCode();
  try {
    await codes.replace(stripEtag({ ...doc, used_at_ms: nowMs() }), doc._etag);
  } catch (error) {
    if (error instanceof AppError && error.code === "precondition.failed") {
      const now = await codes.read(parsed.orgId, parsed.docId);
      if (now) return { fresh: false, doc: now };
    }
    throw error;
  }
  return { fresh: true, doc };
}

export async function recordIssued(doc: CodeDoc, issued: { jti: string; family_id: string }): Promise<void> {
  await codes.patch(doc.org_id, doc.id, [{ op: "set", path: "/issued", value: issued }]);
}

function stripEtag<T>(doc: WithEtag<T> | T): T {
  const { _etag: _ignored, ...rest } = doc as WithEtag<T>;
  return rest as T;
}
