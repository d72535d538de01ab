// The decision pages, in the shared page layout (shared/pages/layout.ts): review, confirmation, gone, not found.
import type { HttpResponseInit } from "@azure/functions";
import { escapeHtml, htmlPage } from "../pages/layout";

const page = (status: number, title: string, body: string): HttpResponseInit => htmlPage(status, title, body);

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
