// The AsyncAPI document of The One Bus: valid for @asyncapi/parser, checked in as docs/asyncapi.json, and in step
// with docs/events.md (every type in both, the same data fields, every example valid against its message).
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Parser, DiagnosticSeverity } from "@asyncapi/parser";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { asyncApiDocument, messageName } from "../../shared/api-reference/asyncapi";
import type { AsyncApiDocument } from "../../shared/api-reference/asyncapi";

const ROOT = resolve(__dirname, "..", "..");
const CHECKED_IN = resolve(ROOT, "docs", "asyncapi.json");
const EVENTS_PAGE = readFileSync(resolve(ROOT, "docs", "events.md"), "utf8");
const document = asyncApiDocument();
const text = `${JSON.stringify(document, null, 2)}\n`;

/** `UPDATE_REFERENCE=1 npx vitest run test/unit/asyncapi.test.ts` rewrites docs/asyncapi.json from the schemas. */
if (process.env.UPDATE_REFERENCE === "1") writeFileSync(CHECKED_IN, text);

/** The Hub messages (every message but the products' own), by type. */
const hubMessages = (doc: AsyncApiDocument) =>
  new Map(
    Object.values(doc.components.messages)
      .filter((message) => message.name !== "product event")
      .map((message) => [message.name, message]),
  );

/** docs/events.md's "The events" table: type → the data fields it names (parenthesised remarks left out). */
function documentedTypes(): Map<string, string[]> {
  const section = EVENTS_PAGE.slice(EVENTS_PAGE.indexOf("## The events"));
  const rows = new Map<string, string[]>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const type = /^`([a-z]+\.[a-z_.]+)`$/.exec(cells[1] ?? "")?.[1];
    if (!type || cells.length < 5 || rows.has(type)) continue;
    const fields = [...(cells[3] ?? "").replace(/\([^)]*\)/g, "").matchAll(/`([^`]+)`/g)].flatMap((match) =>
      match[1]!.split(",").map((name) => name.trim()),
    );
    rows.set(type, fields.filter(Boolean));
  }
  return rows;
}

/** The JSON examples of docs/events.md (each a whole envelope). */
const documentedExamples = (): { type: string; data: Record<string, unknown> }[] =>
  [...EVENTS_PAGE.matchAll(/```json\n([\s\S]*?)```/g)].map(
    (match) => JSON.parse(match[1]!) as { type: string; data: Record<string, unknown> },
  );

describe("the AsyncAPI document", () => {
  it("is valid AsyncAPI 3.0 for @asyncapi/parser", async () => {
    const diagnostics = await new Parser().validate(JSON.stringify(document));
    const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    expect(errors.map((d) => `${d.path.join(".")}: ${d.message}`)).toEqual([]);
    const { document: parsed } = await new Parser().parse(JSON.stringify(document));
    expect(parsed?.version()).toBe("3.0.0");
    expect(parsed?.channels().get("theOneBus")?.messages().length).toBe(
      Object.keys(document.components.messages).length,
    );
  }, 120_000); // the parser takes seconds, and far longer on a loaded machine

  it("is the one checked in as docs/asyncapi.json (regenerate: UPDATE_REFERENCE=1)", () => {
    expect(JSON.parse(readFileSync(CHECKED_IN, "utf8"))).toEqual(document);
  });

  it("documents in docs/events.md every type it describes, with the same data fields", () => {
    const messages = hubMessages(document);
    const table = documentedTypes();
    expect([...table.keys()].sort()).toEqual([...messages.keys()].sort());
    for (const [type, fields] of table) {
      const payload = messages.get(type)!.payload as { properties: { data: { properties: object } } };
      expect({ type, fields: [...fields].sort() }).toEqual({
        type,
        fields: Object.keys(payload.properties.data.properties).sort(),
      });
    }
  });

  it("accepts every example of docs/events.md as its type's message, and there is one per type", () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema(document, "https://reference.invalid/asyncapi.json");
    const examples = documentedExamples();
    expect(new Set(examples.map((example) => example.type))).toEqual(new Set(hubMessages(document).keys()));
    for (const example of examples) {
      const validate = ajv.getSchema(
        `https://reference.invalid/asyncapi.json#/components/messages/${messageName(example.type)}/payload`,
      )!;
      expect({ type: example.type, valid: validate(example), errors: validate.errors ?? null }).toEqual({
        type: example.type,
        valid: true,
        errors: null,
      });
    }
  });

  it("refuses an example whose data lacks a documented field (the check can fail)", () => {
    const ajv = new Ajv({ strict: false });
    ajv.addSchema(document, "https://reference.invalid/asyncapi.json");
    const validate = ajv.getSchema(
      "https://reference.invalid/asyncapi.json#/components/messages/HubIamUserCreated/payload",
    )!;
    const example = documentedExamples().find((e) => e.type === "hub.iam.user_created")!;
    const { created_by: _dropped, ...data } = example.data;
    expect(validate({ ...example, data })).toBe(false);
  });
});
