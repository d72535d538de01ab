// agentsForEvent: custom agents that match, system agents not paused or overridden, nothing without the entitlement.
import { fc, propertyTest } from "../../support/property";
import { describe, expect, it } from "vitest";
import type { OrgAgentsView } from "../../../shared/agents/matching";
import { agentsForEvent } from "../../../shared/agents/matching";
import type { Agent, AgentInput } from "../../../shared/agents/schema";
import { agentInputSchema } from "../../../shared/agents/schema";
import { SYSTEM_AGENTS } from "../../../shared/agents/system-catalogue";
import { isolationAgent, ticketAgent } from "../../support/agents";

const ENTITLED = ["agents", "psa", "portal", "defend"];

function agent(org: string, id: string, input: AgentInput): Agent {
  return {
    ...agentInputSchema.parse(input),
    id,
    org_id: org,
    is_system: false,
    created_at: "2025-01-01T00:00:00Z",
    created_by: "u",
    updated_at: "2025-01-01T00:00:00Z",
    version: 1,
  };
}

function view(org: string, custom: Agent[] = [], extra: Partial<OrgAgentsView> = {}): OrgAgentsView {
  return { org_id: org, entitlements: ENTITLED, custom, systemStatus: {}, enabledHighImpact: [], ...extra };
}

const userCreated = (
  org: string,
  data: Record<string, unknown> = { email: "a@b.co", orgRole: "member" },
) => ({
  type: "hub.iam.user_created",
  orgid: org,
  data,
});
const ids = (agents: Agent[]) => agents.map((a) => a.id);

describe("agentsForEvent", () => {
  it("runs matching custom agents and the matching system agent", () => {
    const mine = agent("org-a", "c1", ticketAgent());
    const other = agent("org-a", "c2", ticketAgent({ trigger: { event_type: "psa.ticket.created" } }));
    expect(ids(agentsForEvent(view("org-a", [mine, other]), userCreated("org-a")))).toEqual([
      "c1",
      "sys-onboard-new-user",
    ]);
  });

  it("matches prefix wildcards and data filters", () => {
    const wildcard = agent("o", "w", ticketAgent({ trigger: { event_type: "hub.iam.*" } }));
    const adminsOnly = agent(
      "o",
      "f",
      ticketAgent({
        trigger: {
          event_type: "hub.iam.user_created",
          filter: [{ path: "orgRole", op: "eq", value: "admin" }],
        },
      }),
    );
    const run = (data: Record<string, unknown>) =>
      ids(agentsForEvent(view("o", [wildcard, adminsOnly]), userCreated("o", data)));
    expect(run({ orgRole: "member" })).toEqual(["w", "sys-onboard-new-user"]);
    expect(run({ orgRole: "admin" })).toEqual(["w", "f", "sys-onboard-new-user"]);
    expect(
      ids(agentsForEvent(view("o", [wildcard]), { type: "hub.auth.login_success", orgid: "o", data: {} })),
    ).toEqual([]);
  });

  it("runs nothing without the agents entitlement, and system agents only where their products are held", () => {
    const mine = agent("o", "c1", ticketAgent());
    expect(agentsForEvent(view("o", [mine], { entitlements: ["psa"] }), userCreated("o"))).toEqual([]);
    expect(ids(agentsForEvent(view("o", [mine], { entitlements: ["agents"] }), userCreated("o")))).toEqual([
      "c1",
    ]);
  });

  it("skips paused agents: custom by their status, system by the org's state", () => {
    const paused = agent("o", "p", ticketAgent({ status: "paused" }));
    const result = agentsForEvent(
      view("o", [paused], { systemStatus: { "sys-onboard-new-user": "paused" } }),
      userCreated("o"),
    );
    expect(result).toEqual([]);
  });

  it("lets an active matching custom agent override the system agents it names, or all when it names none", () => {
    const named = agent(
      "o",
      "n",
      ticketAgent({ conflict_behavior: "override_system", overrides: ["sys-onboard-new-user"] }),
    );
    expect(ids(agentsForEvent(view("o", [named]), userCreated("o")))).toEqual(["n"]);
    const all = agent("o", "a", ticketAgent({ conflict_behavior: "override_system" }));
    expect(ids(agentsForEvent(view("o", [all]), userCreated("o")))).toEqual(["a"]);
    const otherName = agent(
      "o",
      "x",
      ticketAgent({ conflict_behavior: "override_system", overrides: ["sys-notify-account-locked"] }),
    );
    expect(ids(agentsForEvent(view("o", [otherName]), userCreated("o")))).toEqual([
      "x",
      "sys-onboard-new-user",
    ]);
    const pausedOverride = agent(
      "o",
      "p",
      ticketAgent({ status: "paused", conflict_behavior: "override_system" }),
    );
    expect(ids(agentsForEvent(view("o", [pausedOverride]), userCreated("o")))).toEqual([
      "sys-onboard-new-user",
    ]);
    const filtered = agent(
      "o",
      "f",
      ticketAgent({
        conflict_behavior: "override_system",
        trigger: {
          event_type: "hub.iam.user_created",
          filter: [{ path: "orgRole", op: "eq", value: "admin" }],
        },
      }),
    );
    expect(ids(agentsForEvent(view("o", [filtered]), userCreated("o")))).toEqual(["sys-onboard-new-user"]);
  });

  it("never runs another org's agents, nor anything for another org's event", () => {
    const foreign = agent("org-b", "b1", ticketAgent());
    expect(ids(agentsForEvent(view("org-a", [foreign]), userCreated("org-a")))).toEqual([
      "sys-onboard-new-user",
    ]);
    expect(agentsForEvent(view("org-a"), userCreated("org-b"))).toEqual([]);
  });

  it("does not run an agent whose high-impact action the org has since disabled", () => {
    const isolate = agent("o", "i", isolationAgent());
    const event = { type: "defend.alert.created", orgid: "o", data: { severity: "critical" } };
    expect(
      ids(agentsForEvent(view("o", [isolate], { enabledHighImpact: ["defend.isolate_device"] }), event)),
    ).toEqual(["i"]);
    expect(agentsForEvent(view("o", [isolate]), event)).toEqual([]);
  });
});

