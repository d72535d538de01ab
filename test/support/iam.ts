// Test helpers for the IAM API and the identity events it publishes.
//
//   iamClient(host, token)          the IAM routes as plain fetches (answers are Responses, for status checks)
//   ownerToken(host, org)           the org owner's `hub` token
//   newUserBody(overrides)          a valid POST /api/users body with a unique email
//   createUser(client, overrides)   POST /api/users expecting 201 → the user as answered; with a `password`
//                                   override, the invitation is then accepted with it (identity.ts's
//                                   setPasswordByInvitation: ~100 ms of scrypt, so most tests go without)
//   setEntitlements(host, orgId, …) PUT /api/orgs/{id}/entitlements with the platform token
//   iamEvents(host, userId?)        the hub.iam.* messages published so far (oldest first), optionally for one user
import { randomUUID } from "node:crypto";
import type { DevHost } from "../../devhost/host";
import type { BusMessage } from "../../devhost/bus/message";
import type { CloudEvent } from "../../shared/events/cloud-event";
import { busOf } from "./devhost";
import type { CreatedOrg } from "./identity";
import { accessToken, bearer, login, setPasswordByInvitation } from "./identity";

type Host = Pick<DevHost, "url">;

export interface UserBody {
  id: string;
  org_id: string;
  email: string;
  firstName: string;
  lastName: string;
  orgRole: string;
  status: string;
  product_access: Record<string, string>;
  created_at: string;
  updated_at: string;
  invitation?: { status: string; sent_at: string; expires_at: string };
}

export function iamClient(host: Host, token: string) {
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${host.url}/api${path}`, {
      method,
      headers: {
        ...bearer(token),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    host,
    list: (query = "") => call("GET", `/users${query}`),
    create: (body: unknown) => call("POST", "/users", body),
    get: (id: string) => call("GET", `/users/${id}`),
    patch: (id: string, body: unknown) => call("PATCH", `/users/${id}`, body),
    deactivate: (id: string) => call("POST", `/users/${id}/deactivate`),
    grant: (id: string, product: string, role: string) =>
      call("PUT", `/users/${id}/access/${product}`, { role }),
    revoke: (id: string, product: string) => call("DELETE", `/users/${id}/access/${product}`),
    resendInvitation: (id: string) => call("POST", `/users/${id}/invitation`),
    revokeInvitation: (id: string) => call("DELETE", `/users/${id}/invitation`),
  };
}
export type IamClient = ReturnType<typeof iamClient>;

export async function ownerToken(host: Host, org: CreatedOrg): Promise<string> {
  return accessToken(host, await login(host, org.owner.email, org.owner.password), "hub");
}

export const newPassword = () => `pw-${randomUUID()}`;

export interface NewUserBody {
  email: string;
  firstName: string;
  lastName: string;
  orgRole: string;
  [field: string]: unknown;
}

export const newUserBody = (overrides: Record<string, unknown> = {}): NewUserBody => ({
  email: `user-${randomUUID().slice(0, 8)}@example.com`,
  firstName: "Una",
  lastName: "User",
  orgRole: "member",
  ...overrides,
});

export async function createUser(
  client: IamClient,
  overrides: Record<string, unknown> = {},
): Promise<UserBody & { password?: string }> {
  const { password, ...fields } = overrides;
  const response = await client.create(newUserBody(fields));
  if (response.status !== 201)
    throw new Error(`POST /api/users answered ${response.status}: ${await response.text()}`);
  const user = (await response.json()) as UserBody;
  if (typeof password === "string") await setPasswordByInvitation(client.host, user.email, password);
  return { ...user, ...(typeof password === "string" ? { password } : {}) };
}

export function setEntitlements(
  host: Host,
  orgId: string,
  entitlements: unknown,
  token = process.env.PLATFORM_ADMIN_TOKEN!,
) {
  return fetch(`${host.url}/api/orgs/${orgId}/entitlements`, {
    method: "PUT",
    headers: { "content-type": "application/json", ...bearer(token) },
    body: JSON.stringify({ entitlements }),
  });
}

export type IamMessage = BusMessage & { body: CloudEvent };

export function iamEvents(host: DevHost, userId?: string): IamMessage[] {
  return (busOf(host).published() as IamMessage[]).filter(
    (message) =>
      message.body?.type?.startsWith("hub.iam.") &&
      (userId === undefined || message.body.data.user_id === userId),
  );
}

/** The claims of a JWT, unverified (the tests that verify signatures live with sign-in). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}
