// Invitations through HTTP and the devhost outbox (docs/identity.md#invitations): the link, resend, revoke, expiry,
// reuse, and what one org can learn of, or do to, another org's people.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost } from "../support/devhost";
import type { CreatedOrg } from "../support/identity";
import {
  acceptInvitation,
  accessToken,
  createOrg,
  createUserWithPassword,
  invitationLinkFor,
  login,
  MANY_SIGN_INS_MS,
  sessionOf,
} from "../support/identity";
import type { IamClient, UserBody } from "../support/iam";
import { createUser, iamClient, newPassword, newUserBody, ownerToken } from "../support/iam";

const freshEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;

describe("invitations", () => {
  let host: DevHost;
  let orgA: CreatedOrg;
  let orgB: CreatedOrg;
  let iamA: IamClient;
  let iamB: IamClient;
  beforeAll(async () => {
    host = await bootDevHost();
    [orgA, orgB] = [await createOrg(host, { name: "Acme" }), await createOrg(host, { name: "Bravo" })];
    iamA = iamClient(host, await ownerToken(host, orgA));
    iamB = iamClient(host, await ownerToken(host, orgB));
  }, MANY_SIGN_INS_MS);
  afterAll(() => host.stop());

  const outboxFor = async (email: string) =>
    (
      (await (await fetch(`${host.url}/dev/outbox?to=${encodeURIComponent(email)}`)).json()) as {
        items: { subject: string; text: string; links: string[]; idempotency_key: string }[];
      }
    ).items;
  const pageAt = (link: string, init?: RequestInit) => fetch(`${host.url}${new URL(link).pathname}`, init);
  const userOf = async (client: IamClient, id: string) => (await (await client.get(id)).json()) as UserBody;

  it(
    "invites by email; the link sets the password, signs the person in, and then works no more",
    async () => {
      const user = await createUser(iamA, { email: freshEmail("ivy"), firstName: "Ivy" });
      expect(user.invitation).toMatchObject({ status: "pending" });
      expect(Date.parse(user.invitation!.expires_at) - Date.parse(user.invitation!.sent_at)).toBeGreaterThan(
        7 * 24 * 3600 * 1000 - 2000,
      );
      const [email] = await outboxFor(user.email);
      expect(email!.subject).toBe("You are invited to Acme on Hub");
      expect(email!.text).toContain("Olive Owner invited you to join Acme");
      const link = await invitationLinkFor(host, user.email);
      expect(link).toMatch(new RegExp(`^${host.url}/api/invitations/v2\\.`));

      // GET is safe to repeat (mail scanners fetch links) and shows a form that posts back to itself.
      for (let i = 0; i < 2; i++) {
        const page = await pageAt(link);
        expect(page.status).toBe(200);
        expect(page.headers.get("cache-control")).toBe("no-store");
        expect(page.headers.get("referrer-policy")).toBe("no-referrer");
        expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
        const html = await page.text();
        expect(html).toContain("Join Acme on Hub");
        expect(html).toContain('name="password"');
        expect(html).not.toContain("<script");
      }

      // A stale form (no CSRF pair) and a weak password show the form again and change nothing.
      const noCsrf = await pageAt(link, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ password: newPassword() }).toString(),
      });
      expect(noCsrf.status).toBe(403);
      const short = await acceptInvitation(host, link, "too-short");
      expect(short.status).toBe(422);
      expect(await short.text()).toContain("The password must be at least 12 characters.");
      expect((await userOf(iamA, user.id)).invitation?.status).toBe("pending");

      const password = newPassword();
      const accepted = await acceptInvitation(host, link, password);
      expect(accepted.status).toBe(200);
      const session = sessionOf(accepted);
      // The cookie is a real session, and the password signs in from now on.
      await expect(accessToken(host, session, "hub")).resolves.toEqual(expect.any(String));
      await expect(login(host, user.email, password)).resolves.toMatch(/^__Host-hub_session=/);
      expect((await userOf(iamA, user.id)).invitation).toBeUndefined();

      // Used: 410, by GET and by POST; nothing about the account changes.
      expect((await pageAt(link)).status).toBe(410);
      expect((await acceptInvitation(host, link, newPassword())).status).toBe(410);
      await expect(login(host, user.email, password)).resolves.toMatch(/^__Host-hub_session=/);
      // Nothing to resend or revoke once accepted.
      expect((await iamA.resendInvitation(user.id)).status).toBe(409);
      expect((await iamA.revokeInvitation(user.id)).status).toBe(409);
    },
    MANY_SIGN_INS_MS,
  );

  it("answers a forged, garbled or other-purpose token with the 404 page, before reading anything", async () => {
    const user = await createUser(iamA);
    const link = await invitationLinkFor(host, user.email);
    const token = link.slice(link.lastIndexOf("/") + 1);
    const tampered = token.slice(0, -2) + (token.endsWith("AA") ? "BA" : "AA");
    for (const bad of [tampered, "v2.x.y.z.w", "nonsense", token + "x"]) {
      const page = await fetch(`${host.url}/api/invitations/${encodeURIComponent(bad)}`);
      expect(page.status, bad).toBe(404);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    }
    // The same token on the approval route: a link of one purpose is a forgery to every other.
    expect((await fetch(`${host.url}/api/approvals/${token}`)).status).toBe(404);
  });

  it(
    "resends (a new link; the old one answers 410) and revokes (410; a resend invites again)",
    async () => {
      const user = await createUser(iamA);
      const first = await invitationLinkFor(host, user.email);
      const resent = await iamA.resendInvitation(user.id);
      expect(resent.status).toBe(200);
      expect(((await resent.json()) as UserBody).invitation?.status).toBe("pending");
      const second = await invitationLinkFor(host, user.email);
      expect(second).not.toBe(first);
      expect((await outboxFor(user.email)).length).toBe(2);
      expect((await pageAt(first)).status).toBe(410);
      expect((await acceptInvitation(host, first, newPassword())).status).toBe(410);
      expect((await pageAt(second)).status).toBe(200);

      const revoked = await iamA.revokeInvitation(user.id);
      expect(revoked.status).toBe(200);
      expect(((await revoked.json()) as UserBody).invitation?.status).toBe("revoked");
      expect((await iamA.revokeInvitation(user.id)).status).toBe(200); // already revoked: nothing to do
      expect((await pageAt(second)).status).toBe(410);
      expect((await acceptInvitation(host, second, newPassword())).status).toBe(410);
      await expect(login(host, user.email, newPassword())).rejects.toThrow(/401/);

      expect((await iamA.resendInvitation(user.id)).status).toBe(200);
      const third = await invitationLinkFor(host, user.email);
      const password = newPassword();
      expect((await acceptInvitation(host, third, password)).status).toBe(200);
      await expect(login(host, user.email, password)).resolves.toMatch(/^__Host-hub_session=/);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "keeps resend and revoke to the org's admins: another org's user is 404, a member is refused",
    async () => {
      const user = await createUser(iamA);
      expect((await iamB.resendInvitation(user.id)).status).toBe(404);
      expect((await iamB.revokeInvitation(user.id)).status).toBe(404);
      const member = await createUserWithPassword(host, orgA, { orgRole: "member" });
      const memberIam = iamClient(
        host,
        await accessToken(host, await login(host, member.email, member.password), "hub"),
      );
      expect((await memberIam.resendInvitation(user.id)).status).toBe(403);
      expect((await memberIam.revokeInvitation(user.id)).status).toBe(403);
      expect((await userOf(iamA, user.id)).invitation?.status).toBe("pending");
      expect((await outboxFor(user.email)).length).toBe(1);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "tells org B nothing about A's people, lets B block nothing, and lets the person choose",
    async () => {
      // A's owner signs in to Hub; a new email exists nowhere. B's two invitations answer alike.
      const shape = (response: Response, body: UserBody) => ({
        status: response.status,
        location: response.headers.get("location")?.replace(body.id, "ID"),
        body: {
          ...body,
          id: "ID",
          email: "EMAIL",
          created_at: "T",
          updated_at: "T",
          invitation: { ...body.invitation!, sent_at: "T", expires_at: "T" },
        },
      });
      const existing = await iamB.create(newUserBody({ email: orgA.owner.email.toUpperCase() }));
      const existingBody = (await existing.json()) as UserBody;
      const fresh = await iamB.create(newUserBody({ email: freshEmail("fresh") }));
      const freshBody = (await fresh.json()) as UserBody;
      expect(shape(existing, existingBody)).toEqual(shape(fresh, freshBody));
      expect(existing.status).toBe(201);

      // A is unaffected: its owner signs in as before, and only A's user bears the email in A.
      await expect(login(host, orgA.owner.email, orgA.owner.password)).resolves.toMatch(
        /^__Host-hub_session=/,
      );
      expect((await userOf(iamA, orgA.owner.id)).email).toBe(orgA.owner.email);

      // B's link reaches the person, who already has an account: a clear page, and B learns only "not accepted".
      const bLink = await invitationLinkFor(host, orgA.owner.email);
      const page = await pageAt(bLink);
      expect(page.status).toBe(409);
      expect(await page.text()).toContain("already signs in to Hub with another organization");
      expect((await acceptInvitation(host, bLink, newPassword())).status).toBe(409);
      await expect(login(host, orgA.owner.email, orgA.owner.password)).resolves.toMatch(
        /^__Host-hub_session=/,
      );
      expect((await userOf(iamB, existingBody.id)).invitation?.status).toBe("pending");

      // B invites someone first; A can still invite the same email, and the person accepts A's.
      const person = freshEmail("sought-after");
      expect((await iamB.create(newUserBody({ email: person }))).status).toBe(201);
      const bInvite = await invitationLinkFor(host, person);
      const aUser = await iamA.create(newUserBody({ email: person }));
      expect(aUser.status).toBe(201);
      const aInvite = await invitationLinkFor(host, person);
      expect(aInvite).not.toBe(bInvite);
      const password = newPassword();
      expect((await acceptInvitation(host, aInvite, password)).status).toBe(200);
      const session = await login(host, person, password);
      const token = await accessToken(host, session, "hub");
      expect(JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString())).toMatchObject({
        org_id: orgA.orgId,
      });
      // Now the email signs in to A: B's invitation shows the person the rule, and stays "not accepted".
      expect((await pageAt(bInvite)).status).toBe(409);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "answers 410 once the 7 days have passed (the devhost clock moves), and the admin sees it expired",
    async () => {
      const user = await createUser(iamA);
      const link = await invitationLinkFor(host, user.email);
      host.clock.advance(7 * 24 * 3600 * 1000 + 1000);
      expect((await pageAt(link)).status).toBe(410);
      expect((await acceptInvitation(host, link, newPassword())).status).toBe(410);
      const iam = iamClient(host, await ownerToken(host, orgA));
      expect((await userOf(iam, user.id)).invitation?.status).toBe("expired");
      // A resend gives a fresh week.
      expect((await iam.resendInvitation(user.id)).status).toBe(200);
      const fresh = await invitationLinkFor(host, user.email);
      expect((await pageAt(fresh)).status).toBe(200);
    },
    MANY_SIGN_INS_MS,
  );
});
