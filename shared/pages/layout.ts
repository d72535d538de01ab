// The one layout of every server-rendered page (decision links, sign-in): phone-first HTML, no script, strict headers.
import type { Cookie, HttpResponseInit } from "@azure/functions";
import { createHash } from "node:crypto";

/** One stylesheet for every page, so one hash in the CSP covers them all. */
const STYLE = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
body{margin:0;padding:16px;background:#f4f5f7;color:#1b1d21;line-height:1.45}
main{max-width:560px;margin:0 auto;background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 3px #0002}
h1{font-size:1.25rem;margin:0 0 12px}
p{margin:0 0 12px;overflow-wrap:anywhere}
.message{white-space:pre-wrap;background:#f4f5f7;border-radius:8px;padding:12px}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0 0 16px;font-size:.9rem}
dt{color:#5c6370}dd{margin:0;overflow-wrap:anywhere}
label{display:block;font-weight:600;margin:0 0 6px}
textarea,input{box-sizing:border-box;width:100%;font:inherit;padding:10px;border:1px solid #c5c9d0;border-radius:8px}
textarea{min-height:88px}
input{min-height:48px;margin:0 0 14px}
.actions{display:flex;gap:12px;margin-top:16px}
button{flex:1;font:inherit;font-weight:600;font-size:1.05rem;padding:14px;border:0;border-radius:10px;color:#fff;background:#2f5bd3}
.approve{background:#1f7a3d}.reject{background:#b42318}
.alert{border-left:4px solid #b42318;background:#fdecea;border-radius:6px;padding:10px 12px}
.note{font-size:.85rem;color:#5c6370;margin-top:16px}
@media (prefers-color-scheme:dark){body{background:#15171a;color:#e6e8eb}main{background:#1f2226;box-shadow:none}
.message{background:#2a2e33}dt,.note{color:#9aa3ad}textarea,input{background:#15171a;color:inherit;border-color:#3a3f45}
.alert{background:#3a1d1b}}
`;

const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");

/**
 * No script may run, nothing may load, nothing may frame the page, and a form may only post back to Hub — or,
 * for a form whose answer redirects on (sign-in), to the origins named by `formActions` (browsers apply
 * form-action to every redirect after a submission).
 */
export function pageHeaders(formActions: string[] = []): Record<string, string> {
  const actions = ["'self'", ...formActions].join(" ");
  return {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "content-security-policy": `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action ${actions}; frame-ancestors 'none'; base-uri 'none'`,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
  };
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

export interface PageOptions {
  formActions?: string[];
  cookies?: Cookie[];
}

/** A whole page: `title` and `body` are the caller's (escape what comes from outside with escapeHtml). */
export function htmlPage(
  status: number,
  title: string,
  body: string,
  options: PageOptions = {},
): HttpResponseInit {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
  return {
    status,
    headers: pageHeaders(options.formActions),
    body: html,
    ...(options.cookies ? { cookies: options.cookies } : {}),
  };
}
