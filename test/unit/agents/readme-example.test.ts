// The README's example agent is the one the tests create, and it is valid.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { agentInputSchema } from "../../../shared/agents/schema";
import { exampleAgent } from "../../support/agents";

describe("README example agent", () => {
  it("is exactly test/support's exampleAgent, triggers on hub.iam.user_created and opens a PSA ticket", () => {
    const readme = readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Example: a PSA ticket for every new user"));
    const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    const shown: unknown = JSON.parse(block!);
    expect(shown).toEqual(exampleAgent);
    const parsed = agentInputSchema.parse(shown);
    expect(parsed.trigger.event_type).toBe("hub.iam.user_created");
    expect(parsed.steps[0]).toMatchObject({
      type: "product_action",
      product: "psa",
      action: "create_ticket",
    });
  });
});
