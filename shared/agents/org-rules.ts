// Save-time rules that depend on the org or the system catalogue: high-impact opt-in and gate, named overrides.
import { AppError } from "../errors";
import type { FieldIssue } from "../errors";
import { actionKey, findProductAction } from "../products/catalogue";
import type { AgentDefinition } from "./schema";
import { isSystemAgentId } from "./system-catalogue";

/** The high-impact actions a definition uses; when there are none the org's settings need not be read. */
export function highImpactActionsOf(definition: AgentDefinition): string[] {
  return definition.steps.flatMap((step) =>
    step.type === "product_action" && findProductAction(step.product, step.action)?.impact === "high_impact"
      ? [actionKey(step.product, step.action)]
      : [],
  );
}

/**
 * Every reason the org cannot save this definition. A high-impact step needs the org's opt-in and an
 * earlier approval gate that always runs (no `when`) and rejects on timeout; otherwise a skipped or
 * timed-out gate would let the action run unapproved.
 */
export function orgRuleIssues(
  definition: AgentDefinition,
  enabledHighImpact: readonly string[],
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  definition.overrides?.forEach((id, index) => {
    if (!isSystemAgentId(id))
      issues.push({ path: `overrides[${index}]`, message: `no system agent '${id}'` });
  });
  let guarded = false;
  definition.steps.forEach((step, index) => {
    if (step.type === "approval_gate" && !step.when && step.on_timeout === "reject") guarded = true;
    if (step.type !== "product_action") return;
    const key = actionKey(step.product, step.action);
    if (findProductAction(step.product, step.action)?.impact !== "high_impact") return;
    if (!enabledHighImpact.includes(key))
      issues.push({
        path: `steps[${index}].action`,
        message: `${key} is high-impact and this org has not enabled it (an Admin can, with PUT /api/agents/settings)`,
      });
    if (!guarded)
      issues.push({
        path: `steps[${index}]`,
        message: `${key} is high-impact: an approval_gate without 'when' and with on_timeout 'reject' must come before it`,
      });
  });
  return issues;
}

export function refuseOnIssues(issues: FieldIssue[]): void {
  if (issues.length)
    throw new AppError("request.invalid", "The agent cannot be saved.", { errors: issues.slice(0, 50) });
}
