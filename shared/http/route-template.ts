// Azure Functions route templates ("agents/{id}", "{*path}", "items/{n:int?}") matched as ASP.NET Core routing does.
import { parseRouteParameter } from "./route-parameter";
import type { RouteParameter } from "./route-parameter";

export interface RouteTemplate {
  template: string;
  /** The route values of a request path (leading/trailing "/" ignored), or null when it does not match. */
  match(path: string): Record<string, string> | null;
  /** A path this template matches, built from a value every parameter's constraints accept (null if none found). */
  sample(): string | null;
}

type Segment = { literal: string } | { parameter: RouteParameter };

/**
 * Splits a template into segments; "/" inside a parameter (a regex constraint may hold one) does not split.
 * `{{` and `}}` are the escapes for literal braces, as in ASP.NET Core. Complex segments ("{a}.{b}") are refused:
 * the app does not need them, and refusing is stricter than matching them differently from the host.
 */
function segmentsOf(template: string): Segment[] {
  const raw: string[] = [];
  let current = "";
  let depth = 0;
  for (let index = 0; index < template.length; index++) {
    const char = template[index]!;
    const next = template[index + 1];
    if (depth === 0 && char === "/") {
      raw.push(current);
      current = "";
      continue;
    }
    if ((char === "{" || char === "}") && next === char) {
      current += char + next;
      index++;
      continue;
    }
    if (char === "{") depth++;
    if (char === "}") depth--;
    if (depth < 0 || depth > 1) throw new Error(`Route template "${template}" has unbalanced braces.`);
    current += char;
  }
  if (depth !== 0) throw new Error(`Route template "${template}" has an unclosed parameter.`);
  raw.push(current);
  const parts = raw.filter((part, index) => part !== "" || (index > 0 && index < raw.length - 1));
  return parts.map((part) => {
    if (part === "") throw new Error(`Route template "${template}" has an empty segment.`);
    const unescaped = part.replace(/\{\{|\}\}/g, "");
    const braces = unescaped.replace(/[^{}]/g, "");
    if (braces === "") return { literal: part.replace(/\{\{/g, "{").replace(/\}\}/g, "}") };
    if (braces !== "{}" || !unescaped.startsWith("{") || !unescaped.endsWith("}"))
      throw new Error(`Route template "${template}": complex segment "${part}" is not supported.`);
    return { parameter: parseRouteParameter(part.slice(1, -1), template) };
  });
}

function checkShape(segments: Segment[], template: string): void {
  segments.forEach((segment, index) => {
    if (!("parameter" in segment)) return;
    const last = index === segments.length - 1;
    if (segment.parameter.catchAll && !last)
      throw new Error(`Route template "${template}": a catch-all parameter must be the last segment.`);
    const rest = segments.slice(index + 1);
    if (
      segment.parameter.optional &&
      rest.some((later) => !("parameter" in later) || !(later.parameter.optional || later.parameter.catchAll))
    )
      throw new Error(
        `Route template "${template}": an optional parameter must be followed by optional ones only.`,
      );
  });
}

export function compileRouteTemplate(template: string): RouteTemplate {
  const segments = segmentsOf(template);
  checkShape(segments, template);

  function match(path: string): Record<string, string> | null {
    const parts = path.split("/");
    if (parts[0] === "") parts.shift();
    if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
    const values: Record<string, string> = {};
    for (let index = 0; index < segments.length; index++) {
      const segment = segments[index]!;
      if ("literal" in segment) {
        const part = parts[index];
        if (part === undefined || decode(part).toLowerCase() !== segment.literal.toLowerCase()) return null;
        continue;
      }
      const parameter = segment.parameter;
      if (parameter.catchAll) {
        const rest = parts.slice(index).map(decode).join("/");
        if (rest !== "") {
          if (!parameter.accepts(rest)) return null;
          values[parameter.name] = rest;
        } else if (parameter.defaultValue !== undefined) values[parameter.name] = parameter.defaultValue;
        return values;
      }
      const part = parts[index];
      if (part === undefined || part === "") {
        if (part === "" || !(parameter.optional || parameter.defaultValue !== undefined)) return null;
        if (parameter.defaultValue !== undefined) values[parameter.name] = parameter.defaultValue;
        continue;
      }
      const value = decode(part);
      if (!parameter.accepts(value)) return null;
      values[parameter.name] = value;
    }
    return parts.length > segments.length ? null : values;
  }

  function sample(): string | null {
    const parts: string[] = [];
    for (const segment of segments) {
      if ("literal" in segment) {
        parts.push(segment.literal);
        continue;
      }
      const value = segment.parameter.sampleValue();
      if (value === null) return null;
      parts.push(segment.parameter.catchAll ? value : encodeURIComponent(value));
    }
    return parts.join("/");
  }

  return { template, match, sample };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** A template as OpenAPI writes a path ("/agents/{id}", constraints dropped), and its parameter names in order. */
export function documentedPath(template: string): { path: string; parameters: string[] } {
  const segments = segmentsOf(template);
  return {
    path: `/${segments.map((s) => ("parameter" in s ? `{${s.parameter.name}}` : s.literal)).join("/")}`,
    parameters: segments.flatMap((s) => ("parameter" in s ? [s.parameter.name] : [])),
  };
}