const segment = fc.stringMatching(/^[a-z]{1,6}$/);
const eventType = fc.array(segment, { minLength: 2, maxLength: 4 }).map((parts) => parts.join("."));
const pattern = fc.oneof(
  eventType,
  fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => `${parts.join(".")}.*`),
);
const arbitraryAgent = (org: fc.Arbitrary<string>) =>
  fc
    .record({
      org,
      id: fc.uuid(),
      event_type: fc.oneof(pattern, fc.constantFrom("hub.iam.*", "hub.iam.user_created")),
      status: fc.constantFrom("active" as const, "paused" as const),
      override: fc.option(
        fc.subarray(
          SYSTEM_AGENTS.map((a) => a.id),
          { minLength: 1 },
        ),
        { nil: undefined },
      ),
      overrides: fc.boolean(),
      role: fc.option(fc.constantFrom("admin", "member"), { nil: undefined }),
    })
    .map(({ org: orgId, id, event_type, status, override, overrides, role }) =>
      agent(
        orgId,
        id,
        ticketAgent({
          status,
          trigger: { event_type, ...(role ? { filter: [{ path: "orgRole", op: "eq", value: role }] } : {}) },
          ...(overrides ? { conflict_behavior: "override_system", overrides: override } : {}),
        }),
      ),
    );

/**
 * The trigger rule as docs/agents.md states it, written out independently of shared/agents for the agents these
 * properties generate: an exact type, or `prefix.*` for any longer type under the prefix; every filter (only `eq`
 * on a top-level field here) holds on the event's data.
 */
