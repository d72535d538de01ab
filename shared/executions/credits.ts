// The one price table (docs/executions.md) and the credit ledger: one entry per charge, kept 365 days.
import { findProductAction } from "../products/catalogue";
import type { StoredDoc } from "../store/repository";
import { TenantRepository } from "../store/repository";

export const STEP_PRICES = {
  /** The default; an action's own price is its `credits` in the product action catalogue (1 for every action today). */
  product_action: 1,
  /** Per recipient. */
  notification: 1,
  approval_gate: 1,
  delay: 0,
} as const;

export type PricedStepType = keyof typeof STEP_PRICES;

export function creditsFor(type: PricedStepType, units = 1): number {
  return STEP_PRICES[type] * units;
}

export function creditsForAction(product: string, action: string): number {
  return findProductAction(product, action)?.credits ?? STEP_PRICES.product_action;
}

export interface LedgerEntry extends StoredDoc {
  kind: "charge";
  execution_id: string;
  agent_id: string;
  step_id: string;
  step_type: string;
  credits: number;
  charged_at: string;
  /** yyyy-mm-dd (UTC), for daily usage. */
  day: string;
}

export const ledger = new TenantRepository<LedgerEntry>("ledger");

/** The entry id is the execution and step, so charging again after a crash writes nothing new. */
export const chargeId = (executionId: string, stepId: string): string => `charge:${executionId}:${stepId}`;
