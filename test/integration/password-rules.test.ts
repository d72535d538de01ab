// The password rules on every route that sets a password (docs/auth.md, "Password rules"): 422 naming the field.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootDevHost, problemOf } from "../support/devhost";
import type { CreatedOrg } from "../support/identity";
import {
  acceptInvitation,
  bearer,
  createOrg,
  invitationLinkFor,
  inviteUser,
  login,
  MANY_SIGN_INS_MS,
} from "../support/identity";

const TOO_SHORT = "must be at least 12 characters";
const TOO_LONG = "must be at most 128 characters";
const COMMON = "is one of the most common passwords: choose one that is harder to guess";
const CONTAINS_EMAIL = "must not contain the part of your email address before the @";

/** Weak passwords for an email whose local part is `local`, with the one message each must get. */
const weak = (local: string): [string, string][] => [
  ["eleven char", TOO_SHORT],
  ["x".repeat(129), TOO_LONG],
  ["Qwerty123456", COMMON],
  [`my-${local.toUpperCase()}-passphrase`, CONTAINS_EMAIL],
];

describe("password rules", () => {
  let host: Awaited<ReturnType<typeof bootDevHost>>;
  let org: CreatedOrg;
  beforeAll(async () => {
    host = await bootDevHost();
    org = await createOrg(host);
  });
  afterAll(() => host.stop());

  const createOrgWith = (email: string, password: string) =>
    host.fetch("/api/orgs", {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(process.env.PLATFORM_ADMIN_TOKEN!) },
      body: JSON.stringify({
        slug: `rules-${randomUUID().slice(0, 8)}`,
        name: "Rules",
        owner: { email, firstName: "Rae", lastName: "Rules", password },
      }),
    });

  it(
    "POST /api/orgs refuses a weak owner password with 422 naming owner.password, and claims nothing",
    async () => {
      const local = `founder-${randomUUID().slice(0, 6)}`;
      const email = `${local}@example.com`;
      for (const [password, message] of weak(local)) {
        const response = await createOrgWith(email, password);
        expect(response.status, password).toBe(422);
        const problem = await problemOf(response);
        expect(problem.errors, password).toEqual([{ path: "owner.password", message }]);
      }
      // Nothing was claimed by the refusals: the same email makes an org with a good password, and signs in.
      const good = "a tide of quiet lanterns";
      expect((await createOrgWith(email, good)).status).toBe(201);
      expect(await login(host, email, good)).toMatch(/^__Host-hub_session=/);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "the invitation page refuses a weak password with 422 and the form again, naming each broken rule",
    async () => {
      const local = `member-${randomUUID().slice(0, 6)}`;
      const email = `${local}@example.com`;
      expect((await inviteUser(host, org, { orgRole: "member", email })).status).toBe(201);
      const link = await invitationLinkFor(host, email);
      for (const [password, message] of weak(local)) {
        const response = await acceptInvitation(host, link, password);
        expect(response.status, password).toBe(422);
        expect(await response.text(), password).toContain(`The password ${message}.`);
      }
      // Nothing was used up by the refusals: a good password is accepted and signs in.
      const good = "a tide of quiet lanterns";
      expect((await acceptInvitation(host, link, good)).status).toBe(200);
      expect(await login(host, email, good)).toMatch(/^__Host-hub_session=/);
    },
    MANY_SIGN_INS_MS,
  );
});
