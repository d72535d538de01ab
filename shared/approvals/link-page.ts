// GET and POST /api/approvals/{token}: the decision page behind an emailed or texted link (docs/approvals.md).
import type { HttpResponseInit } from "@azure/functions";
import type * as df from "durable-functions";
import { z } from "zod";
import { nowMs } from "../clock";
import { settings } from "../config";
import { isAppError } from "../errors";
import type { Logger } from "../log";
import { deliverDecision, recordDecision } from "./decide";
import { verifyLinkToken } from "./link-token";
import type { ApprovalDoc, LinkDoc } from "./model";
import { approvalDocs, linkDocId, linkDocs } from "./model";
import { confirmationPage, gonePage, notFoundPage, reviewPage } from "./page";

type Resolved =
  | { ok: true; link: LinkDoc; approval: ApprovalDoc; orgId: string }
  | { ok: false; response: HttpResponseInit };

/** The signature and expiry first (no I/O for garbage or an expired link), then the link and its gate. */
async function resolveLink(token: string): Promise<Resolved> {
  const check = verifyLinkToken(token, settings().APPROVAL_LINK_SECRET, nowMs());
  if (!check.ok)
    return { ok: false, response: check.reason === "expired" ? gonePage("expired") : notFoundPage() };
  const { orgId, linkId } = check.claims;
  const link = await linkDocs.read(orgId, linkDocId(linkId));
  const approval = link && (await approvalDocs.read(orgId, link.approval_id));
  if (!link || !approval) return { ok: false, response: notFoundPage() };
  if (approval.status !== "pending") return { ok: false, response: gonePage("decided") };
  if (nowMs() >= Date.parse(approval.expires_at)) return { ok: false, response: gonePage("expired") };
  return { ok: true, link, approval, orgId };
}

function review(resolved: Extract<Resolved, { ok: true }>, error?: string): HttpResponseInit {
  const { approval, link } = resolved;
  return reviewPage({
    agentName: approval.agent_name,
    message: approval.message,
    trigger: approval.trigger_summary,
    expiresAt: approval.expires_at,
    recipient: link.recipient,
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
    const { approval, event } = await recordDecision({
      orgId: resolved.orgId,
      approvalId: resolved.approval.id,
      decision: parsed.data.decision,
      decidedBy: resolved.link.recipient,
      note: parsed.data.note || undefined,
      via: "link",
    });
    await deliverDecision(client, approval, event, log);
    log.info("approval decided by link", {
      org_id: resolved.orgId,
      execution_id: approval.execution_id,
      step_id: approval.step_id,
      decision: event.decision,
    });
    return confirmationPage(event.decision, event.decided_at);
  } catch (error) {
    if (isAppError(error) && error.code === "resource.conflict") return gonePage("decided");
    throw error;
  }
}
