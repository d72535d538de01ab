// Splits text into literal runs and `{{…}}` templates in one left-to-right pass (no regex: linear in the input).

/** A literal run of text, or the inside of one `{{…}}` (braces excluded, not trimmed). */
export type TemplatePart = { text: string } | { template: string };

const OPEN = 123; // "{"
const CLOSE = 125; // "}"

/**
 * The parts of `text`, left to right. A template is `{{`, then characters other than braces, then `}}`; any
 * other brace is literal text. Every character is looked at a bounded number of times, whatever the input.
 */
export function scanTemplates(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literalStart = 0;
  let index = text.indexOf("{{");
  while (index !== -1) {
    let end = index + 2;
    while (end < text.length && text.charCodeAt(end) !== OPEN && text.charCodeAt(end) !== CLOSE) end++;
    if (text.charCodeAt(end) === CLOSE && text.charCodeAt(end + 1) === CLOSE) {
      if (index > literalStart) parts.push({ text: text.slice(literalStart, index) });
      parts.push({ template: text.slice(index + 2, end) });
      literalStart = end + 2;
      index = text.indexOf("{{", literalStart);
    } else {
      // No template opens at `index`; the only other place one may open before `end` is the next brace.
      index = text.indexOf("{{", end === index + 2 ? index + 1 : end);
    }
  }
  if (literalStart < text.length) parts.push({ text: text.slice(literalStart) });
  return parts;
}

/** The inside of the template when the whole text is exactly one `{{…}}`, else null. */
export function wholeTemplate(text: string): string | null {
  if (text.length < 4 || !text.startsWith("{{") || !text.endsWith("}}")) return null;
  const inside = text.slice(2, -2);
  return inside.includes("{") || inside.includes("}") ? null : inside;
}
