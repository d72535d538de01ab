// Test helpers for approval gates: a gated agent, its links from the outbox, deciding by link and by API.
import type { DevHost } from "../../devhost/host";
import type { Outbox, OutboxMessage } from "../../devhost/outbox/outbox";
import type { ExecutionView } from "./executions";
import { busOf, createAgent, durableOf, userCreatedEvent, waitForAgentExecutions } from "./executions";
import { bearer } from "./identity";

/** An agent that asks before it opens a PSA ticket; it reacts only to new users with this last name. */
export const gatedAgent = (lastName: string, gate: Record<string, unknown>) => ({
  name: `Gated ${lastName}`,
  trigger: { event_type: "hub.iam.user_created", filter: [{ path: "lastName", op: "eq", value: lastName }] },
  steps: [
    {
      id: "ask",
      type: "approval_gate",
      message: "Onboard {{trigger.data.firstName}}?",
      timeout_seconds: 3600,
      ...gate,
    },
    {
      id: "ticket",
      type: "product_action",
      product: "psa",
      action: "create_ticket",
      params: { title: "Onboard {{trigger.data.firstName}}" },
    },
  ],
});

export const outboxOf = (host: DevHost) => host.services.outbox as Outbox;
export { durableOf };

/** Messages of one execution (the idempotency key starts with its id), optionally to one address. */
export function messagesOf(host: DevHost, executionId: string, to?: string): OutboxMessage[] {
  return outboxOf(host)
    .list(to ? { to } : {})
    .filter((message) => message.idempotency_key.startsWith(`${executionId}:`));
}

export async function getExecution(host: DevHost, token: string, id: string): Promise<ExecutionView> {
  const response = await fetch(`${host.url}/api/executions/${id}`, { headers: bearer(token) });
  if (!response.ok) throw new Error(`GET execution answered ${response.status}`);
  return (await response.json()) as ExecutionView;
}

/** Resolves with the first of the agent's executions in one of `statuses` (waiting on the bus and Durable, never a sleep). */
export async function waitForStatus(
  host: DevHost,
  token: () => string,
  agentId: string,
  statuses: string[],
): Promise<ExecutionView> {
  const reached = (list: ExecutionView[]) => list.find((item) => statuses.includes(item.status));
  const listed = await waitForAgentExecutions(
    host,
    token(),
    agentId,
    (list) => reached(list) !== undefined,
    `no execution reached ${statuses.join("/")}`,
  );
  return reached(listed)!;
}

/** Creates the agent, publishes a user_created event for it (or lets `trigger` cause one), and waits at the gate. */
export async function openGate(
  host: DevHost,
  token: () => string,
  orgId: string,
  lastName: string,
  gate: Record<string, unknown>,
  trigger?: () => Promise<void>,
): Promise<{ agentId: string; executionId: string }> {
  const agent = await createAgent(host, token(), gatedAgent(lastName, gate));
  if (trigger) await trigger();
  else busOf(host).publish("the-one-bus", userCreatedEvent(orgId, lastName));
  const waiting = await waitForStatus(host, token, agent.id, ["waiting_for_approval", "failed"]);
  return { agentId: agent.id, executionId: waiting.execution_id };
}

/** The one decision link `to` received for this execution's gate (the first request, not a reminder). */
export function linkFor(host: DevHost, executionId: string, to: string): string {
  const [first] = messagesOf(host, executionId, to).filter((m) => !m.idempotency_key.includes(":reminder:"));
  if (!first) throw new Error(`${to} received no link for ${executionId}`);
  return first.links[0]!;
}

export const decideByLink = (link: string, decision: string, note?: string) =>
  fetch(link, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ decision, ...(note ? { note } : {}) }).toString(),
  });

export const decideByApi = (
  host: DevHost,
  token: string,
  executionId: string,
  decision: string,
  note?: string,
) =>
  fetch(`${host.url}/api/executions/${executionId}/approvals/ask`, {
    method: "POST",
    headers: { ...bearer(token), "content-type": "application/json" },
    body: JSON.stringify({ decision, ...(note ? { note } : {}) }),
  });
