// The agents the README walkthrough shows, read from README.md itself, so the demo runs exactly what the README says.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DemoError } from "./http";

// dist/scripts/demo/ → the repository root.
const README = join(__dirname, "..", "..", "..", "README.md");

function readme(): string {
  return readFileSync(README, "utf8");
}

function section(text: string, heading: string): string {
  const start = text.indexOf(heading);
  if (start === -1) throw new DemoError(`README.md has no "${heading}" any more: update the demo with it.`);
  return text.slice(start);
}

/** The JSON of "### Example: a PSA ticket for every new user". */
export function readmeExampleAgent(): Record<string, unknown> {
  const block = /```json\n([\s\S]*?)```/.exec(
    section(readme(), "### Example: a PSA ticket for every new user"),
  );
  if (!block) throw new DemoError("README.md's example agent has no json block.");
  return JSON.parse(block[1]!) as Record<string, unknown>;
}

/** The agent the approval walkthrough creates (the body of its first `curl … -d '{…}'`). */
export function readmeApprovalAgent(): Record<string, unknown> {
  const body = /-d '(\{[\s\S]*?\})'/.exec(
    section(readme(), "To finish the walkthrough, approve from a link"),
  );
  if (!body) throw new DemoError("README.md's approval walkthrough has no agent body.");
  return JSON.parse(body[1]!) as Record<string, unknown>;
}
