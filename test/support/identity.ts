// Test helpers for identities, through the public API wherever it exists.
//
//   createOrg(host, {slug?, entitlements?})        POST /api/orgs with the platform token → {orgId, slug, owner}
//                                                  (owner: {id, email, password}; default entitlements: every
//                                                  product and ai:pro, like the demo org)
//   login(host, email, password)                   POST /api/auth/login → the `__Host-hub_session=…` cookie pair
//   accessToken(host, session, audience)           POST /api/auth/token → the access token string
//   issueIntegrationKey(host, token, scopes, name?) POST /api/integration-keys → {id, key, …}
//   createUserWithPassword(host, org, {orgRole, product_access?, email?, …})
//                                                  POST /api/users as the org's owner (an invited user), then the
//                                                  invitation link from the devhost outbox, then its form with a
//                                                  password → {id, email, password}. The one place that knows how
//                                                  a test user gets a password
//   setPasswordByInvitation(host, email, password) the newest invitation link of the email, its form filled in
//                                                  (createUserWithPassword and iam.ts's createUser use it)
//   inviteUser(host, org, fields)                  POST /api/users as the owner → the response (not checked)
//   invitationLinkFor(host, email)                 the newest invitation link GET /dev/outbox holds for the email
//   acceptInvitation(host, link, password)         GET the link's page, POST its form → the response (its
//                                                  `__Host-hub_session` cookie when it succeeded)
//   asOwner(host, org, method, path, body?)        an IAM call as the org's owner (token cached per org)
//   deactivateUser(host, org, userId)              POST /api/users/{id}/deactivate as the org's owner
//   userToken(host, org, fields, audience)         createUserWithPassword + login + accessToken in one call
//   bearer(token) / keyHeader(key)                 request headers
//   expectNoSecretsInLogs(host)                    fails if any password, session, token or key these helpers
//                                                  saw appears in the devhost's captured logs; it runs by itself
//                                                  when a host booted by bootDevHost stops (checkOnStop), so
//                                                  every test file that imports these helpers is covered
//
// Every password is ≥ 12 characters; emails are unique per call so tests never collide.
import { randomUUID } from "node:crypto";
import type { DevHost } from "../../devhost/host";
import type { OrgRole } from "../../shared/auth/principal";
import { checkOnStop } from "./devhost";

type Host = Pick<DevHost, "url">;

/**
 * The time bound of a test that runs many sign-ins or password hashes: each is a full scrypt (~0.1 s alone, seconds
 * on a loaded machine), so a dozen outlast vitest's 30 s default. Only a bound to catch a hang, never a goal.
 */
export const MANY_SIGN_INS_MS = 120_000;

export const ALL_ENTITLEMENTS = ["psa", "portal", "agents", "defend", "jarvis", "ai:pro"];

export interface Credentials {
  id: string;
  email: string;
  password: string;
}

export interface CreatedOrg {
  orgId: string;
  slug: string;
  owner: Credentials;
}

/** Every secret the helpers handled in this test file, for expectNoSecretsInLogs. */
const seenSecrets = new Set<string>();
export function rememberSecret<T extends string>(secret: T): T {
  seenSecrets.add(secret);
  return secret;
}

export function expectNoSecretsInLogs(host: Pick<DevHost, "logs">): void {
  const leaks: string[] = [];
  for (const entry of host.logs) {
    for (const secret of seenSecrets) {
      if (entry.message.includes(secret)) leaks.push(`${entry.functionName}: ${entry.message.slice(0, 200)}`);
    }
  }
  if (leaks.length > 0) throw new Error(`Secrets in the logs:\n${leaks.join("\n")}`);
}

checkOnStop(expectNoSecretsInLogs);

const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;
const newPassword = () => rememberSecret(`pw-${randomUUID()}`);

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
export const keyHeader = (key: string): Record<string, string> => ({ "x-integration-key": key });
const jsonHeaders = { "content-type": "application/json" };

