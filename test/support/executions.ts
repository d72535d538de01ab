// Test helpers for agent executions: the example agent, publishing events on the devhost bus, waiting for outcomes
// (on the bus and Durable going idle, never on a sleep).
import { randomUUID } from "node:crypto";
import type { BusHandle } from "../../devhost/bus/extension";
import type { DurableHandle } from "../../devhost/durable/extension";
import type { DevHost } from "../../devhost/host";
import type { AgentsCaller } from "./agents-api";
import { bootDevHost } from "./devhost";
import type { FakeProduct } from "./fake-product";
import { startFakeProduct } from "./fake-product";
import { bearer } from "./identity";
import { PSA_SECRET } from "./oauth";

/** Settings pointing PSA at a fake product and registering PSA's client secret (for introspection). */
export const fakePsaSettings = (psa: FakeProduct): Record<string, string> => ({
  PRODUCT_PSA_BASE_URL: psa.url,
  PRODUCT_PSA_CLIENT_SECRET: PSA_SECRET,
});

/** The fake PSA validates every call's key at the host's introspection, as PSA's backend does. */
export const validatePsaKeys = (psa: FakeProduct, host: Pick<DevHost, "url">): void =>
  psa.validateKeys({ hubUrl: host.url, product: "psa", clientSecret: PSA_SECRET });

/** A devhost whose PSA is a fake product server validating keys at Hub, for tests where agents call products. */
export async function bootWithFakePsa(): Promise<{ host: DevHost; psa: FakeProduct; stop(): Promise<void> }> {
  const psa = await startFakeProduct();
  const host = await bootDevHost({ settings: fakePsaSettings(psa) });
  validatePsaKeys(psa, host);
  return {
    host,
    psa,
    stop: async () => {
      await host.stop();
      await psa.close();
    },
  };
}

export const TERMINAL = new Set([
  "succeeded",
  "failed",
  "rejected",
  "cancelled",
  "deduplicated",
  "skipped_budget",
]);

/** A one-step agent: a PSA ticket for every new user (the README's example is `exampleAgent` in ./agents). */
export const ticketAgent = (overrides: Record<string, unknown> = {}) => ({
  name: "Onboarding ticket",
  description: "Opens a PSA ticket to set up every new user.",
  trigger: { event_type: "hub.iam.user_created" },
  steps: [
    {
      id: "open-ticket",
      type: "product_action",
      product: "psa",
      action: "create_ticket",
      params: {
        title: "Set up {{trigger.data.firstName}} {{trigger.data.lastName}}",
        description: "New {{trigger.data.orgRole}}: {{trigger.data.email}}",
        priority: "normal",
      },
      save_as: "ticket",
    },
  ],
  ...overrides,
});

