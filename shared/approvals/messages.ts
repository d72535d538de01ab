// What an approver receives: an email with the link, or an SMS of at most 160 characters including the link.

export const SMS_LIMIT = 160;

function decisionEmail(lead: string, subject: string, message: string, link: string, expiresAt: string) {
  const text = [
    lead,
    "",
    message,
    "",
    `Review and decide: ${link}`,
    "",
    `The link works once and expires at ${expiresAt}. Opening it changes nothing until you press Approve or Reject.`,
  ].join("\n");
  return { subject: subject.slice(0, 200), text };
}

export const approvalEmail = (agentName: string, message: string, link: string, expiresAt: string) =>
  decisionEmail(
    `The agent "${agentName}" is waiting for your decision.`,
    `Approval needed: ${agentName}`,
    message,
    link,
    expiresAt,
  );

export const reminderEmail = (agentName: string, message: string, link: string, expiresAt: string) =>
  decisionEmail(
    `Reminder: the agent "${agentName}" is still waiting for your decision.`,
    `Reminder: approval needed: ${agentName}`,
    message,
    link,
    expiresAt,
  );

/** Fits the link whole; the agent's name is cut (with an ellipsis) to make room. */
function smsWith(agentName: string, tail: string, link: string): string {
  const room = SMS_LIMIT - tail.length;
  if (room < 4) return link.slice(0, SMS_LIMIT);
  const name = agentName.length <= room ? agentName : `${agentName.slice(0, room - 1)}…`;
  return `${name}${tail}`;
}

export const approvalSms = (agentName: string, link: string): string =>
  smsWith(agentName, `: approval needed. ${link}`, link);

export const reminderSms = (agentName: string, link: string): string =>
  smsWith(agentName, `: reminder, approval needed. ${link}`, link);
