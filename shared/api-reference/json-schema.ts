// zod schemas as JSON Schema 2020-12 for the API and event references, named definitions collected in one place.
import { z } from "zod";

export type JsonSchema = Record<string, unknown>;

const LOCAL_DEFINITION = /^#\/(\$defs|definitions)\//;

/**
 * Converts zod schemas, moving every named definition (`.meta({ id })`) into `definitions` and pointing each
 * reference at `refBase` (e.g. `#/components/schemas/`). Requests are described as clients write them
 * (`input`: defaults optional), answers as clients receive them (`output`); an input definition is suffixed
 * `Input` because the two differ.
 */
export class SchemaCollector {
  readonly definitions: Record<string, JsonSchema> = {};

  constructor(
    private readonly refBase: string,
    /** OpenAPI 3.1 speaks 2020-12; AsyncAPI 3.0's schema format is a draft-07 superset. */
    private readonly target: "draft-2020-12" | "draft-7" = "draft-2020-12",
  ) {}

  convert(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const converted = z.toJSONSchema(schema, {
      target: this.target,
      io,
      unrepresentable: "any",
    }) as JsonSchema;
    const rename = (name: string) => (io === "input" ? `${name}Input` : name);
    const { $schema: _dialect, $defs, definitions, ...root } = converted;
    for (const [name, definition] of Object.entries(
      ($defs ?? definitions ?? {}) as Record<string, JsonSchema>,
    ))
      this.definitions[rename(name)] = this.relink(definition, rename);
    return this.relink(root, rename);
  }

  private relink(value: JsonSchema, rename: (name: string) => string): JsonSchema {
    const walk = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(walk);
      if (node === null || typeof node !== "object") return node;
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        out[key] =
          key === "$ref" && typeof child === "string" && LOCAL_DEFINITION.test(child)
            ? `${this.refBase}${rename(child.replace(LOCAL_DEFINITION, ""))}`
            : walk(child);
      }
      return out;
    };
    return walk(value) as JsonSchema;
  }
}
