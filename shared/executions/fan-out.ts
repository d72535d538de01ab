// An event on The One Bus becomes one execution per matching agent, deduplicated per agent and event (docs/events.md).
import type * as df from "durable-functions";
import { randomUUID } from "node:crypto";
import { cachedOrg } from "../auth/auth-state";
import { currentFanOutView } from "../agents/load-view";
import { agentsForEvent, AGENTS_ENTITLEMENT } from "../agents/matching";
import type { Agent } from "../agents/schema";
import { now } from "../clock";
import type { CloudEvent } from "../events/cloud-event";
import { parseEnvelope } from "../events/envelope";
import { isOrgId } from "../identity/model";
import type { Logger } from "../log";
import { TenantRepository } from "../store/repository";
import type { StoredDoc } from "../store/repository";
import { toFieldIssues } from "../http/validation";
import type { BudgetInput } from "./budget";
import { claimExecution } from "./dedup";
import { executionDocs } from "./model";
import { auditDocument, instanceExists, startExecution } from "./start";

/** Envelopes that can never run are kept (90 days, like executions) for whoever asks why nothing happened. */
interface InvalidEventDoc extends StoredDoc {
  kind: "invalid_event";
  received_at: string;
  problems: string[];
  raw: string;
}

const invalidEvents = new TenantRepository<InvalidEventDoc>("executions");
const INVALID_PARTITION = "_invalid";

/** The message as text for the record; a value JSON cannot write (too deep, cyclic) is named, not thrown. */
function rawText(message: unknown): string {
  if (typeof message === "string") return message;
  if (Buffer.isBuffer(message)) return message.toString("utf8", 0, 8_000);
  try {
    return JSON.stringify(message ?? null);
  } catch {
    return "(not serialisable as JSON)";
  }
}

async function recordInvalidEvent(message: unknown, problems: string[], log: Logger): Promise<void> {
  const raw = rawText(message).slice(0, 8_000);
  const orgid = (message as { orgid?: unknown } | null)?.orgid;
  const partition = isOrgId(orgid) ? orgid : INVALID_PARTITION;
  await invalidEvents.createIfAbsent({
    id: `invalid_${randomUUID()}`,
    org_id: partition,
    kind: "invalid_event",
    received_at: now().toISOString(),
    problems,
    raw,
  });
  log.warn("invalid event envelope dropped", { org_id: partition, problems });
}

/** A suppressed trigger leaves an entry the executions API lists under status `deduplicated`. */
async function recordDuplicate(
  orgId: string,
  agent: Agent,
  event: CloudEvent<unknown>,
  duplicateOf: string,
): Promise<void> {
  const at = now().toISOString();
  const id = `dup_${randomUUID()}`;
  await executionDocs.createIfAbsent({
    id,
    org_id: orgId,
    kind: "execution",
    execution_id: id,
    agent_id: agent.id,
    actor: { type: "agent", agent_id: agent.id, agent_name: agent.name, agent_version: agent.version },
    trigger_event: event,
    agent_snapshot: agent,
    steps: [],
    context: {},
    credits_used: 0,
    status: "deduplicated",
    duplicate_of: duplicateOf,
    created_at: at,
    completed_at: at,
  });
}

async function runAgent(
  client: df.DurableClient,
  orgId: string,
  agent: Agent,
  event: CloudEvent<unknown>,
  budget: BudgetInput | null,
  log: Logger,
) {
  const request = (executionId: string) => ({ executionId, orgId, agent, event });
  const claim = await claimExecution(orgId, agent.id, event.id, (executionId) =>
    auditDocument(request(executionId)),
  );
  if (claim.kind === "within_window" && (await instanceExists(client, claim.executionId))) {
    await recordDuplicate(orgId, agent, event, claim.executionId);
    log.info("duplicate trigger suppressed", {
      agent_id: agent.id,
      event_id: event.id,
      execution_id: claim.executionId,
    });
    return;
  }
  // A new claim, or one whose claimer stopped before starting it: start (idempotently).
  const fresh = claim.kind === "new" && claim.auditWritten;
  await startExecution(client, request(claim.executionId), log, { fresh, budget });
}

/** The Service Bus trigger's work for one message. Returns how many executions it started or found. */
export async function fanOutEvent(message: unknown, client: df.DurableClient, log: Logger): Promise<number> {
  const parsed = parseEnvelope(message);
  if (!parsed.success) {
    await recordInvalidEvent(
      message,
      toFieldIssues(parsed.error, "").map((i) => `${i.path}: ${i.message}`),
      log,
    );
    return 0;
  }
  const event = parsed.data as CloudEvent<unknown>;
  const scoped = log.with({ org_id: event.orgid, event_id: event.id });
  // Warm, an event costs one point read (the view stamp) plus one batch per matched agent: the org as the auth
  // path holds it (≤ 4 s), the agents view and budget under the stamp (docs/agents.md, "How an event finds its agents").
  const org = await cachedOrg(event.orgid);
  if (!org || org.status !== "active" || !org.entitlements.includes(AGENTS_ENTITLEMENT)) return 0;
  const view = await currentFanOutView(org.org_id, org.entitlements);
  const matched = agentsForEvent(view, event);
  await Promise.all(matched.map((agent) => runAgent(client, org.org_id, agent, event, view.budget, scoped)));
  return matched.length;
}