export async function createAgent(host: DevHost, token: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${host.url}/api/agents`, {
    method: "POST",
    headers: { ...bearer(token), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 201)
    throw new Error(`create agent answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/**
 * Agents that each react only to their own events: the example agent filtered on the new user's last name, so
 * tests sharing one org never trigger (or consume scripted product answers for) each other's agents.
 */
export const probeAgent = (lastName: string, overrides: Record<string, unknown> = {}) =>
  ticketAgent({
    name: `Probe ${lastName}`,
    trigger: {
      event_type: "hub.iam.user_created",
      filter: [{ path: "lastName", op: "eq", value: lastName }],
    },
    ...overrides,
  });

export function userCreatedEvent(orgId: string, lastName = "Lovelace", id: string = randomUUID()) {
  return {
    specversion: "1.0" as const,
    id,
    source: "/hub",
    type: "hub.iam.user_created",
    time: new Date().toISOString(),
    datacontenttype: "application/json" as const,
    orgid: orgId,
    data: {
      user_id: `u-${id.slice(0, 8)}`,
      email: "new.hire@example.com",
      firstName: "Ada",
      lastName,
      orgRole: "member",
      created_by: "test",
    },
  };
}

export const busOf = (host: DevHost): BusHandle => host.services.bus as BusHandle;

export interface ExecutionView {
  execution_id: string;
  agent_id: string;
  status: string;
  steps: {
    step_id: string;
    status: string;
    outputs: unknown;
    reason?: string;
    credits_used: number;
    decided_by?: string;
    decided_at?: string;
    decision_note?: string;
    /** Approval gates: outcome, counts and every decision (docs/approvals.md). */
    decisions?: {
      decision: string;
      decided_by: string;
      channel: string;
      decided_at: string;
      decision_note?: string;
    }[];
    [field: string]: unknown;
  }[];
  credits_used: number;
  [field: string]: unknown;
}

export async function listExecutions(host: DevHost, token: string, query: string): Promise<ExecutionView[]> {
  const response = await fetch(`${host.url}/api/executions?${query}`, { headers: bearer(token) });
  if (!response.ok) throw new Error(`list executions answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { items: ExecutionView[] }).items;
}

export const durableOf = (host: DevHost): DurableHandle => host.services.durable as DurableHandle;

/** Resolves once the instance's history grows: its next step, whatever wakes it (a real-time timer, a decision). */
function nextStep(host: DevHost, executionId: string, hangBoundMs: number): Promise<unknown> {
  const seen = durableOf(host).get(executionId)?.history.length ?? 0;
  return durableOf(host).waitFor(executionId, (instance) => instance.history.length > seen, {
    timeoutMs: hangBoundMs,
  });
}

/**
 * Resolves with the agent's executions once `done` holds for them. It waits on conditions, never on a clock: the
 * bus and Durable going idle, then the next step of an execution still running. It fails when nothing more can
 * happen (bus and Durable idle twice, nothing running) or when no running execution takes a step for
 * `hangBoundMs` (a bound to catch a hang, default 20 s).
 */
export async function waitForAgentExecutions(
  host: DevHost,
  token: string,
  agentId: string,
  done: (executions: ExecutionView[]) => boolean,
  expectation: string,
  hangBoundMs = 20_000,
): Promise<ExecutionView[]> {
  let settled = false;
  for (;;) {
    await busOf(host).idle();
    await durableOf(host).idle();
    const listed = await listExecutions(host, token, `agent_id=${encodeURIComponent(agentId)}&limit=100`);
    if (done(listed)) return listed;
    const running = listed.filter((execution) => !TERMINAL.has(execution.status));
    if (running.length === 0) {
      if (settled)
        throw new Error(
          `${expectation} for ${agentId}; with nothing left to run, saw ${JSON.stringify(listed.map((e) => e.status))}`,
        );
      settled = true;
      continue;
    }
    settled = false;
    await Promise.race(running.map((execution) => nextStep(host, execution.execution_id, hangBoundMs)));
  }
}

/** The agent's executions once `count` exist and all are finished. */
export function waitForExecutions(
  host: DevHost,
  token: string,
  agentId: string,
  count: number,
  hangBoundMs?: number,
): Promise<ExecutionView[]> {
  return waitForAgentExecutions(
    host,
    token,
    agentId,
    (listed) => listed.length >= count && listed.every((execution) => TERMINAL.has(execution.status)),
    `expected ${count} finished executions`,
    hangBoundMs,
  );
}

/** Publishes `event` on The One Bus and resolves with its id once the bus and Durable are idle. */
export async function publishAndSettle(
  host: DevHost,
  event: { type: string; orgid: string; data: Record<string, unknown> },
): Promise<string> {
  const id = randomUUID();
  busOf(host).publish(busOf(host).topic, {
    specversion: "1.0",
    id,
    source: "/test",
    time: new Date().toISOString(),
    datacontenttype: "application/json",
    ...event,
  });
  await busOf(host).idle();
  await durableOf(host).idle();
  return id;
}

/** The agents that ran for an event: the agent of every execution the org's list shows for its id (sorted). */
export async function agentsThatRan(reader: AgentsCaller, eventId: string): Promise<string[]> {
  const response = await reader.request("GET", "/api/executions?limit=100");
  if (!response.ok) throw new Error(`list executions answered ${response.status}: ${await response.text()}`);
  const { items } = (await response.json()) as { items: ExecutionView[] };
  return items
    .filter((execution) => (execution.trigger_event as { id: string }).id === eventId)
    .map((execution) => execution.agent_id)
    .sort();
}
