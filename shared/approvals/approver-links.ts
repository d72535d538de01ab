// One approver's personal decision link: its record, its signed URL, and the email or SMS that carries it.
import { createHmac } from "node:crypto";
import { settings } from "../config";
import { linkUrl, signLink } from "../links/signed-link";
import { sendNotification } from "../notify/notifier";
import { approvalEmail, approvalSms, reminderEmail, reminderSms } from "./messages";
import type { ApprovalDoc, LinkDoc, Recipient } from "./model";
import { linkDocId, linkDocs } from "./model";

/** The link id for one recipient of one gate: the same every time, so a repeated activity sends the same link. */
function linkIdFor(secret: string, executionId: string, stepId: string, recipient: string): string {
  return createHmac("sha256", secret)
    .update(`link\n${executionId}\n${stepId}\n${recipient}`)
    .digest()
    .subarray(0, 12)
    .toString("base64url");
}

/** The link is the same every time (its id is derived, its expiry is the gate's), so a reminder re-sends it. */
export async function approverLink(approval: ApprovalDoc, recipient: Recipient): Promise<string> {
  const secret = settings().APPROVAL_LINK_SECRET;
  const linkId = linkIdFor(secret, approval.execution_id, approval.step_id, recipient.identity);
  const link: LinkDoc = {
    id: linkDocId(linkId),
    org_id: approval.org_id,
    kind: "approval_link",
    approval_id: approval.id,
    execution_id: approval.execution_id,
    step_id: approval.step_id,
    recipient: recipient.identity,
  };
  await linkDocs.createIfAbsent(link);
  const token = signLink("approval", {
    orgId: approval.org_id,
    linkId,
    expiresAt: Date.parse(approval.expires_at),
  });
  return linkUrl(`/api/approvals/${token}`);
}

/**
 * Sends the approver their link: the first request, or reminder number `round`. The idempotency key names the
 * gate, the approver and the round, so a repeated activity sends each message once.
 */
export async function sendApproverLink(
  approval: ApprovalDoc,
  recipient: Recipient,
  round?: number,
): Promise<void> {
  const url = await approverLink(approval, recipient);
  const key = `${approval.execution_id}:${approval.step_id}:${recipient.identity}`;
  const email =
    round === undefined
      ? approvalEmail(approval.agent_name, approval.message, url, approval.expires_at)
      : reminderEmail(approval.agent_name, approval.message, url, approval.expires_at);
  const sms =
    round === undefined ? approvalSms(approval.agent_name, url) : reminderSms(approval.agent_name, url);
  await sendNotification({
    channel: recipient.channel,
    to: recipient.address,
    subject: recipient.channel === "email" ? email.subject : undefined,
    text: recipient.channel === "email" ? email.text : sms,
    org_id: approval.org_id,
    idempotency_key: round === undefined ? key : `${key}:reminder:${round}`,
  });
}
