// GET and POST /api/approvals/{token}: the decision page behind an emailed or texted link (docs/approvals.md).
import type { HttpResponseInit } from "@azure/functions";
import type * as df from "durable-functions";
import { z } from "zod";
import { nowMs } from "../clock";
import { isAppError } from "../errors";
import { readUser } from "../identity/repository";
import { verifyLink } from "../links/signed-link";
import type { Logger } from "../log";
import { recordDecision, wakeExecution } from "./decide";
import type { ApprovalDoc, LinkDoc, Recipient } from "./model";
import { approvalDocs, hasDecided, linkDocId, linkDocs, progressOf, requiredOf } from "./model";
import { confirmationPage, gonePage, notFoundPage, reviewPage, refusedPage } from "./page";

type Resolved =
  | { ok: true; link: LinkDoc; approval: ApprovalDoc; recipient: Recipient; orgId: string }
  | { ok: false; response: HttpResponseInit };

/** Shown only on gates that need more than one approval, so a single approver's page reads as it always did. */
const progressFor = (approval: ApprovalDoc) => (requiredOf(approval) > 1 ? progressOf(approval) : undefined);

/** The signature and expiry first (no I/O for garbage or an expired link), then the link, its gate and its holder. */
async function resolveLink(token: string): Promise<Resolved> {
  const check = verifyLink("approval", token, nowMs());
  if (!check.ok)
    return { ok: false, response: check.reason === "expired" ? gonePage("expired") : notFoundPage() };
  const { orgId, linkId } = check.claims;
  const link = await linkDocs.read(orgId, linkDocId(linkId));
  const approval = link && (await approvalDocs.read(orgId, link.approval_id));
  const recipient = approval?.recipients.find((entry) => entry.identity === link!.recipient);
  if (!link || !approval || !recipient) return { ok: false, response: notFoundPage() };
  if (approval.status !== "pending") return { ok: false, response: gonePage("decided") };
  if (nowMs() >= Date.parse(approval.expires_at)) return { ok: false, response: gonePage("expired") };
  if (recipient.may_decide === false) return { ok: false, response: refusedPage() };
  // A user deactivated since the gate opened keeps the link in their mailbox, not the right to use it.
  if (recipient.user_id && (await readUser(orgId, recipient.user_id))?.status !== "active")
    return { ok: false, response: refusedPage("inactive") };
  if (hasDecided(approval, recipient.identity, recipient.user_id))
    return { ok: false, response: gonePage("voted", progressFor(approval)) };
  return { ok: true, link, approval, recipient, orgId };
}

function review(resolved: Extract<Resolved, { ok: true }>, error?: string): HttpResponseInit {
  const { approval, link } = resolved;
  return reviewPage({
    agentName: approval.agent_name,
    message: approval.message,
    trigger: approval.trigger_summary,
    expiresAt: approval.expires_at,
    recipient: link.recipient,
    progress: progressFor(approval),
    error,
  });
}

/** GET changes nothing: mail scanners fetch links. */
export async function showDecisionPage(token: string): Promise<HttpResponseInit> {
  const resolved = await resolveLink(token);
  return resolved.ok ? review(resolved) : resolved.response;
}

const decisionForm = z.object({
  decision: z.enum(["approve", "reject"]),
  note: z.string().trim().max(1000).optional(),
});

export async function submitDecision(
  token: string,
  form: unknown,
  client: df.DurableClient,
  log: Logger,
): Promise<HttpResponseInit> {
  const resolved = await resolveLink(token);
  if (!resolved.ok) return resolved.response;
  const parsed = decisionForm.safeParse(form ?? {});
  if (!parsed.success)
    return review(resolved, "Choose Approve or Reject (a note can be at most 1000 characters).");
  try {
    const { approval, entry, settled } = await recordDecision({
      orgId: resolved.orgId,
      approvalId: resolved.approval.id,
      decision: parsed.data.decision,
      decider: { via: "link", identity: resolved.link.recipient },
      note: parsed.data.note || undefined,
    });
    if (settled) await wakeExecution(client, approval, log);
    log.info("approval decided by link", {
      org_id: resolved.orgId,
      execution_id: approval.execution_id,
      step_id: approval.step_id,
      decision: entry.decision,
      settled,
    });
    return confirmationPage(entry.decision, entry.decided_at, settled ? undefined : progressOf(approval));
  } catch (error) {
    // Someone settled the gate, or this approver decided, a moment ago: the page says which.
    if (isAppError(error) && error.code === "resource.conflict") {
      const now = await resolveLink(token);
      return now.ok ? gonePage("decided") : now.response;
    }
    if (isAppError(error) && error.code === "auth.forbidden") return refusedPage();
    throw error;
  }
}
