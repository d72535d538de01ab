// Activity: opens an approval gate — its record, one link per recipient, and the emails/SMS that carry the links.
import { settings } from "../config";
import { now } from "../clock";
import { readUser } from "../identity/repository";
import { sendNotification } from "../notify/notifier";
import type { ApprovalDoc, Decision, LinkDoc, Recipient } from "./model";
import { approvalDocs, approvalId, linkDocId, linkDocs } from "./model";
import { linkIdFor, signLinkToken } from "./link-token";
import { approvalEmail, approvalSms } from "./messages";

export interface OpenGateInput {
  org_id: string;
  execution_id: string;
  step_id: string;
  agent_id: string;
  agent_name: string;
  message: string;
  /** Exactly one field each (the agent schema guarantees it). */
  approvers: { email?: string; phone?: string; user_id?: string }[];
  expires_at: string;
  on_timeout: Decision;
  trigger_summary: ApprovalDoc["trigger_summary"];
}

export interface OpenGateOutput {
  recipients: { identity: string; channel: "email" | "sms" }[];
  /** Approvers given by user id that are not active users of the org: they get no link. */
  unreachable: string[];
}

/** Email and phone approvers as given; user ids resolved to the user's email (active users of the org only). */
async function resolveRecipients(
  input: OpenGateInput,
): Promise<{ recipients: Recipient[]; unreachable: string[] }> {
  const recipients: Recipient[] = [];
  const unreachable: string[] = [];
  for (const { email, phone, user_id } of input.approvers) {
    if (email) recipients.push({ identity: `email:${email}`, channel: "email", address: email });
    else if (phone) recipients.push({ identity: `phone:${phone}`, channel: "sms", address: phone });
    else if (user_id) {
      const user = await readUser(input.org_id, user_id);
      if (user?.status === "active")
        recipients.push({ identity: user.user_id, channel: "email", address: user.email });
      else unreachable.push(user_id);
    }
  }
  return { recipients, unreachable };
}

export async function openApprovalGate(input: OpenGateInput): Promise<OpenGateOutput> {
  const secret = settings().APPROVAL_LINK_SECRET;
  const { recipients, unreachable } = await resolveRecipients(input);
  const id = approvalId(input.execution_id, input.step_id);
  const approval: ApprovalDoc = {
    id,
    org_id: input.org_id,
    kind: "approval",
    execution_id: input.execution_id,
    step_id: input.step_id,
    agent_id: input.agent_id,
    agent_name: input.agent_name,
    message: input.message,
    trigger_summary: input.trigger_summary,
    recipients,
    expires_at: input.expires_at,
    on_timeout: input.on_timeout,
    status: "pending",
    created_at: now().toISOString(),
  };
  // Repeating this activity after a crash finds the record and the links in place and re-sends the same links,
  // which the notifier's idempotency key turns into no-ops.
  await approvalDocs.createIfAbsent(approval);
  const base = settings().PUBLIC_BASE_URL.replace(/\/+$/, "");
  for (const recipient of recipients) {
    const linkId = linkIdFor(secret, input.execution_id, input.step_id, recipient.identity);
    const link: LinkDoc = {
      id: linkDocId(linkId),
      org_id: input.org_id,
      kind: "approval_link",
      approval_id: id,
      execution_id: input.execution_id,
      step_id: input.step_id,
      recipient: recipient.identity,
    };
    await linkDocs.createIfAbsent(link);
    const token = signLinkToken(
      { orgId: input.org_id, linkId, expiresAt: Date.parse(input.expires_at) },
      secret,
    );
    const url = `${base}/api/approvals/${token}`;
    const email = approvalEmail(input.agent_name, input.message, url, input.expires_at);
    await sendNotification({
      channel: recipient.channel,
      to: recipient.address,
      subject: recipient.channel === "email" ? email.subject : undefined,
      text: recipient.channel === "email" ? email.text : approvalSms(input.agent_name, url),
      org_id: input.org_id,
      idempotency_key: `${input.execution_id}:${input.step_id}:${recipient.identity}`,
    });
  }
  return { recipients: recipients.map(({ identity, channel }) => ({ identity, channel })), unreachable };
}
