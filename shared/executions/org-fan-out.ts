// One org's events of a batch become executions: one org read and one agents view for all of them, their claims
// in as few transactional batches as Cosmos allows, then the starts (docs/agents.md, "How an event finds its agents").
import type * as df from "durable-functions";
import { randomUUID } from "node:crypto";
import { cachedOrg } from "../auth/auth-state";
import { currentFanOutView } from "../agents/load-view";
import { agentsForEvent, AGENTS_ENTITLEMENT } from "../agents/matching";
import type { Agent } from "../agents/schema";
import { now } from "../clock";
import type { CloudEvent } from "../events/cloud-event";
import type { Logger } from "../log";
import type { BatchFailures } from "./batch-failures";
import type { BudgetInput } from "./budget";
import type { ClaimOutcome } from "./dedup";
import { claimExecution, claimExecutions } from "./dedup";
import { executionDocs } from "./model";
import { auditDocument, instanceExists, startExecution } from "./start";

/** What every org of a batch shares: the invocation's one Durable client, its start slots and its failures. */
export interface BatchWork {
  client: df.DurableClient;
  /** Bounds the executions being started at once across the whole batch. */
  startSlot: <T>(task: () => Promise<T>) => Promise<T>;
  failures: BatchFailures;
  log: Logger;
}

interface Match {
  agent: Agent;
  event: CloudEvent<unknown>;
}

/** A suppressed trigger leaves an entry the executions API lists under status `deduplicated`. */
async function recordDuplicate(orgId: string, { agent, event }: Match, duplicateOf: string): Promise<void> {
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

/** A duplicate within the window is recorded; a new claim, or one whose claimer stopped before starting, starts. */
async function settleClaim(
  work: BatchWork,
  orgId: string,
  match: Match,
  claim: ClaimOutcome,
  budget: BudgetInput | null,
): Promise<void> {
  if (claim.kind === "failed") throw claim.error;
  const log = work.log.with({ agent_id: match.agent.id, event_id: match.event.id });
  if (claim.kind === "within_window" && (await instanceExists(work.client, claim.executionId))) {
    await recordDuplicate(orgId, match, claim.executionId);
    log.info("duplicate trigger suppressed", { execution_id: claim.executionId });
    return;
  }
  const fresh = claim.kind === "new" && claim.auditWritten;
  await startExecution(work.client, { executionId: claim.executionId, orgId, ...match }, log, {
    fresh,
    budget,
  });
}

const auditFor =
  (orgId: string, { agent, event }: Match) =>
  (executionId: string) =>
    auditDocument({ executionId, orgId, agent, event });

/**
 * The events of one org (in their batch order). The view is read once, after every message of the batch was
 * received, so a change made through the API before a message arrived is seen by it.
 */
export async function fanOutOrg(orgId: string, events: readonly CloudEvent<unknown>[], work: BatchWork) {
  const { failures } = work;
  let matches: Match[];
  let budget: BudgetInput | null;
  try {
    // The org as the auth path holds it (≤ 4 s); the agents view and budget under the view stamp (one point read).
    const org = await cachedOrg(orgId);
    if (!org || org.status !== "active" || !org.entitlements.includes(AGENTS_ENTITLEMENT)) return;
    const view = await currentFanOutView(org.org_id, org.entitlements);
    matches = events.flatMap((event) => agentsForEvent(view, event).map((agent) => ({ agent, event })));
    budget = view.budget;
  } catch (error) {
    failures.note(error, { org_id: orgId, event_ids: events.map((event) => event.id) });
    return;
  }
  // Each agent and event once in the batched claims; the same pair again (the event delivered twice in this batch)
  // is claimed afterwards, one at a time, exactly as its own delivery would be: a duplicate of the first.
  const first = new Map<string, Match>();
  const repeats: Match[] = [];
  for (const match of matches) {
    const key = `${match.agent.id}\n${match.event.id}`;
    if (first.has(key)) repeats.push(match);
    else first.set(key, match);
  }
  const firsts = [...first.values()];
  const claims = await claimExecutions(
    orgId,
    firsts.map((match) => ({
      agentId: match.agent.id,
      eventId: match.event.id,
      auditFor: auditFor(orgId, match),
    })),
  );
  const settle = (match: Match, claim: () => Promise<ClaimOutcome>) =>
    work.startSlot(() =>
      failures.guard({ org_id: orgId, agent_id: match.agent.id, event_id: match.event.id }, async () =>
        settleClaim(work, orgId, match, await claim(), budget),
      ),
    );
  await Promise.all(firsts.map((match, index) => settle(match, async () => claims[index]!)));
  await Promise.all(
    repeats.map((match) =>
      settle(match, () => claimExecution(orgId, match.agent.id, match.event.id, auditFor(orgId, match))),
    ),
  );
}
