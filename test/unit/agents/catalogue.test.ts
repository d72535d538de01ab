// The product action catalogue, the system agents built on it, and the high-impact save-time rule.
import { describe, expect, it } from "vitest";
import { orgRuleIssues } from "../../../shared/agents/org-rules";
import { agentInputSchema } from "../../../shared/agents/schema";
import { SYSTEM_AGENTS } from "../../../shared/agents/system-catalogue";
import { findProductAction, PRODUCT_ACTIONS } from "../../../shared/products/catalogue";
import { productRequest, resolvedParamsSchema } from "../../../shared/products/params";
import { isolationAgent, ticketAgent } from "../../support/agents";

describe("product action catalogue", () => {
  it("declares every path parameter as a required param", () => {
    for (const entry of PRODUCT_ACTIONS) {
      for (const [, name] of entry.path.matchAll(/\{([a-z_]+)\}/g))
        expect(entry.params[name!], `${entry.product}.${entry.action} {${name}}`).toMatchObject({
          required: true,
        });
      expect(entry.credits).toBeGreaterThan(0);
    }
  });

  it("marks device isolation, and only it, as high-impact", () => {
    const high = PRODUCT_ACTIONS.filter((e) => e.impact === "high_impact").map(
      (e) => `${e.product}.${e.action}`,
    );
    expect(high).toEqual(["defend.isolate_device"]);
  });

  it("builds the product request from rendered params, and checks them strictly", () => {
    const addNote = findProductAction("psa", "add_note")!;
    expect(productRequest(addNote, { ticket_id: "T 1/2", body: "hi" })).toEqual({
      method: "POST",
      path: "/tickets/T%201%2F2/notes",
      body: { body: "hi" },
    });
    const summarize = findProductAction("jarvis", "summarize")!;
    expect(resolvedParamsSchema(summarize).safeParse({ text: "t", max_words: "{{context.n}}" }).success).toBe(
      false,
    );
    expect(resolvedParamsSchema(summarize).safeParse({ text: "t", max_words: 50 }).success).toBe(true);
  });
});

describe("system agents", () => {
  it("are valid, conservative, and read-only by construction", () => {
    const conservative = new Set(["psa.create_ticket", "psa.add_note", "portal.notify_client"]);
    for (const agent of SYSTEM_AGENTS) {
      expect(agent).toMatchObject({ org_id: "system", is_system: true, status: "active" });
      expect(agent.id).toMatch(/^sys-/);
      expect(() => agentInputSchema.parse(agent)).not.toThrow();
      for (const step of agent.steps) {
        expect(["product_action", "notification"]).toContain(step.type);
        if (step.type === "product_action") expect(conservative).toContain(`${step.product}.${step.action}`);
      }
      expect(orgRuleIssues(agentInputSchema.parse(agent), [])).toEqual([]);
    }
    expect(new Set(SYSTEM_AGENTS.map((a) => a.id)).size).toBe(SYSTEM_AGENTS.length);
  });
});

describe("high-impact rule", () => {
  const parse = (input: unknown) => agentInputSchema.parse(input);

  it("needs the org's opt-in and an earlier unconditional gate that rejects on timeout", () => {
    expect(orgRuleIssues(parse(isolationAgent()), ["defend.isolate_device"])).toEqual([]);
    expect(orgRuleIssues(parse(isolationAgent()), [])).toEqual([
      { path: "steps[1].action", message: expect.stringContaining("has not enabled") },
    ]);
    const [gate, isolate] = isolationAgent().steps;
    const cases = [
      [isolate],
      [isolate, gate],
      [{ ...gate, when: { path: "trigger.data.severity", op: "eq", value: "critical" } }, isolate],
      [{ ...gate, on_timeout: "approve" }, isolate],
    ];
    for (const steps of cases)
      expect(orgRuleIssues(parse(isolationAgent({ steps } as never)), ["defend.isolate_device"])).toEqual([
        { path: `steps[${steps.indexOf(isolate!)}]`, message: expect.stringContaining("approval_gate") },
      ]);
  });

  it("refuses overrides that name no system agent", () => {
    const agent = parse(
      ticketAgent({ conflict_behavior: "override_system", overrides: ["sys-onboard-new-user", "sys-nope"] }),
    );
    expect(orgRuleIssues(agent, [])).toEqual([
      { path: "overrides[1]", message: "no system agent 'sys-nope'" },
    ]);
  });
});
