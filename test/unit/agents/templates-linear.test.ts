// Templates are parsed in linear time: adversarial 200 KB strings of several shapes are checked and rendered at once.
import { describe, expect, it } from "vitest";
import { agentInputSchema } from "../../../shared/agents/schema";
import { inspectTemplates, isWholeTemplate, renderString } from "../../../shared/agents/templates";
import { fc, propertyTest } from "../../support/property";

const N = 200_000;

/**
 * Shapes that made the former regular expressions backtrack (one of them is cubic: an unclosed `{{` followed by
 * blanks ran for minutes at a few thousand characters and froze the event loop for every tenant).
 */
const SHAPES: Record<string, string> = {
  "unclosed, blanks then a name": "{{" + " ".repeat(N) + "x",
  "blanks around a valid path, then text": "{{" + " ".repeat(N) + "trigger.id}} x",
  "blanks, then a single closing brace": "{{" + " ".repeat(N) + "}",
  "only openers": "{{".repeat(N / 2),
  "openers between blanks": "{{ ".repeat(N / 3),
  "half-closed templates": "{{a}".repeat(N / 4),
  "many small templates": "{{ trigger.id }}".repeat(N / 16),
  "blanks inside a whole template": "{{" + " ".repeat(N) + "context.x" + " ".repeat(N) + "}}",
};

const scope = { trigger: { id: "evt-1" }, context: { x: 7 } };

/** A time bound only to catch a hang: the former code would not finish these within hours. */
const HANG_MS = 10_000;

function timed<T>(work: () => T): T {
  const started = performance.now();
  const result = work();
  expect(performance.now() - started).toBeLessThan(HANG_MS);
  return result;
}

describe("template parsing on adversarial input", () => {
  for (const [shape, text] of Object.entries(SHAPES)) {
    it(`checks, classifies and renders "${shape}" (${text.length} chars)`, () => {
      timed(() => inspectTemplates(text));
      timed(() => isWholeTemplate(text));
      timed(() => renderString(text, scope));
    });
  }

  it("gives the expected answers for the shapes", () => {
    expect(inspectTemplates(SHAPES["unclosed, blanks then a name"]!).problems).toEqual([
      "'{{' must open a template closed by '}}'",
    ]);
    expect(isWholeTemplate(SHAPES["unclosed, blanks then a name"]!)).toBe(false);
    expect(inspectTemplates(SHAPES["blanks around a valid path, then text"]!)).toEqual({
      problems: [],
      paths: ["trigger.id"],
    });
    expect(renderString(SHAPES["blanks around a valid path, then text"]!, scope)).toBe("evt-1 x");
    expect(renderString(SHAPES["blanks inside a whole template"]!, scope)).toBe(7);
    expect(renderString(SHAPES["many small templates"]!, scope)).toBe("evt-1".repeat(N / 16));
  });

  it("refuses an adversarial non-string product param at save time, at once", () => {
    const result = timed(() =>
      agentInputSchema.safeParse({
        name: "adversarial",
        trigger: { event_type: "psa.ticket.created" },
        steps: [
          {
            id: "note",
            type: "product_action",
            product: "psa",
            action: "add_note",
            params: { ticket_id: "t-1", body: "hello", internal: SHAPES["unclosed, blanks then a name"] },
          },
        ],
      }),
    );
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain("steps.0.params.internal");
  });
});

/** The rules as the former regular expressions wrote them, as an oracle on short strings (where they are fast). */
const REFERENCE_TEMPLATE = /\{\{([^{}]*)\}\}/g;
const REFERENCE_WHOLE = /^\{\{\s*([^{}]*?)\s*\}\}$/;

describe("the scanner keeps the meaning of the former patterns", () => {
  const text = fc.string({ unit: fc.constantFrom("{", "}", " ", "a", ".", "trigger", "id"), maxLength: 24 });

  propertyTest.prop([text])("classifies whole templates the same way", (input) => {
    expect(isWholeTemplate(input)).toBe(REFERENCE_WHOLE.test(input));
  });

  propertyTest.prop([text])("renders templates inside text the same way", (input) => {
    if (REFERENCE_WHOLE.test(input)) return;
    const absentEverywhere = { trigger: {}, context: {} };
    expect(renderString(input, absentEverywhere)).toBe(input.replace(REFERENCE_TEMPLATE, ""));
  });
});
