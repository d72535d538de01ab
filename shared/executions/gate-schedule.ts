// When an open gate's reminders and escalation fall due: pure, from the step and the gate's opening time only.
import type { ApprovalGateStep } from "../agents/steps";

export type GateMoment =
  | { kind: "reminder"; round: number; at: number }
  | { kind: "escalation"; at: number }
  | { kind: "deadline"; at: number };

/**
 * Every moment of the gate in order, the deadline last. Reminder `k` falls at `opened + k·every_seconds`,
 * the escalation at `opened + after_seconds`; only moments before the deadline count. At the same instant the
 * reminder goes first, so escalated approvers get their first reminder a round later.
 */
export function gateMoments(step: ApprovalGateStep, openedAtMs: number): GateMoment[] {
  const deadline = openedAtMs + step.timeout_seconds * 1000;
  const moments: GateMoment[] = [];
  if (step.reminders)
    for (let round = 1; round <= step.reminders.max; round++) {
      const at = openedAtMs + round * step.reminders.every_seconds * 1000;
      if (at < deadline) moments.push({ kind: "reminder", round, at });
    }
  if (step.escalation) {
    const at = openedAtMs + step.escalation.after_seconds * 1000;
    if (at < deadline) moments.push({ kind: "escalation", at });
  }
  moments.sort((a, b) => a.at - b.at || (a.kind === "reminder" ? -1 : 1));
  return [...moments, { kind: "deadline", at: deadline }];
}
