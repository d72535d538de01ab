// What an invited person receives: who invited them to which org, the link, and until when it works.

export function invitationEmail(
  orgName: string,
  inviterName: string | null,
  link: string,
  expiresAt: string,
) {
  const who = inviterName ? `${inviterName} invited you` : "You are invited";
  const text = [
    `${who} to join ${orgName} on Hub, the sign-in of The One Stack.`,
    "",
    `Set your password and sign in: ${link}`,
    "",
    `The link works once and expires at ${expiresAt}. If you did not expect this invitation, ignore this email.`,
  ].join("\n");
  return { subject: `You are invited to ${orgName} on Hub`.slice(0, 200), text };
}
