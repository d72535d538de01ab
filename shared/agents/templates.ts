// `{{trigger.data.x}}` and `{{context.x}}` templates in step fields: found and checked at save time, rendered at run time.
import { readPath, rootedPathProblem } from "./paths";
import { scanTemplates, wholeTemplate } from "./template-scanner";

export interface TemplateScope {
  trigger: unknown;
  context: Record<string, unknown>;
}

/** What is wrong with the templates of a string (empty when nothing), and the paths they read. */
export function inspectTemplates(text: string): { problems: string[]; paths: string[] } {
  const problems: string[] = [];
  const paths: string[] = [];
  if (!text.includes("{{")) return { problems, paths };
  let rest = "";
  for (const part of scanTemplates(text)) {
    if ("text" in part) {
      rest += part.text;
      continue;
    }
    const path = part.template.trim();
    const problem = rootedPathProblem(path);
    if (problem) problems.push(`template {{${path.slice(0, 80)}}}: ${problem}`);
    else paths.push(path);
  }
  if (rest.includes("{{")) problems.push("'{{' must open a template closed by '}}'");
  return { problems, paths };
}

/** True when the whole string is one template, so it may stand for a number, boolean or list. */
export const isWholeTemplate = (text: string): boolean => wholeTemplate(text) !== null;

const read = (scope: TemplateScope, path: string): unknown => readPath(scope, path);

function asText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Renders one string: a whole-string template keeps the value's own type (absent → null);
 * templates inside text become text (absent → "").
 */
export function renderString(text: string, scope: TemplateScope): unknown {
  const whole = wholeTemplate(text);
  if (whole !== null) return read(scope, whole.trim()) ?? null;
  if (!text.includes("{{")) return text;
  return scanTemplates(text)
    .map((part) => ("text" in part ? part.text : asText(read(scope, part.template.trim()))))
    .join("");
}

/** Renders every string inside a JSON value (params, recipients, messages). */
export function renderValue(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === "string") return renderString(value, scope);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, scope));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, renderValue(inner, scope)]));
  }
  return value;
}
