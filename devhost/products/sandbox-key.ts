// How a sandboxed product authenticates a call, as a real product backend does: it asks Hub's introspection endpoint.
import { createHash } from "node:crypto";
import { settings } from "../../shared/config";
import type { Settings } from "../../shared/config";

/** What Hub said about a call's `X-Integration-Key` (docs/auth.md, "How a product backend validates a key"). */
export interface KeyIntrospection {
  active: boolean;
  org_id?: string;
  key_id?: string;
  kind?: string;
  product?: string;
  scope?: string;
}

/**
 * A product may reuse an answer briefly; Hub reports a revocation within 4 s, so 1 s here keeps the whole
 * path within the 5-second revocation budget.
 */
const REUSE_MS = 1_000;
const MAX_REMEMBERED = 1_000;

export class SandboxKeyCheck {
  private readonly answers = new Map<string, { at: number; answer: KeyIntrospection }>();

  /** `hubApi` is Hub's API root (…/api), which the sandbox reaches over HTTP like any product. */
  constructor(private readonly hubApi: () => string) {}

  /** Hub's answer for the key, as the product `product`; inactive without a key or without the product's client secret. */
  async introspect(product: string, key: string | undefined): Promise<KeyIntrospection> {
    const secret = settings()[`PRODUCT_${product.toUpperCase()}_CLIENT_SECRET` as keyof Settings];
    if (!key || typeof secret !== "string" || !secret) return { active: false };
    // Remembered by a digest, so the sandbox never keeps a key it was shown.
    const slot = `${product} ${createHash("sha256").update(key).digest("hex")}`;
    const remembered = this.answers.get(slot);
    if (remembered && Date.now() - remembered.at < REUSE_MS) return remembered.answer;
    const response = await fetch(`${this.hubApi()}/oauth/introspect`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${product}:${encodeURIComponent(secret)}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token: key }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) return { active: false };
    const body = (await response.json()) as Record<string, unknown>;
    const text = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : undefined);
    const answer: KeyIntrospection =
      body.active === true && body.token_type === "integration_key"
        ? {
            active: true,
            org_id: text("org_id"),
            key_id: text("key_id"),
            kind: text("kind"),
            product: text("product"),
            scope: text("scope"),
          }
        : { active: false };
    if (this.answers.size >= MAX_REMEMBERED) this.answers.clear();
    this.answers.set(slot, { at: Date.now(), answer });
    return answer;
  }
}