async function expectOk(response: Response, what: string): Promise<unknown> {
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

export async function createOrg(
  host: Host,
  options: { slug?: string; entitlements?: string[]; name?: string } = {},
): Promise<CreatedOrg> {
  const slug = options.slug ?? `org-${randomUUID().slice(0, 8)}`;
  const owner = { email: uniqueEmail("owner"), password: newPassword() };
  const response = await fetch(`${host.url}/api/orgs`, {
    method: "POST",
    headers: { ...jsonHeaders, authorization: `Bearer ${process.env.PLATFORM_ADMIN_TOKEN}` },
    body: JSON.stringify({
      slug,
      name: options.name ?? `Org ${slug}`,
      entitlements: options.entitlements ?? ALL_ENTITLEMENTS,
      owner: { ...owner, firstName: "Olive", lastName: "Owner" },
    }),
  });
  const body = (await expectOk(response, "POST /api/orgs")) as { org: { id: string }; owner: { id: string } };
  return { orgId: body.org.id, slug, owner: { id: body.owner.id, ...owner } };
}

export async function login(host: Host, email: string, password: string): Promise<string> {
  const response = await fetch(`${host.url}/api/auth/login`, {
    method: "POST",
    headers: jsonHeaders,
    body: JSON.stringify({ email, password }),
  });
  await expectOk(response, "POST /api/auth/login");
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith("__Host-hub_session="));
  if (!cookie) throw new Error("login set no __Host-hub_session cookie");
  const pair = cookie.split(";")[0]!;
  rememberSecret(pair.slice(pair.indexOf("=") + 1));
  rememberSecret(pair.slice(pair.indexOf(".") + 1));
  return pair;
}

export async function accessToken(host: Host, session: string, audience: string): Promise<string> {
  const response = await fetch(`${host.url}/api/auth/token`, {
    method: "POST",
    headers: { ...jsonHeaders, cookie: session },
    body: JSON.stringify({ audience }),
  });
  const { access_token } = (await expectOk(response, "POST /api/auth/token")) as { access_token: string };
  rememberSecret(access_token);
  // The signature alone would let nobody forge anything, but a logged token is a leaked token.
  rememberSecret(access_token.split(".")[2]!);
  return access_token;
}

export interface IssuedKey {
  id: string;
  key: string;
  prefix: string;
  scopes: string[];
}

export async function issueIntegrationKey(
  host: Host,
  token: string,
  scopes: string[],
  name = "test key",
): Promise<IssuedKey> {
  const response = await fetch(`${host.url}/api/integration-keys`, {
    method: "POST",
    headers: { ...jsonHeaders, ...bearer(token) },
    body: JSON.stringify({ name, scopes }),
  });
  const issued = (await expectOk(response, "POST /api/integration-keys")) as IssuedKey;
  rememberSecret(issued.key);
  return issued;
}

/** Each org owner's `hub` token, so a file creating many users signs the owner in once (again when it expired). */
const ownerTokens = new Map<string, string>();

