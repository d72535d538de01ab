// Signed links: one mechanism for every emailed capability, the purpose bound by the signature (docs/auth.md).
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { LINK_PURPOSES, newLinkId, signLink, verifyLink } from "../../../shared/links/signed-link";

const SECRET = "unit-test-link-secret-0123456789abcdef";
const ORG = "0f8fad5b-d9cb-469f-a165-70867728950e";
const NOW = Date.UTC(2026, 0, 1);
const claims = { orgId: ORG, linkId: "AAAAAAAAAAAAAAAA", expiresAt: NOW + 60_000 };

describe("signed links", () => {
  it("round-trips the claims for each purpose", () => {
    for (const purpose of LINK_PURPOSES) {
      const token = signLink(purpose, claims, SECRET);
      expect(verifyLink(purpose, token, NOW, SECRET)).toEqual({ ok: true, claims });
    }
  });

  it("refuses a token signed for another purpose as malformed (an invitation is no reset link)", () => {
    for (const signedFor of LINK_PURPOSES)
      for (const usedAs of LINK_PURPOSES.filter((purpose) => purpose !== signedFor))
        expect(verifyLink(usedAs, signLink(signedFor, claims, SECRET), NOW, SECRET)).toEqual({
          ok: false,
          reason: "malformed",
        });
  });

  it("says expired only for a genuine token past its expiry; a forged one is malformed", () => {
    const token = signLink("invitation", claims, SECRET);
    expect(verifyLink("invitation", token, claims.expiresAt, SECRET)).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(verifyLink("invitation", token, NOW, "another-secret-0123456789abcdef-xx")).toEqual({
      ok: false,
      reason: "malformed",
    });
    const later = token.replace(/\.([0-9a-z]+)\.([^.]+)$/, (_, expiry: string, sig: string) => {
      return `.${(parseInt(expiry, 36) + 1000).toString(36)}.${sig}`;
    });
    expect(verifyLink("invitation", later, NOW, SECRET)).toEqual({ ok: false, reason: "malformed" });
    for (const garbage of ["", "v2", "v3.a.b.c.d", token + "x", token.toUpperCase()])
      expect(verifyLink("invitation", garbage, NOW, SECRET).ok).toBe(false);
  });

  it("keeps approval links of before purposes (v1, signed without one) valid for approvals only", () => {
    const org = `u${Buffer.from(ORG.replace(/-/g, ""), "hex").toString("base64url")}`;
    const body = `v1.${org}.${claims.linkId}.${Math.floor(claims.expiresAt / 1000).toString(36)}`;
    const legacy = `${body}.${createHmac("sha256", SECRET).update(body).digest().subarray(0, 16).toString("base64url")}`;
    expect(verifyLink("approval", legacy, NOW, SECRET)).toEqual({ ok: true, claims });
    expect(verifyLink("invitation", legacy, NOW, SECRET).ok).toBe(false);
    expect(verifyLink("password_reset", legacy, NOW, SECRET).ok).toBe(false);
  });

  it("carries non-UUID org ids and makes 16-character random link ids", () => {
    const id = newLinkId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(newLinkId()).not.toBe(id);
    const other = { orgId: "demo-org", linkId: id, expiresAt: NOW + 1000 };
    expect(verifyLink("password_reset", signLink("password_reset", other, SECRET), NOW, SECRET)).toEqual({
      ok: true,
      claims: other,
    });
  });
});
