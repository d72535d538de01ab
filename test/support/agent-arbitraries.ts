// fast-check arbitraries for agent bodies: any JSON, and the README example with one field (or one step field) replaced.
import { fc } from "./property";
import { exampleAgent } from "./agents";

const anyJson = fc.jsonValue({ maxDepth: 5 });
const tricky = fc.constantFrom(
  "{{",
  "{{context.x}}",
  "{{trigger.__proto__}}",
  "psa",
  "",
  "hub.iam.*",
  {},
  [],
  null,
);

const agentMutation = fc
  .tuple(
    fc.constantFrom(
      "name",
      "description",
      "status",
      "trigger",
      "steps",
      "conflict_behavior",
      "overrides",
      "extra",
    ),
    fc.oneof(anyJson, tricky, fc.string({ maxLength: 300 })),
  )
  .map(([field, value]) => ({ ...exampleAgent, [field]: value }));

const stepMutation = fc
  .tuple(
    fc.constantFrom(0, 1),
    fc.constantFrom(
      "id",
      "type",
      "when",
      "params",
      "to",
      "channel",
      "product",
      "action",
      "save_as",
      "message",
      "subject",
    ),
    fc.oneof(anyJson, tricky),
  )
  .map(([index, field, value]) => ({
    ...exampleAgent,
    steps: exampleAgent.steps.map((step, i) => (i === index ? { ...step, [field]: value } : step)),
  }));

const triggerMutation = fc
  .tuple(fc.constantFrom("event_type", "filter"), fc.oneof(anyJson, tricky))
  .map(([field, value]) => ({ ...exampleAgent, trigger: { ...exampleAgent.trigger, [field]: value } }));

/** Bodies near and far from valid, so both the 201 and the 4xx sides of the boundary are exercised. */
export const agentBodyCandidate = fc.oneof(anyJson, agentMutation, stepMutation, triggerMutation);
