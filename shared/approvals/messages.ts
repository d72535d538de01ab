// What an approver receives: an email with the link, or an SMS of at most 160 characters including the link.

export const SMS_LIMIT = 160;

export function approvalEmail(agentName: string, message: string, link: string, expiresAt: string) {
  const subject = `Approval needed: ${agentName}`.slice(0, 200);
  const text = [
    `The agent "${agentName}" is waiting for your decision.`,
    "",
    message,
    "",
    `Review and decide: ${link}`,
    "",
    `The link works once and expires at ${expiresAt}. Opening it changes nothing until you press Approve or Reject.`,
  ].join("\n");
  return { subject, text };
}

/** Fits the link whole; the agent's name is cut (with an ellipsis) to make room. */
export function approvalSms(agentName: string, link: string): string {
  const tail = `: approval needed. ${link}`;
  const room = SMS_LIMIT - tail.length;
  if (room < 4) return link.slice(0, SMS_LIMIT);
  const name = agentName.length <= room ? agentName : `${agentName.slice(0, room - 1)}…`;
  return `${name}${tail}`;
}
