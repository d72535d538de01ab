// GET /api/docs: the OpenAPI document as one readable server-rendered page (no script, nothing loaded from elsewhere).
import type { HttpResponseInit } from "@azure/functions";
import { createHash } from "node:crypto";
import { escapeHtml } from "../pages/layout";
import type { JsonSchema } from "./json-schema";
import type { OpenApiDocument, Operation } from "./openapi";

const STYLE = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
body{margin:0;padding:16px;background:#f4f5f7;color:#1b1d21;line-height:1.45}
main{max-width:980px;margin:0 auto}
section,header{background:#fff;border-radius:10px;padding:14px 18px;margin:0 0 14px;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin:0 0 8px}h2{font-size:1.15rem;margin:24px 0 10px}h3{font-size:1rem;margin:0 0 6px;overflow-wrap:anywhere}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
.m{display:inline-block;min-width:4.2em;text-align:center;border-radius:6px;padding:1px 6px;color:#fff;font-size:.8rem;font-weight:700}
.GET{background:#1d64b0}.POST{background:#1f7a3d}.PUT{background:#8a5a00}.PATCH{background:#6b3fa0}.DELETE{background:#b42318}
.who,.muted{color:#5c6370;font-size:.9rem}
ul.s{list-style:none;margin:2px 0 2px 4px;padding-left:12px;border-left:2px solid #e1e4e8}
.t{color:#6b3fa0}.req{color:#b42318;font-size:.8rem}
dl{margin:6px 0}dt{font-weight:600;margin-top:6px}dd{margin:0 0 0 12px}
nav ul{columns:2;margin:0;padding-left:18px}
@media (max-width:640px){nav ul{columns:1}}
@media (prefers-color-scheme:dark){body{background:#15171a;color:#e6e8eb}section,header{background:#1f2226;box-shadow:none}
.who,.muted{color:#9aa3ad}ul.s{border-color:#3a3f45}.t{color:#c6a0f5}}
`;

const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");

const HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "content-security-policy": `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`,
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
};

const MAX_DEPTH = 8;
const e = escapeHtml;
const schemaAnchor = (name: string) => `schema-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;

/** A schema's type in a few words, with a link for a named schema. */
function typeOf(schema: JsonSchema): string {
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.split("/").pop()!;
    return `<a href="#${schemaAnchor(name)}">${e(name)}</a>`;
  }
  if ("const" in schema) return `<code>${e(JSON.stringify(schema.const))}</code>`;
  if (Array.isArray(schema.enum))
    return `one of ${schema.enum.map((v) => `<code>${e(JSON.stringify(v))}</code>`).join(", ")}`;
  const variants = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (variants) return variants.map(typeOf).join(" | ");
  if (schema.type === "array") return `array of ${typeOf((schema.items ?? {}) as JsonSchema)}`;
  if (Array.isArray(schema.type)) return schema.type.map(String).join(" | ");
  return typeof schema.type === "string" ? schema.type : "any";
}

const CONSTRAINTS = [
  "format",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "minItems",
  "maxItems",
  "default",
];

function facts(schema: JsonSchema): string {
  const parts = CONSTRAINTS.filter((key) => schema[key] !== undefined).map(
    (key) =>
      `${key} <code>${e(typeof schema[key] === "string" ? String(schema[key]) : JSON.stringify(schema[key]))}</code>`,
  );
  const description = typeof schema.description === "string" ? ` — ${e(schema.description)}` : "";
  return `${parts.length ? ` <span class="muted">(${parts.join(", ")})</span>` : ""}${description}`;
}

/** The nested fields of a schema (objects, arrays of objects, variants), as nested lists. */
function fields(schema: JsonSchema, depth: number): string {
  if (depth > MAX_DEPTH) return "";
  if (schema.type === "array" && schema.items) return fields(schema.items as JsonSchema, depth + 1);
  const variants = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (variants) {
    const inner = variants.map((variant) => fields(variant, depth + 1)).filter(Boolean);
    return inner.map((list, i) => `<p class="muted">variant ${i + 1}</p>${list}`).join("");
  }
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (!properties) return "";
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const items = Object.entries(properties).map(
    ([name, child]) =>
      `<li><code>${e(name)}</code> <span class="t">${typeOf(child)}</span>${required.has(name) ? ' <span class="req">required</span>' : ""}${facts(child)}${fields(child, depth + 1)}</li>`,
  );
  return `<ul class="s">${items.join("")}</ul>`;
}

const schemaBlock = (schema: JsonSchema) =>
  `<span class="t">${typeOf(schema)}</span>${facts(schema)}${fields(schema, 0)}`;

function operationSection(method: string, path: string, op: Operation, doc: OpenApiDocument): string {
  const parameters = (op.parameters ?? []) as {
    name: string;
    in: string;
    required: boolean;
    schema: JsonSchema;
  }[];
  const paramList = parameters.length
    ? `<dl><dt>Parameters</dt><dd><ul class="s">${parameters
        .map(
          (p) =>
            `<li><code>${e(p.name)}</code> <span class="muted">${e(p.in)}</span> <span class="t">${typeOf(p.schema)}</span>${p.required ? ' <span class="req">required</span>' : ""}${facts(p.schema)}</li>`,
        )
        .join("")}</ul></dd></dl>`
    : "";
  const body = op.requestBody as
    { required: boolean; content: Record<string, { schema: JsonSchema }> } | undefined;
  const bodyBlock = body
    ? Object.entries(body.content)
        .map(
          ([type, media]) =>
            `<dl><dt>Body <code>${e(type)}</code>${body.required ? "" : " (optional)"}</dt><dd>${schemaBlock(media.schema)}</dd></dl>`,
        )
        .join("")
    : "";
  const responses = Object.entries(op.responses)
    .map(([status, response]) => {
      const ref = typeof response.$ref === "string" ? response.$ref.split("/").pop()! : undefined;
      const resolved = (ref ? doc.components.responses[ref] : response) as {
        description: string;
        content?: Record<string, { schema: JsonSchema }>;
      };
      const content = Object.entries(resolved.content ?? {})
        .map(
          ([type, media]) =>
            ` <code>${e(type)}</code> ${ref ? typeOf(media.schema) : schemaBlock(media.schema)}`,
        )
        .join("");
      return `<dt>${e(status)}</dt><dd>${e(resolved.description)}${content}</dd>`;
    })
    .join("");
  return `<section id="${e(op.operationId)}"><h3><span class="m ${e(method)}">${e(method)}</span> <code>/api${e(path)}</code></h3>
<p>${e(op.summary)}</p><p class="who">${e(String(op.description ?? ""))}</p>${paramList}${bodyBlock}<dl><dt>Responses</dt><dd><dl>${responses}</dl></dd></dl></section>`;
}

export function referencePage(doc: OpenApiDocument): HttpResponseInit {
  const info = doc.info as { title: string; version: string; description: string };
  const byTag = new Map<string, string[]>();
  const toc = new Map<string, string[]>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const tag = op.tags[0] ?? "other";
      const upper = method.toUpperCase();
      (byTag.get(tag) ?? byTag.set(tag, []).get(tag)!).push(operationSection(upper, path, op, doc));
      (toc.get(tag) ?? toc.set(tag, []).get(tag)!).push(
        `<li><a href="#${e(op.operationId)}">${e(upper)} /api${e(path)}</a></li>`,
      );
    }
  }
  const tags = [...byTag.keys()].sort();
  const schemas = Object.entries(doc.components.schemas)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([name, schema]) =>
        `<section id="${schemaAnchor(name)}"><h3>${e(name)}</h3>${schemaBlock(schema)}</section>`,
    )
    .join("");
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(info.title)} reference</title><style>${STYLE}</style></head><body><main>
<header><h1>${e(info.title)} <span class="muted">${e(info.version)}</span></h1><p>${e(info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1) and <a href="/api/asyncapi.json">/api/asyncapi.json</a> (AsyncAPI 3.0, the events on The One Bus).</p>
<nav><ul>${tags.map((tag) => `<li><a href="#tag-${e(tag)}">${e(tag)}</a></li>`).join("")}<li><a href="#schemas">Schemas</a></li></ul></nav></header>
${tags.map((tag) => `<h2 id="tag-${e(tag)}">${e(tag)}</h2><nav><ul>${toc.get(tag)!.join("")}</ul></nav>${byTag.get(tag)!.join("")}`).join("\n")}
<h2 id="schemas">Schemas</h2>${schemas}
</main></body></html>`;
  return { status: 200, headers: HEADERS, body: html };
}
