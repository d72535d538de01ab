// The README walkthrough as steps: each does what the README's commands do and returns what it saw, or throws.
import { randomBytes } from "node:crypto";
import type { DemoClient } from "./http";
import { DemoError, waitUntil } from "./http";
import { readmeApprovalAgent, readmeExampleAgent } from "./readme";

export interface DemoStep {
  title: string;
  run(): Promise<string>;
}

interface Execution {
  execution_id: string;
  agent_id: string;
  status: string;
  trigger_event: { data: Record<string, unknown> };
  steps: { step_id: string; status: string; outputs?: Record<string, unknown>; decided_by?: string }[];
}

interface ProductCall {
  method: string;
  path: string;
  execution_id: string | null;
  status: number;
  response: Record<string, unknown>;
}

const FINISHED = ["succeeded", "failed", "rejected", "cancelled"];

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new DemoError(message);
}

export interface DemoOptions {
  ownerEmail: string;
  ownerPassword: string;
}

/** The walkthrough's steps, sharing what earlier steps obtained. Emails are fresh each run, so it can run again. */
export function walkthrough(client: DemoClient, options: DemoOptions): DemoStep[] {
  const run = randomBytes(3).toString("hex");
  const email = (name: string) => `${name}-${run}@example.com`;
  let cookie = "";
  let agents = "";
  let hub = "";
  let exampleAgentId = "";
  let approvalAgentId = "";
  let grace: Execution | undefined;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  const createUser = async (name: string, firstName: string, lastName: string, extra: object = {}) => {
    const body = { email: email(name), firstName, lastName, orgRole: "member", ...extra };
    const answer = await client.request<{ id: string }>("/api/users", { headers: bearer(hub), body });
    return answer.body.id;
  };

  /** The execution of `agentId` that the user with `userEmail` triggered, once `done` holds for it. */
  const executionFor = (agentId: string, userEmail: string, done: (e: Execution) => boolean) =>
    waitUntil(
      `the execution of ${agentId} for ${userEmail}`,
      async () => {
        const query = `agent_id=${encodeURIComponent(agentId)}&limit=100`;
        const list = await client.request<{ items: Execution[] }>(`/api/executions?${query}`, {
          headers: bearer(agents),
        });
        return list.body.items.find((e) => e.trigger_event.data.email === userEmail);
      },
      (execution) => execution !== undefined && done(execution),
    ) as Promise<Execution>;

  const succeeded = (execution: Execution, what: string) => {
    const reasons = JSON.stringify(execution.steps.filter((s) => s.status !== "succeeded"));
    check(execution.status === "succeeded", `${what} ended ${execution.status}: ${reasons}`);
  };

  return [
    {
      title: "Health: GET /api/health",
      run: async () => {
        const { body } = await client.request<{ status: string; version: string }>("/api/health");
        check(body.status === "ok", `health says ${JSON.stringify(body)}`);
        return `ok, version ${body.version}`;
      },
    },
    {
      title: "Sign in as the demo owner: POST /api/auth/login",
      run: async () => {
        const answer = await client.request<{ org: { slug: string; id: string } }>("/api/auth/login", {
          body: { email: options.ownerEmail, password: options.ownerPassword },
        });
        const session = answer.headers.getSetCookie().find((line) => /^(__Host-)?hub_session=/.test(line));
        check(session, "sign-in set no hub_session cookie");
        cookie = session.split(";")[0]!;
        return `200, session cookie set, org "${answer.body.org.slug}" (${answer.body.org.id})`;
      },
    },
    {
      title: "Exchange the session for tokens: POST /api/auth/token (agents, hub)",
      run: async () => {
        const token = async (audience: string) =>
          (
            await client.request<{ access_token: string; expires_in: number }>("/api/auth/token", {
              headers: { cookie },
              body: { audience },
            })
          ).body;
        const forAgents = await token("agents");
        agents = forAgents.access_token;
        hub = (await token("hub")).access_token;
        return `two RS256 access tokens, valid ${forAgents.expires_in} s`;
      },
    },
    {
      title: "Call the Agents API and read the issuer's keys: GET /api/agents, /.well-known/*",
      run: async () => {
        const list = await client.request<{ items: { is_system: boolean }[] }>("/api/agents", {
          headers: bearer(agents),
        });
        const config = await client.request<{ issuer: string }>("/api/.well-known/openid-configuration");
        const jwks = await client.request<{ keys: unknown[] }>("/api/.well-known/jwks.json");
        const system = list.body.items.filter((agent) => agent.is_system).length;
        return `${list.body.items.length} agents (${system} system); issuer ${config.body.issuer}, ${jwks.body.keys.length} public key(s)`;
      },
    },
    {
      title: "Issue an integration key and use it: POST /api/integration-keys",
      run: async () => {
        const issued = await client.request<{ id: string; key: string; prefix: string }>(
          "/api/integration-keys",
          {
            headers: bearer(agents),
            body: { name: `PSA sync ${run}`, scopes: ["agents:read"] },
          },
        );
        await client.request("/api/agents", { headers: { "x-integration-key": issued.body.key } });
        const listed = await client.request("/api/integration-keys", { headers: bearer(agents) });
        check(!listed.text.includes(issued.body.key), "the key list shows a secret");
        check(listed.text.includes(issued.body.id), "the key list lacks the new key");
        return `key ${issued.body.prefix}… answers GET /api/agents; listed without its secret`;
      },
    },
    {
      title: "Add a user with PSA access (IAM): POST /api/users",
      run: async () => {
        const id = await createUser("ada", "Ada", "Lovelace", { product_access: { psa: "technician" } });
        const read = await client.request<{ product_access: Record<string, string> }>(`/api/users/${id}`, {
          headers: bearer(hub),
        });
        return `201, user ${id} (${email("ada")}), product_access ${JSON.stringify(read.body.product_access)}`;
      },
    },
    {
      title: "Create the README's example agent: POST /api/agents",
      run: async () => {
        const created = await client.request<{ id: string }>("/api/agents", {
          headers: bearer(agents),
          body: readmeExampleAgent(),
          expect: [201],
        });
        exampleAgentId = created.body.id;
        check(created.headers.get("etag") && created.headers.get("location"), "201 without ETag or Location");
        return `201, agent ${exampleAgentId}, Location ${created.headers.get("location")}`;
      },
    },
    {
      title: "A new user runs it and the onboarding system agent: POST /api/users, GET /api/executions",
      run: async () => {
        await createUser("grace", "Grace", "Hopper");
        grace = await executionFor(exampleAgentId, email("grace"), (e) => FINISHED.includes(e.status));
        succeeded(grace, "the example agent");
        const onboarding = await executionFor("sys-onboard-new-user", email("grace"), (e) =>
          FINISHED.includes(e.status),
        );
        succeeded(onboarding, "sys-onboard-new-user");
        // A product step's outputs are the product's answer: {status, body, attempts}.
        const answer = grace.steps.find((s) => s.step_id === "open-ticket")?.outputs as
          { status: number; body: { id?: string } } | undefined;
        check(answer?.body.id, "the ticket step has no ticket id in its outputs");
        return `example agent: succeeded (PSA answered ${answer.status}, ticket ${answer.body.id}); sys-onboard-new-user: succeeded`;
      },
    },
    {
      title: "Read the audit log: GET /api/executions/{id}",
      run: async () => {
        const log = await client.request<Execution & { credits_used: number }>(
          `/api/executions/${grace!.execution_id}`,
          { headers: bearer(agents) },
        );
        const steps = log.body.steps.map((s) => `${s.step_id} ${s.status}`).join(", ");
        return `${log.body.status}: ${steps}; ${log.body.credits_used} credit(s)`;
      },
    },
    {
      title: "The sandboxed PSA received the calls: GET /dev/products/calls",
      run: async () => {
        const calls = await client.request<{ items: ProductCall[] }>("/dev/products/calls?product=psa");
        const mine = calls.body.items.find((c) => c.execution_id === grace!.execution_id);
        check(mine && mine.status < 300, `no successful PSA call for execution ${grace!.execution_id}`);
        return `${calls.body.items.length} PSA call(s); the example agent's: ${mine.method} ${mine.path} → ${mine.status} ${String(mine.response.id)}`;
      },
    },
    {
      title: "Approve from the emailed link: an approval gate, GET /dev/outbox, the link page",
      run: async () => {
        const approver = email("lead");
        const body = JSON.parse(
          JSON.stringify(readmeApprovalAgent()).replaceAll("lead@example.com", approver),
        ) as object;
        approvalAgentId = (
          await client.request<{ id: string }>("/api/agents", {
            headers: bearer(agents),
            body,
            expect: [201],
          })
        ).body.id;
        await createUser("alan", "Alan", "Turing");
        await executionFor(approvalAgentId, email("alan"), (e) => e.status === "waiting_for_approval");
        const outbox = await waitUntil(
          `the approval email to ${approver}`,
          async () =>
            (await client.request<{ items: { links: string[] }[] }>(`/dev/outbox?to=${approver}`)).body.items,
          (items) => items.some((m) => m.links.some((l) => l.includes("/api/approvals/"))),
        );
        const link = outbox.flatMap((m) => m.links).find((l) => l.includes("/api/approvals/"))!;
        const page = await client.request(link);
        check(page.text.includes("Open a ticket for Alan?"), "the approval page does not show the request");
        const form = new URLSearchParams({
          decision: "approve",
          note: "Approved by npm run demo",
        }).toString();
        await client.request(link, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: form,
        });
        const done = await executionFor(approvalAgentId, email("alan"), (e) => FINISHED.includes(e.status));
        succeeded(done, "the approval agent");
        const gate = done.steps.find((s) => s.step_id === "ask");
        check(gate?.decided_by === `email:${approver}`, `the gate was decided by ${gate?.decided_by}`);
        await client.request(link, { expect: [410] });
        return `waiting_for_approval → approved by ${gate.decided_by} → succeeded; the link now answers 410`;
      },
    },
    {
      title: "Credits used today: GET /api/usage",
      run: async () => {
        const today = new Date().toISOString().slice(0, 10);
        const usage = await client.request<{ total_credits: number; by_agent_and_day: unknown[] }>(
          `/api/usage?from=${today}&to=${today}`,
          { headers: bearer(agents) },
        );
        return `${usage.body.total_credits} credit(s) today, over ${usage.body.by_agent_and_day.length} agent-day row(s)`;
      },
    },
    {
      title: "Clean up: DELETE the demo's agents, revoke the hub token, sign out",
      run: async () => {
        for (const id of [exampleAgentId, approvalAgentId])
          await client.request(`/api/agents/${id}`, {
            method: "DELETE",
            headers: bearer(agents),
            expect: [204],
          });
        const jti = (JSON.parse(Buffer.from(hub.split(".")[1]!, "base64url").toString()) as { jti: string })
          .jti;
        await client.request("/api/auth/revoke", { headers: bearer(hub), body: { jti }, expect: [204] });
        await client.request("/api/users", { headers: bearer(hub), expect: [401] });
        await client.request("/api/auth/logout", { method: "POST", headers: { cookie } });
        return "agents deleted (204); the revoked token gets 401; signed out";
      },
    },
  ];
}
