// Pure rules of approval gates: when follow-ups fall due, and who the requester of an event is (docs/approvals.md).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { agentInputSchema } from "../../../shared/agents/schema";
import { stepSchema } from "../../../shared/agents/steps";
import type { ApprovalGateStep } from "../../../shared/agents/steps";
import { requesterOf } from "../../../shared/approvals/requester";
import { gateMoments } from "../../../shared/executions/gate-schedule";

const gate = (fields: Record<string, unknown>) =>
  stepSchema.parse({
    id: "ask",
    type: "approval_gate",
    approvers: [{ email: "a@example.com" }],
    message: "ok?",
    ...fields,
  }) as ApprovalGateStep;

describe("gate moments", () => {
  it("lists reminders at k × every_seconds and the escalation, before the deadline, the deadline last", () => {
    const moments = gateMoments(
      gate({
        timeout_seconds: 3600,
        reminders: { every_seconds: 1000, max: 5 },
        escalation: { after_seconds: 2000, approvers: [{ org_role: "owner" }] },
      }),
      10_000,
    );
    // Reminders at 1000 s, 2000 s and 3000 s (4000 s and 5000 s fall after the deadline); at 2000 s the reminder goes first.
    expect(moments).toEqual([
      { kind: "reminder", round: 1, at: 1_010_000 },
      { kind: "reminder", round: 2, at: 2_010_000 },
      { kind: "escalation", at: 2_010_000 },
      { kind: "reminder", round: 3, at: 3_010_000 },
      { kind: "deadline", at: 3_610_000 },
    ]);
  });

  it("is only the deadline for a gate without follow-ups", () => {
    expect(gateMoments(gate({ timeout_seconds: 60 }), 0)).toEqual([{ kind: "deadline", at: 60_000 }]);
  });
});

describe("the requester of an event", () => {
  it("reads the documented field per type, actor_user_id for products, nothing otherwise", () => {
    expect(requesterOf({ type: "hub.iam.user_created", data: { user_id: "new", created_by: "boss" } })).toBe(
      "boss",
    );
    expect(requesterOf({ type: "hub.iam.access_revoked", data: { revoked_by: "boss" } })).toBe("boss");
    expect(requesterOf({ type: "hub.auth.login_failed", data: { user_id: "x" } })).toBeNull();
    expect(requesterOf({ type: "psa.ticket.created", data: { actor_user_id: "tech" } })).toBe("tech");
    expect(requesterOf({ type: "psa.ticket.created", data: { created_by: "tech" } })).toBeNull();
    expect(requesterOf({ type: "hub.iam.user_created", data: { created_by: 42 } })).toBeNull();
    expect(requesterOf({ type: "hub.iam.user_created", data: null })).toBeNull();
  });
});

describe("docs/approvals.md's example", () => {
  it("is a valid agent with a quorum, reminders and an escalation", () => {
    const page = readFileSync(join(__dirname, "..", "..", "..", "docs", "approvals.md"), "utf8");
    const block = /```json\n([\s\S]*?)```/.exec(page.slice(page.indexOf("## Example")))?.[1];
    const agent = agentInputSchema.parse(JSON.parse(block!));
    expect(agent.steps[0]).toMatchObject({
      type: "approval_gate",
      required_approvals: 2,
      reminders: { every_seconds: 900, max: 2 },
      escalation: { after_seconds: 1800 },
    });
  });
});
