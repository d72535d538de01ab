// Monthly credit budgets (docs/executions.md, "Credit budgets"): the org's cap, and a per-org-month counter
// that every live execution reserves from before it starts and settles when it ends, under the counter's ETag.
import type { HubEventData } from "../events/hub-events";
import type { Agent } from "../agents/schema";
import { writeStamped } from "../agents/view-stamp";
import { resolveApprovers } from "../approvals/resolve-approvers";
import type { Principal } from "../auth/principal";
import { now } from "../clock";
import { AppError, isAppError } from "../errors";
import { newCloudEvent } from "../events/cloud-event";
import { commitWithEvents } from "../events/outbox";
import { consoleLogger } from "../log";
import { sendNotification } from "../notify/notifier";
import type { StoredDoc } from "../store/repository";
import { TenantRepository } from "../store/repository";
import type { BudgetReservation } from "./contract";
import { creditsFor, creditsForAction, ledger } from "./credits";
import { executionDocs } from "./model";

export const BUDGET_THRESHOLD_EVENT = "agents.budget.threshold_reached";

export interface BudgetInput {
  monthly_credits: number;
  alert_percent: number;
}

interface BudgetDoc extends StoredDoc, BudgetInput {
  kind: "budget";
  updated_at: string;
  updated_by: string;
}

/** One per org and month: credits charged by finished executions, and held back for running ones. */
interface BudgetMonthDoc extends StoredDoc {
  kind: "budget_month";
  month: string;
  charged: number;
  reserved: number;
  alerted_at?: string;
}

const budgetDocs = new TenantRepository<BudgetDoc>("agents");
const monthDocs = new TenantRepository<BudgetMonthDoc>("ledger");
const BUDGET_ID = "agents-budget";
const monthDocId = (month: string) => `budget-month:${month}`;
export const monthOf = (at: Date): string => at.toISOString().slice(0, 7);

/** Enough rounds for every execution of a burst to land its write. */
const MAX_ATTEMPTS = 100;

const isPreconditionFailure = (error: unknown) =>
  isAppError(error) && (error.code === "precondition.failed" || error.code === "resource.conflict");

/**
 * The most an execution of this agent can cost: every step priced as if it runs. What it really costs is never
 * more, so reserving this before it starts keeps the month under the cap plus one execution.
 */
export function maxCreditsOf(agent: Agent): number {
  return agent.steps.reduce((sum, step) => {
    switch (step.type) {
      case "product_action":
        return sum + creditsForAction(step.product, step.action);
      case "notification":
        return sum + creditsFor("notification", step.to.length);
      case "approval_gate":
        return sum + creditsFor("approval_gate");
      case "delay":
        return sum + creditsFor("delay");
    }
  }, 0);
}

export async function readBudget(orgId: string): Promise<BudgetInput | null> {
  const doc = await budgetDocs.read(orgId, BUDGET_ID);
  return doc ? { monthly_credits: doc.monthly_credits, alert_percent: doc.alert_percent } : null;
}

async function monthToDate(orgId: string, month: string): Promise<number> {
  let total = 0;
  let continuation: string | undefined;
  do {
    const page = await ledger.query<{ credits: number }>(
      orgId,
      {
        query:
          "SELECT c.credits FROM c WHERE c.org_id = @org_id AND c.kind = 'charge' AND c.day >= @from AND c.day <= @to",
        parameters: [
          { name: "@from", value: `${month}-01` },
          { name: "@to", value: `${month}-31` },
        ],
      },
      { limit: 1000, continuation },
    );
    total += page.items.reduce((sum, row) => sum + row.credits, 0);
    continuation = page.continuation ?? undefined;
  } while (continuation);
  return total;
}

/** The month's counter; the first one of a month starts from what the ledger already holds for it. */
async function readMonth(orgId: string, month: string) {
  const existing = await monthDocs.read(orgId, monthDocId(month));
  if (existing) return existing;
  await monthDocs.createIfAbsent({
    id: monthDocId(month),
    org_id: orgId,
    kind: "budget_month",
    month,
    charged: await monthToDate(orgId, month),
    reserved: 0,
  });
  return (await monthDocs.read(orgId, monthDocId(month)))!;
}

export type Admission = { admitted: true; reservation?: BudgetReservation } | { admitted: false };

/**
 * Admits an execution while the month's charged and reserved credits are below the cap, reserving its most
 * expensive outcome under the counter's ETag: of many executions racing, each sees the others' reservations,
 * so the last one admitted is the only one that can cross the cap. `known`: the org's budget when the caller
 * already holds it (the fan-out's view), so it is not read again.
 */
export async function reserveCredits(
  orgId: string,
  agent: Agent,
  known?: BudgetInput | null,
): Promise<Admission> {
  const budget = known === undefined ? await readBudget(orgId) : known;
  if (!budget) return { admitted: true };
  const month = monthOf(now());
  const credits = maxCreditsOf(agent);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await readMonth(orgId, month);
    if (current.charged + current.reserved >= budget.monthly_credits) return { admitted: false };
    try {
      await monthDocs.replace({ ...current, reserved: current.reserved + credits }, current._etag);
      return { admitted: true, reservation: { month, credits } };
    } catch (error) {
      if (!isPreconditionFailure(error)) throw error;
    }
  }
  // Contention that outlasted every attempt passes with time: busy, so a caller retries (the fan-out's batch too).
  throw new AppError("service.busy", `Could not reserve credits for org ${orgId}; try again shortly.`, {
    retryAfter: 1,
  });
}

