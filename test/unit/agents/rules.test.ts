// Event types, conditions, templates and the continuation token: the small rules the agents rely on.
import { fc, propertyTest } from "../../support/property";
import { describe, expect, it } from "vitest";
import { holds, whenHolds } from "../../../shared/agents/conditions";
import { decodeListPosition, encodeListPosition } from "../../../shared/agents/continuation";
import { matchesEventType } from "../../../shared/agents/event-type";
import { readPath } from "../../../shared/agents/paths";
import { inspectTemplates, renderString, renderValue } from "../../../shared/agents/templates";
import { AppError } from "../../../shared/errors";

const segment = fc.stringMatching(/^[a-z0-9_]{1,8}$/);
const dotted = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("."));

describe("event type patterns", () => {
  it("matches exact types and dotted prefixes only", () => {
    expect(matchesEventType("hub.iam.user_created", "hub.iam.user_created")).toBe(true);
    expect(matchesEventType("hub.iam.*", "hub.iam.user_created")).toBe(true);
    expect(matchesEventType("hub.iam.*", "hub.iam")).toBe(false);
    expect(matchesEventType("hub.iam.*", "hub.iamx.user")).toBe(false);
    expect(matchesEventType("hub.iam", "hub.iam.user_created")).toBe(false);
  });

  propertyTest.prop([dotted, segment, dotted])(
    "p.* matches every p.x and nothing outside p.",
    (prefix, next, other) => {
      expect(matchesEventType(`${prefix}.*`, `${prefix}.${next}`)).toBe(true);
      expect(matchesEventType(`${prefix}.*`, prefix)).toBe(false);
      if (!`${other}.`.startsWith(`${prefix}.`)) expect(matchesEventType(`${prefix}.*`, other)).toBe(false);
    },
  );
});

describe("conditions", () => {
  it("evaluates each operator", () => {
    expect(holds({ path: "a", op: "eq", value: 1 }, 1)).toBe(true);
    expect(holds({ path: "a", op: "eq", value: "1" }, 1)).toBe(false);
    expect(holds({ path: "a", op: "neq", value: 1 }, undefined)).toBe(true);
    expect(holds({ path: "a", op: "in", value: ["x", "y"] }, "y")).toBe(true);
    expect(holds({ path: "a", op: "not_in", value: ["x"] }, "y")).toBe(true);
    expect(holds({ path: "a", op: "contains", value: "ell" }, "hello")).toBe(true);
    expect(holds({ path: "a", op: "contains", value: "x" }, ["x", "y"])).toBe(true);
    expect(holds({ path: "a", op: "starts_with", value: "he" }, "hello")).toBe(true);
    expect(holds({ path: "a", op: "ends_with", value: "lo" }, "hello")).toBe(true);
    expect(holds({ path: "a", op: "exists" }, 0)).toBe(true);
    expect(holds({ path: "a", op: "exists", value: false }, undefined)).toBe(true);
    expect(holds({ path: "a", op: "gt", value: 3 }, 4)).toBe(true);
    expect(holds({ path: "a", op: "lte", value: "b" }, "a")).toBe(true);
    expect(holds({ path: "a", op: "gt", value: 3 }, "4")).toBe(false);
  });

  it("guards steps with one condition, all of several, or any of several", () => {
    const scope = { trigger: { data: { role: "admin", n: 5 } }, context: { ticket: { id: "T1" } } };
    expect(whenHolds(undefined, scope)).toBe(true);
    expect(whenHolds({ path: "trigger.data.role", op: "eq", value: "admin" }, scope)).toBe(true);
    expect(
      whenHolds(
        {
          all: [
            { path: "trigger.data.n", op: "gt", value: 4 },
            { path: "context.ticket.id", op: "exists" },
          ],
        },
        scope,
      ),
    ).toBe(true);
    expect(
      whenHolds(
        {
          all: [
            { path: "trigger.data.n", op: "gt", value: 9 },
            { path: "context.ticket.id", op: "exists" },
          ],
        },
        scope,
      ),
    ).toBe(false);
    expect(
      whenHolds(
        {
          any: [
            { path: "trigger.data.n", op: "gt", value: 9 },
            { path: "context.ticket.id", op: "exists" },
          ],
        },
        scope,
      ),
    ).toBe(true);
  });

  it("never reads inherited properties", () => {
    expect(readPath({}, "constructor")).toBeUndefined();
    expect(readPath({ a: {} }, "a.toString")).toBeUndefined();
    expect(readPath({ a: [{ b: 1 }] }, "a.0.b")).toBe(1);
  });
});

describe("templates", () => {
  const scope = {
    trigger: { type: "t", data: { email: "a@b.co", n: 3, tags: ["x"] } },
    context: { ticket: { id: 42 } },
  };

  it("keeps the type of a whole-string template and writes text inside text", () => {
    expect(renderString("{{trigger.data.n}}", scope)).toBe(3);
    expect(renderString("{{ context.ticket }}", scope)).toEqual({ id: 42 });
    expect(renderString("n={{trigger.data.n}} {{trigger.data.tags}}", scope)).toBe('n=3 ["x"]');
    expect(renderString("{{trigger.data.missing}}", scope)).toBeNull();
    expect(renderString("[{{trigger.data.missing}}]", scope)).toBe("[]");
    expect(renderValue({ a: ["{{trigger.type}}", 1], b: { c: "{{context.ticket.id}}" } }, scope)).toEqual({
      a: ["t", 1],
      b: { c: 42 },
    });
  });

  it("reports malformed templates and lists what valid ones read", () => {
    expect(inspectTemplates("Hi {{trigger.data.firstName}} ({{context.ticket.id}})")).toEqual({
      problems: [],
      paths: ["trigger.data.firstName", "context.ticket.id"],
    });
    expect(inspectTemplates("{{secrets.x}}").problems).toHaveLength(1);
    expect(inspectTemplates("{{trigger.data.x").problems).toHaveLength(1);
    expect(inspectTemplates("plain } text }}").problems).toEqual([]);
  });

  propertyTest.prop([fc.string({ maxLength: 200 })])("text without braces renders to itself", (text) => {
    fc.pre(!text.includes("{{"));
    expect(renderString(text, scope)).toBe(text);
  });

  const savedContext = fc
    .dictionary(segment, fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 })
    .chain((saved) => fc.tuple(fc.constant(saved), fc.constantFrom(...Object.keys(saved))));

  propertyTest.prop([savedContext])("a whole template returns exactly the saved value", ([saved, name]) => {
    expect(renderString(`{{context.${name}}}`, { trigger: {}, context: saved })).toBe(saved[name] ?? null);
  });
});

describe("list continuation", () => {
  it("round-trips and is refused in another org or when tampered with", () => {
    const token = encodeListPosition("org-a", { system: 4, store: '{"token":"x"}' });
    expect(decodeListPosition("org-a", token)).toEqual({ system: 4, store: '{"token":"x"}' });
    expect(() => decodeListPosition("org-b", token)).toThrow(AppError);
    expect(() => decodeListPosition("org-a", "not-a-token")).toThrow(AppError);
    expect(decodeListPosition("org-a", undefined)).toEqual({ system: 0, store: null });
  });
});
