// The agent schema: valid agents parse; each mistake is a 422 issue at its own path; hostile bodies stay cheap.
import { fc, propertyTest } from "../../support/property";
import { describe, expect, it } from "vitest";
import type { AgentInput } from "../../../shared/agents/schema";
import { agentInputSchema } from "../../../shared/agents/schema";
import { toFieldIssues } from "../../../shared/http/validation";
import { exampleAgent, isolationAgent, ticketAgent } from "../../support/agents";
import { agentBodyCandidate } from "../../support/agent-arbitraries";

function issues(body: unknown) {
  const result = agentInputSchema.safeParse(body);
  return result.success ? [] : toFieldIssues(result.error, "");
}
const paths = (body: unknown) => issues(body).map((issue) => issue.path);
const withSteps = (steps: unknown[]) => ({ ...ticketAgent(), steps }) as unknown as AgentInput;

describe("agent schema", () => {
  it("accepts the README example and fills the defaults", () => {
    const parsed = agentInputSchema.parse(exampleAgent);
    expect(parsed.status).toBe("active");
    expect(parsed.trigger.event_type).toBe("hub.iam.user_created");
    expect(isolationAgent().steps[0]).not.toHaveProperty("timeout_seconds");
    const gate = agentInputSchema.parse(isolationAgent()).steps[0];
    expect(gate).toMatchObject({ type: "approval_gate", timeout_seconds: 86_400, on_timeout: "reject" });
  });

  it("names the path of a bad approver address, as people read it", () => {
    const body = isolationAgent();
    const steps = [
      { id: "a", type: "delay", seconds: 1 },
      { id: "b", type: "delay", seconds: 1 },
      { id: "c", type: "approval_gate", approvers: [{ email: "not-an-email" }], message: "ok?" },
    ];
    expect(paths({ ...body, steps })).toEqual(["steps[2].approvers[0].email"]);
  });

  it("holds a {user_id} approver to Hub's user id rule, the one the IAM routes use", () => {
    const gate = (user_id: string) =>
      withSteps([{ id: "ask", type: "approval_gate", approvers: [{ user_id }], message: "ok?" }]);
    expect(paths(gate("0b0c6a57-3d2e-4f4e-9a55-2a8b3c1d9e10"))).toEqual([]);
    // Characters no Hub user id has (and 65+ characters) can never name an approver.
    for (const impossible of ["sam.tester", "u:1", "a_b", "x".repeat(65)])
      expect(paths(gate(impossible))).toEqual(["steps[0].approvers[0].user_id"]);
  });

  it("refuses duplicate step ids at the second one", () => {
    const steps = [
      { id: "same", type: "delay", seconds: 1 },
      { id: "same", type: "delay", seconds: 2 },
    ];
    expect(issues(withSteps(steps))).toEqual([{ path: "steps[1].id", message: "duplicate step id 'same'" }]);
  });

  it.each([
    [{ id: "x", type: "teleport" }, "steps[0].type"],
    [{ id: "bad id!", type: "delay", seconds: 1 }, "steps[0].id"],
    [{ id: "x", type: "delay", seconds: 0 }, "steps[0].seconds"],
    [{ id: "x", type: "delay", seconds: 1, extra: true }, "steps[0]"],
    [
      { id: "x", type: "product_action", product: "psa", action: "launch_rocket", params: {} },
      "steps[0].action",
    ],
    [{ id: "x", type: "product_action", product: "nope", action: "x", params: {} }, "steps[0].product"],
    [
      { id: "x", type: "product_action", product: "psa", action: "create_ticket", params: {} },
      "steps[0].params.title",
    ],
    [
      {
        id: "x",
        type: "product_action",
        product: "psa",
        action: "create_ticket",
        params: { title: "t", what: 1 },
      },
      "steps[0].params",
    ],
    [
      {
        id: "x",
        type: "product_action",
        product: "psa",
        action: "create_ticket",
        params: { title: "t", priority: "mega" },
      },
      "steps[0].params.priority",
    ],
    [
      {
        id: "x",
        type: "product_action",
        product: "jarvis",
        action: "summarize",
        params: { text: "t", max_words: 1.5 },
      },
      "steps[0].params.max_words",
    ],
    [{ id: "x", type: "notification", channel: "email", to: ["nobody"], message: "m" }, "steps[0].to[0]"],
    [
      { id: "x", type: "notification", channel: "sms", to: ["+15550001111"], subject: "s", message: "m" },
      "steps[0].subject",
    ],
    [{ id: "x", type: "notification", channel: "sms", to: ["555"], message: "m" }, "steps[0].to[0]"],
    [{ id: "x", type: "notification", channel: "fax", to: ["a@b.co"], message: "m" }, "steps[0].channel"],
    [{ id: "x", type: "approval_gate", approvers: [], message: "m" }, "steps[0].approvers"],
    [
      {
        id: "x",
        type: "approval_gate",
        approvers: [{ email: "a@b.co", phone: "+15550001111" }],
        message: "m",
      },
      "steps[0].approvers[0]",
    ],
    [
      { id: "x", type: "approval_gate", approvers: [{ email: "a@b.co" }], message: "m", timeout_seconds: 59 },
      "steps[0].timeout_seconds",
    ],
    [
      { id: "x", type: "approval_gate", approvers: [{ email: "a@b.co" }], message: "m", on_timeout: "maybe" },
      "steps[0].on_timeout",
    ],
    [
      { id: "x", type: "delay", seconds: 1, when: { path: "trigger.data.a", op: "in", value: "one" } },
      "steps[0].when.value",
    ],
    [
      { id: "x", type: "delay", seconds: 1, when: { path: "data.a", op: "eq", value: 1 } },
      "steps[0].when.path",
    ],
    [
      {
        id: "x",
        type: "delay",
        seconds: 1,
        when: { all: [{ path: "trigger.data.__proto__", op: "exists" }] },
      },
      "steps[0].when.all[0].path",
    ],
    [
      {
        id: "x",
        type: "delay",
        seconds: 1,
        when: { path: "trigger.data.a", op: "eq", value: 1, all: [{ path: "trigger.data.b", op: "exists" }] },
      },
      "steps[0].when",
    ],
  ])("refuses %j at %s", (step, path) => {
    expect(paths(withSteps([step]))).toContain(path);
  });

  it("checks templates: known roots only, well formed, and context saved by an earlier step", () => {
    const action = (params: Record<string, unknown>, extra: object = {}) => ({
      id: `s${Math.random().toString(36).slice(2, 8)}`,
      type: "product_action",
      product: "psa",
      action: "create_ticket",
      params,
      ...extra,
    });
    expect(paths(withSteps([action({ title: "{{env.SECRET}}" })]))).toEqual(["steps[0].params.title"]);
    expect(paths(withSteps([action({ title: "half {{trigger.data.x" })]))).toEqual(["steps[0].params.title"]);
    expect(paths(withSteps([action({ title: "{{trigger.headers.x}}" })]))).toEqual(["steps[0].params.title"]);
    expect(paths(withSteps([action({ title: "{{context.ticket.id}}" })]))).toEqual(["steps[0].params.title"]);
    const saved = withSteps([
      action({ title: "t" }, { save_as: "ticket" }),
      action({ title: "{{ context.ticket.id }}" }),
    ]);
    expect(paths(saved)).toEqual([]);
    const typed = withSteps([
      action({ title: "t", priority: "{{trigger.data.priority}}", tags: ["{{trigger.type}}"] }),
    ]);
    expect(paths(typed)).toEqual([]);
  });

  it("refuses overrides unless the agent overrides system agents", () => {
    expect(paths(ticketAgent({ overrides: ["sys-onboard-new-user"] }))).toEqual(["overrides"]);
    expect(
      paths(ticketAgent({ conflict_behavior: "override_system", overrides: ["sys-onboard-new-user"] })),
    ).toEqual([]);
  });

  it("ignores the fields the server owns, so a GET body can be PUT back", () => {
    const parsed = agentInputSchema.parse({
      ...ticketAgent(),
      id: "x",
      org_id: "other-org",
      version: 9,
      is_system: true,
    });
    expect(parsed).not.toHaveProperty("org_id");
    expect(parsed).not.toHaveProperty("id");
    expect(parsed).not.toHaveProperty("is_system");
  });

  it("refuses wildcards other than a dotted prefix", () => {
    for (const event_type of ["*", "hub.*.created", "hub.iam.", "hub..iam", "hub.iam*"])
      expect(paths(ticketAgent({ trigger: { event_type } }))).toEqual(["trigger.event_type"]);
    expect(paths(ticketAgent({ trigger: { event_type: "hub.iam.*" } }))).toEqual([]);
  });

  it("caps every list: 51 steps, 21 filters, 21 recipients", () => {
    const steps = Array.from({ length: 51 }, (_, i) => ({ id: `s${i}`, type: "delay", seconds: 1 }));
    expect(paths(withSteps(steps))).toEqual(["steps"]);
    const filter = Array.from({ length: 21 }, () => ({ path: "a", op: "exists" }));
    expect(paths(ticketAgent({ trigger: { event_type: "a.b", filter } as never }))).toEqual([
      "trigger.filter",
    ]);
    const to = Array.from({ length: 21 }, () => "a@b.co");
    expect(paths(withSteps([{ id: "n", type: "notification", channel: "email", to, message: "m" }]))).toEqual(
      ["steps[0].to"],
    );
  });

  it("parses a 256 KiB hostile body quickly", () => {
    const huge = "x".repeat(200_000);
    const started = performance.now();
    expect(paths({ ...ticketAgent(), name: huge })).toEqual(["name"]);
    expect(
      paths(
        withSteps([
          { id: "x", type: "notification", channel: "email", to: ["a@b.co"], message: `{{${huge}` },
        ]),
      ),
    ).toEqual(["steps[0].message"]);
    const braces = "{{".repeat(100_000);
    expect(
      paths(
        withSteps([{ id: "x", type: "notification", channel: "email", to: ["a@b.co"], message: braces }]),
      ),
    ).toEqual(["steps[0].message"]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  propertyTest.prop([fc.jsonValue({ maxDepth: 6 })], { numRuns: 2_000 })(
    "never throws on any JSON",
    (body) => {
      expect(() => agentInputSchema.safeParse(body)).not.toThrow();
    },
  );

  propertyTest.prop([agentBodyCandidate], { numRuns: 3_000 })("never throws on near-valid bodies", (body) => {
    expect(() => agentInputSchema.safeParse(body)).not.toThrow();
  });

  propertyTest.prop(
    [
      fc.record({
        name: fc.string({ minLength: 1, maxLength: 50 }).filter((s) => s.trim().length > 0),
        seconds: fc.array(fc.integer({ min: 1, max: 604_800 }), { minLength: 1, maxLength: 50 }),
      }),
    ],
    { numRuns: 200 },
  )("accepts any agent of delay steps with unique ids", ({ name, seconds }) => {
    const steps = seconds.map((s, i) => ({ id: `d${i}`, type: "delay", seconds: s }));
    expect(issues({ name, trigger: { event_type: "psa.ticket.created" }, steps })).toEqual([]);
  });
});
