// The load run's fixture, made through the public API only: an org like the demo org, its owner's session and
// tokens, an events:publish key, and the agents the mix reads, writes and triggers.
import { randomBytes } from "node:crypto";

/** Every product entitlement and ai:pro, as the demo org `npm start` seeds. */
const DEMO_ENTITLEMENTS = ["psa", "portal", "agents", "defend", "jarvis", "ai:pro"];

/** Agents the reads and writes use; events trigger two more (a ticket agent and a gated one). */
export const AGENTS_READ = 20;
export const AGENTS_WRITTEN = 20;

export interface Fixture {
  orgId: string;
  email: string;
  password: string;
  /** `__Host-hub_session=…`; sign-ins in the mix replace it. */
  cookie: string;
  /** Agents-audience token of the owner (an org Admin in Agents); token exchanges in the mix replace it. */
  agentsToken: string;
  eventsKey: string;
  readIds: string[];
  /** Agents the writes update, each with its current ETag (a PUT needs If-Match). */
  written: { id: string; etag: string; body: AgentBody }[];
}

export type AgentBody = Record<string, unknown>;

async function call<T>(
  base: string,
  path: string,
  init: RequestInit & { expect?: number },
): Promise<Response & { json(): Promise<T> }> {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...init.headers },
  });
  const expected = init.expect ?? 200;
  if (response.status !== expected)
    throw new Error(
      `load fixture: ${init.method ?? "GET"} ${path} answered ${response.status}: ${await response.text()}`,
    );
  return response;
}

/** A ticket for every `psa.ticket.created` whose data says `route: "ticket"` (a product action in the sandbox). */
export const ticketAgent = (run: string): AgentBody => ({
  name: `Load ${run}: ticket follow-up`,
  trigger: { event_type: "psa.ticket.created", filter: [{ path: "route", op: "eq", value: "ticket" }] },
  steps: [
    {
      id: "note",
      type: "product_action",
      product: "psa",
      action: "create_ticket",
      params: { title: "Follow up {{trigger.data.subject}}", priority: "normal" },
      save_as: "ticket",
    },
  ],
});

/** A gate the owner decides through the API, then a ticket: for events whose data says `route: "gate"`. */
export const gatedAgent = (run: string): AgentBody => ({
  name: `Load ${run}: approve first`,
  trigger: { event_type: "psa.ticket.created", filter: [{ path: "route", op: "eq", value: "gate" }] },
  steps: [
    {
      id: "ask",
      type: "approval_gate",
      approvers: [{ org_role: "owner" }],
      message: "Open a ticket for {{trigger.data.subject}}?",
      timeout_seconds: 3600,
    },
    {
      id: "ticket",
      type: "product_action",
      product: "psa",
      action: "create_ticket",
      params: { title: "Approved: {{trigger.data.subject}}", priority: "normal" },
    },
  ],
});

/** Agents that no event of the run matches: what reads and writes touch. */
const quietAgent = (run: string, n: number): AgentBody => ({
  name: `Load ${run}: quiet ${n}`,
  description: "Read and rewritten by the load run; triggered by nothing it sends.",
  trigger: { event_type: "psa.ticket.closed", filter: [{ path: "route", op: "eq", value: `quiet-${n}` }] },
  steps: [
    {
      id: "note",
      type: "product_action",
      product: "psa",
      action: "create_ticket",
      params: { title: "Closed {{trigger.data.subject}}", priority: "low" },
    },
  ],
});

export async function setUpFixture(base: string, platformToken: string): Promise<Fixture> {
  const run = randomBytes(3).toString("hex");
  const email = `load-owner-${run}@example.com`;
  const password = `load-${randomBytes(12).toString("hex")}`;
  const created = await call<{ org: { id: string } }>(base, "/api/orgs", {
    method: "POST",
    expect: 201,
    headers: { authorization: `Bearer ${platformToken}` },
    body: JSON.stringify({
      slug: `load-${run}`,
      name: `Load run ${run}`,
      entitlements: DEMO_ENTITLEMENTS,
      owner: { email, firstName: "Load", lastName: "Owner", password },
    }),
  });
  const orgId = (await created.json()).org.id;
  const signedIn = await call(base, "/api/auth/login", {
    method: "POST",
    body: JSON.stringify({ email, password }),
  });
  const cookie = sessionCookie(signedIn.headers);
  const agentsToken = await exchange(base, cookie, "agents");
  const hub = await exchange(base, cookie, "hub");
  const key = await call<{ key: string }>(base, "/api/integration-keys", {
    method: "POST",
    expect: 201,
    headers: { authorization: `Bearer ${hub}` },
    body: JSON.stringify({ name: `load ${run}`, scopes: ["events:publish"] }),
  });
  const eventsKey = (await key.json()).key;
  const create = async (body: AgentBody) => {
    const answer = await call<{ id: string }>(base, "/api/agents", {
      method: "POST",
      expect: 201,
      headers: { authorization: `Bearer ${agentsToken}` },
      body: JSON.stringify(body),
    });
    return { id: (await answer.json()).id, etag: answer.headers.get("etag") ?? "", body };
  };
  await create(ticketAgent(run));
  await create(gatedAgent(run));
  const readIds: string[] = [];
  for (let n = 0; n < AGENTS_READ; n++) readIds.push((await create(quietAgent(run, n))).id);
  const written = [];
  for (let n = 0; n < AGENTS_WRITTEN; n++) written.push(await create(quietAgent(run, AGENTS_READ + n)));
  return { orgId, email, password, cookie, agentsToken, eventsKey, readIds, written };
}

export function sessionCookie(headers: Headers | Record<string, string | string[] | undefined>): string {
  const lines =
    headers instanceof Headers
      ? headers.getSetCookie()
      : ([] as string[]).concat(headers["set-cookie"] ?? []);
  const line = lines.find((cookie) => /^(__Host-)?hub_session=/.test(cookie));
  if (!line) throw new Error("load fixture: the sign-in set no hub_session cookie");
  return line.split(";")[0]!;
}

async function exchange(base: string, cookie: string, audience: string): Promise<string> {
  const answer = await call<{ access_token: string }>(base, "/api/auth/token", {
    method: "POST",
    headers: { cookie },
    body: JSON.stringify({ audience }),
  });
  return (await answer.json()).access_token;
}