/**
 * Turns an execution's reservation into what it really cost, once: the execution document is marked first, so
 * a repeated finish never settles twice (a crash in between leaves the reservation held: over-cautious, never over).
 */
export async function settleReservation(
  orgId: string,
  executionId: string,
  reservation: BudgetReservation,
  creditsUsed: number,
): Promise<void> {
  const doc = await executionDocs.read(orgId, executionId);
  if (!doc || doc.budget_settled) return;
  try {
    await executionDocs.replace({ ...doc, budget_settled: true }, doc._etag);
  } catch (error) {
    if (isPreconditionFailure(error)) return settleReservation(orgId, executionId, reservation, creditsUsed);
    throw error;
  }
  const budget = await readBudget(orgId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await readMonth(orgId, reservation.month);
    const charged = current.charged + creditsUsed;
    const crossed =
      budget !== null &&
      !current.alerted_at &&
      charged * 100 >= budget.monthly_credits * budget.alert_percent;
    const next: BudgetMonthDoc = {
      ...current,
      charged,
      reserved: Math.max(0, current.reserved - reservation.credits),
      ...(crossed ? { alerted_at: now().toISOString() } : {}),
    };
    try {
      await monthDocs.replace(next, current._etag);
      // Only the write that set alerted_at alerts: the threshold is announced once a month.
      if (crossed) await announceThreshold(orgId, reservation.month, budget, charged);
      return;
    } catch (error) {
      if (!isPreconditionFailure(error)) throw error;
    }
  }
  throw new Error(`could not settle credits of ${executionId}`);
}

/** The event for subscribers and an email to each of the org's owners and admins. */
async function announceThreshold(orgId: string, month: string, budget: BudgetInput, used: number) {
  const event = newCloudEvent<HubEventData<typeof BUDGET_THRESHOLD_EVENT>>({
    type: BUDGET_THRESHOLD_EVENT,
    orgid: orgId,
    subject: `budget/${month}`,
    source: "/agents",
    data: {
      month,
      monthly_credits: budget.monthly_credits,
      alert_percent: budget.alert_percent,
      used_credits: used,
    },
  });
  await commitWithEvents("outbox", orgId, [], [{ ...event, id: `budget-threshold:${orgId}:${month}` }]);
  const { recipients } = await resolveApprovers(
    orgId,
    [{ org_role: "owner" }, { org_role: "admin" }],
    "gate",
  );
  const text =
    `Your agents have used ${used} of the ${budget.monthly_credits} credits budgeted for ${month} ` +
    `(alert at ${budget.alert_percent}%). At the cap, new executions are skipped until next month or until ` +
    `an Admin raises the budget (PUT /api/agents/budget).`;
  for (const recipient of recipients) {
    try {
      await sendNotification({
        channel: "email",
        to: recipient.address,
        subject: `Agents credit budget: ${budget.alert_percent}% of ${month} used`,
        text,
        org_id: orgId,
        idempotency_key: `budget:${month}:${recipient.identity}`,
      });
    } catch (error) {
      consoleLogger({ capability: "executions" }).warn("budget alert email not sent", {
        org_id: orgId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

export async function putBudget(principal: Principal, input: BudgetInput): Promise<BudgetView> {
  // With a new view stamp: the fan-out holds the budget in the org's cached agents view (shared/agents/load-view.ts).
  await writeStamped<BudgetDoc>(principal.org_id, {
    upsert: {
      id: BUDGET_ID,
      org_id: principal.org_id,
      kind: "budget",
      ...input,
      updated_at: now().toISOString(),
      updated_by: principal.user_id ?? principal.key_id ?? "unknown",
    },
  });
  return budgetView(principal.org_id);
}

export interface BudgetView {
  monthly_credits: number | null;
  alert_percent: number | null;
  month: string;
  used_credits: number;
  reserved_credits: number;
  remaining_credits: number | null;
  alerted_at: string | null;
}

/** The budget and this month's standing: what finished executions used, what running ones hold, what remains. */
export async function budgetView(orgId: string): Promise<BudgetView> {
  const month = monthOf(now());
  const budget = await readBudget(orgId);
  if (!budget)
    return {
      monthly_credits: null,
      alert_percent: null,
      month,
      used_credits: await monthToDate(orgId, month),
      reserved_credits: 0,
      remaining_credits: null,
      alerted_at: null,
    };
  const current = await readMonth(orgId, month);
  return {
    ...budget,
    month,
    used_credits: current.charged,
    reserved_credits: current.reserved,
    remaining_credits: Math.max(0, budget.monthly_credits - current.charged - current.reserved),
    alerted_at: current.alerted_at ?? null,
  };
}