/** Calls an IAM route as the org's owner. */
export async function asOwner(host: Host, org: CreatedOrg, method: string, path: string, body?: unknown) {
  const call = (token: string) =>
    fetch(`${host.url}/api${path}`, {
      method,
      headers: { ...bearer(token), ...(body === undefined ? {} : jsonHeaders) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const cached = ownerTokens.get(org.orgId);
  const response = cached ? await call(cached) : undefined;
  if (response && response.status !== 401) return response;
  await response?.arrayBuffer();
  const fresh = await accessToken(host, await login(host, org.owner.email, org.owner.password), "hub");
  ownerTokens.set(org.orgId, fresh);
  return call(fresh);
}

export interface NewUserFields {
  orgRole: OrgRole;
  product_access?: Record<string, string>;
  email?: string;
  firstName?: string;
  lastName?: string;
}

const newUserBody = (fields: NewUserFields) => ({
  email: fields.email ?? uniqueEmail(fields.orgRole),
  firstName: fields.firstName ?? "Sam",
  lastName: fields.lastName ?? "Tester",
  orgRole: fields.orgRole,
  ...(fields.product_access ? { product_access: fields.product_access } : {}),
});

/** POST /api/users as the org's owner: an invited user (the answer is the caller's to check). */
export async function inviteUser(host: Host, org: CreatedOrg, fields: NewUserFields): Promise<Response> {
  return asOwner(host, org, "POST", "/users", newUserBody(fields));
}

interface OutboxEntry {
  to: string;
  idempotency_key: string;
  links: string[];
  sent_at: string;
}

/** The newest invitation link the devhost outbox holds for the email (GET /dev/outbox, as a person reads mail). */
export async function invitationLinkFor(host: Host, email: string): Promise<string> {
  const response = await fetch(`${host.url}/dev/outbox?to=${encodeURIComponent(email)}`);
  const { items } = (await expectOk(response, "GET /dev/outbox")) as { items: OutboxEntry[] };
  const invitations = items.filter((item) => item.idempotency_key.startsWith("invitation:"));
  const link = invitations.at(-1)?.links.find((url) => url.includes("/api/invitations/"));
  if (!link) throw new Error(`no invitation link in the outbox for ${email}`);
  rememberSecret(link.slice(link.lastIndexOf("/") + 1));
  return link;
}

/** The invitation page's form, filled in as a browser would: its CSRF cookie and field, then the password. */
export async function acceptInvitation(host: Host, link: string, password: string): Promise<Response> {
  const url = new URL(link);
  const page = await fetch(`${host.url}${url.pathname}`);
  const html = await page.text();
  const cookie = page.headers
    .getSetCookie()
    .find((line) => line.startsWith("__Host-hub_form="))
    ?.split(";")[0];
  const formToken = /name="form_token" value="([^"]+)"/.exec(html)?.[1];
  return fetch(`${host.url}${url.pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(cookie ? { cookie } : {}),
    },
    body: new URLSearchParams({ form_token: formToken ?? "", password }).toString(),
  });
}

/** The session cookie pair an accepted invitation set. */
export function sessionOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith("__Host-hub_session="));
  if (!cookie) throw new Error("no __Host-hub_session cookie was set");
  const pair = cookie.split(";")[0]!;
  rememberSecret(pair.slice(pair.indexOf("=") + 1));
  rememberSecret(pair.slice(pair.indexOf(".") + 1));
  return pair;
}

/** Sets the password of a just-invited user the way the person would: the emailed link, then its form. */
export async function setPasswordByInvitation(host: Host, email: string, password: string): Promise<void> {
  rememberSecret(password);
  const accepted = await acceptInvitation(host, await invitationLinkFor(host, email), password);
  if (accepted.status !== 200)
    throw new Error(
      `the invitation page answered ${accepted.status}: ${(await accepted.text()).slice(0, 500)}`,
    );
  await accepted.arrayBuffer();
}

/** A user who can sign in: invited through the IAM API by the org's owner, then accepting the emailed link. */
export async function createUserWithPassword(
  host: Host,
  org: CreatedOrg,
  fields: NewUserFields,
): Promise<Credentials> {
  const password = newPassword();
  const response = await inviteUser(host, org, fields);
  const created = (await expectOk(response, "POST /api/users")) as { id: string; email: string };
  await setPasswordByInvitation(host, created.email, password);
  return { id: created.id, email: created.email, password };
}

export async function deactivateUser(host: Host, org: CreatedOrg, userId: string): Promise<void> {
  await expectOk(await asOwner(host, org, "POST", `/users/${userId}/deactivate`), "POST …/deactivate");
}

export async function userToken(
  host: Host,
  org: CreatedOrg,
  fields: NewUserFields,
  audience: string,
): Promise<{ user: Credentials; token: string; session: string }> {
  const user = await createUserWithPassword(host, org, fields);
  const session = await login(host, user.email, user.password);
  return { user, session, token: await accessToken(host, session, audience) };
}