function expectedToMatch(agent: Agent, event: { type: string; data: Record<string, unknown> }): boolean {
  const pattern = agent.trigger.event_type;
  const prefix = pattern.endsWith(".*") ? pattern.slice(0, -1) : null;
  const typeMatches = prefix
    ? event.type.startsWith(prefix) && event.type.length > prefix.length
    : pattern === event.type;
  return (
    typeMatches &&
    (agent.trigger.filter ?? []).every((condition) => {
      if (condition.op !== "eq") throw new Error(`the generator made an unexpected op: ${condition.op}`);
      return event.data[condition.path] === condition.value;
    })
  );
}

const world = fc.record({
  custom: fc.array(arbitraryAgent(fc.constantFrom("org-a", "org-b")), { maxLength: 8 }),
  paused: fc.subarray(SYSTEM_AGENTS.map((a) => a.id)),
  entitlements: fc.subarray(["agents", "psa", "portal"]),
  type: fc.oneof(
    eventType,
    fc.constantFrom("hub.iam.user_created", "hub.iam.user_deactivated", "hub.auth.login_failed"),
  ),
  role: fc.constantFrom("admin", "member"),
});

describe("agentsForEvent properties", () => {
  propertyTest.prop([world], { numRuns: 500 })(
    "every result is the org's or a system agent, active and matching",
    (w) => {
      const org = view("org-a", w.custom, {
        entitlements: w.entitlements,
        systemStatus: Object.fromEntries(w.paused.map((id) => [id, "paused" as const])),
      });
      const event = {
        type: w.type,
        orgid: "org-a",
        data: { orgRole: w.role, reason: "locked", escalation: true },
      };
      const result = agentsForEvent(org, event);
      if (!w.entitlements.includes("agents")) expect(result).toEqual([]);
      else {
        // Complete as well as sound: every active matching agent of the org runs.
        const expected = w.custom.filter(
          (a) => a.org_id === "org-a" && a.status === "active" && expectedToMatch(a, event),
        );
        expect(result.filter((a) => !a.is_system)).toEqual(expected);
      }
      for (const found of result) {
        expect(found.is_system ? found.org_id === "system" : found.org_id === "org-a").toBe(true);
        if (found.is_system) expect(w.paused).not.toContain(found.id);
        else expect(found.status).toBe("active");
        expect(expectedToMatch(found, event)).toBe(true);
      }
      for (const overrider of result.filter((a) => a.conflict_behavior === "override_system")) {
        const suppressed = overrider.overrides ?? SYSTEM_AGENTS.map((a) => a.id);
        expect(result.filter((a) => a.is_system && suppressed.includes(a.id))).toEqual([]);
      }
    },
  );

  propertyTest.prop([world], { numRuns: 300 })(
    "one org's pauses and agents never change another org's result",
    (w) => {
      const event = { type: w.type, orgid: "org-b", data: { orgRole: w.role } };
      const orgB = view(
        "org-b",
        w.custom.filter((a) => a.org_id === "org-b"),
      );
      const baseline = agentsForEvent(orgB, event);
      // org-a pausing everything and holding agents of its own says nothing about org-b.
      const orgBWithNoise = { ...orgB, custom: w.custom };
      expect(agentsForEvent(orgBWithNoise, event)).toEqual(baseline);
      expect(
        agentsForEvent(
          view("org-a", w.custom, { systemStatus: { "sys-onboard-new-user": "paused" } }),
          event,
        ),
      ).toEqual([]);
    },
  );

  propertyTest.prop([world], { numRuns: 300 })("pausing a system agent only ever removes that agent", (w) => {
    const event = {
      type: w.type,
      orgid: "org-a",
      data: { orgRole: w.role, reason: "locked", escalation: true },
    };
    const org = view("org-a", w.custom);
    const before = ids(agentsForEvent(org, event));
    for (const id of w.paused) {
      const after = ids(agentsForEvent({ ...org, systemStatus: { [id]: "paused" } }, event));
      expect(after).toEqual(before.filter((found) => found !== id));
    }
  });
});
