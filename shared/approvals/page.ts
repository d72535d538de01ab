// The decision page: small server-rendered HTML that reads well on a phone and needs no JavaScript.
import type { HttpResponseInit } from "@azure/functions";
import { createHash } from "node:crypto";

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
textarea{box-sizing:border-box;width:100%;min-height:88px;font:inherit;padding:10px;border:1px solid #c5c9d0;border-radius:8px}
.actions{display:flex;gap:12px;margin-top:16px}
button{flex:1;font:inherit;font-weight:600;font-size:1.05rem;padding:14px;border:0;border-radius:10px;color:#fff}
.approve{background:#1f7a3d}.reject{background:#b42318}
.note{font-size:.85rem;color:#5c6370;margin-top:16px}
@media (prefers-color-scheme:dark){body{background:#15171a;color:#e6e8eb}main{background:#1f2226;box-shadow:none}
.message{background:#2a2e33}dt,.note{color:#9aa3ad}textarea{background:#15171a;color:inherit;border-color:#3a3f45}}
`;

const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");

/** No script may run, nothing may load, and the form may only post back here. */
export const PAGE_HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "content-security-policy": `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
};

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

function page(status: number, title: string, body: string): HttpResponseInit {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
  return { status, headers: PAGE_HEADERS, body: html };
}

export interface ReviewView {
  agentName: string;
  message: string;
  trigger: { type: string; subject?: string; time?: string; source?: string };
  expiresAt: string;
  recipient: string;
  /** "1 of 2 approved", on gates that need more than one approval. */
  progress?: string;
  error?: string;
}

export function reviewPage(view: ReviewView): HttpResponseInit {
  const rows: [string, string | undefined][] = [
    ["Triggered by", view.trigger.type],
    ["Subject", view.trigger.subject],
    ["From", view.trigger.source],
    ["At", view.trigger.time],
    ["Progress", view.progress],
    ["Decide by", view.expiresAt],
    ["You are", view.recipient.replace(/^(email|phone):/, "")],
  ];
  const facts = rows
    .filter((row): row is [string, string] => Boolean(row[1]))
    .map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join("");
  return page(
    view.error ? 400 : 200,
    `Approval needed: ${view.agentName}`,
    `<h1>Approval needed</h1>
<p>The agent <strong>${escapeHtml(view.agentName)}</strong> is waiting for your decision.</p>
<p class="message">${escapeHtml(view.message)}</p>
<dl>${facts}</dl>
${view.error ? `<p role="alert"><strong>${escapeHtml(view.error)}</strong></p>` : ""}
<form method="post">
<label for="note">Note (optional)</label>
<textarea id="note" name="note" maxlength="1000"></textarea>
<div class="actions"><button class="approve" type="submit" name="decision" value="approve">Approve</button><button class="reject" type="submit" name="decision" value="reject">Reject</button></div>
</form>
<p class="note">Nothing happens until you press a button. The link works once.</p>`,
  );
}

export function confirmationPage(
  decision: "approve" | "reject",
  decidedAt: string,
  progress?: string,
): HttpResponseInit {
  const word = decision === "approve" ? "Approved" : "Rejected";
  const told = progress
    ? `<p>Thank you. Your approval was recorded at ${escapeHtml(decidedAt)}.</p><p><strong>${escapeHtml(progress)}</strong>: the agent goes on once enough approvers have approved.</p>`
    : `<p>Thank you. Your decision was recorded at ${escapeHtml(decidedAt)} and the agent has been told.</p>`;
  return page(200, word, `<h1>${word}</h1>${told}<p class="note">You can close this page.</p>`);
}

const GONE: Record<"decided" | "expired" | "voted", string> = {
  decided: "This approval has already been decided, so this link no longer works.",
  expired: "This link has expired: the time to decide is over.",
  voted: "You have already decided this approval, so this link no longer works.",
};

export function gonePage(reason: "decided" | "expired" | "voted", progress?: string): HttpResponseInit {
  const status = progress ? `<p><strong>${escapeHtml(progress)}</strong></p>` : "";
  return page(
    410,
    "Link no longer valid",
    `<h1>Link no longer valid</h1><p>${GONE[reason]}</p>${status}<p class="note">Nothing was changed.</p>`,
  );
}

const REFUSED: Record<"self" | "inactive", string> = {
  self: "Your own action started this request, so another approver must decide it.",
  inactive: "Your account is no longer active in this organisation, so another approver must decide it.",
};

/** A link whose holder may not decide: the requester's own, or a user deactivated since the gate opened. */
export function refusedPage(reason: "self" | "inactive" = "self"): HttpResponseInit {
  return page(
    403,
    "You cannot decide this approval",
    `<h1>You cannot decide this approval</h1><p>${REFUSED[reason]}</p><p class="note">Nothing was changed.</p>`,
  );
}

export function notFoundPage(): HttpResponseInit {
  return page(
    404,
    "Link not found",
    `<h1>Link not found</h1><p>This link is not valid. Check that you opened the whole link from your message.</p>`,
  );
}
