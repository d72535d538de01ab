// Activities run at least once in Azure: with every activity run twice (the devhost's at-least-once mode),
// executions still make one product change per step and send one message per recipient.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { Outbox } from "../../devhost/outbox/outbox";
import { bootDevHost } from "../support/devhost";
import type { FakeProduct } from "../support/fake-product";
import { startFakeProduct } from "../support/fake-product";
import { accessToken, bearer, createOrg, login } from "../support/identity";
import {
  busOf,
  createAgent,
  fakePsaSettings,
  validatePsaKeys,
  userCreatedEvent,
  waitForExecutions,
} from "../support/executions";

const EMAILS = ["first@example.com", "second@example.com"];
const PHONES = ["+15550101", "+15550102"];

describe("at-least-once activities", () => {
  let host: DevHost;
  let psa: FakeProduct;
  let token: string;
  let orgId: string;

  beforeAll(async () => {
    psa = await startFakeProduct();
    host = await bootDevHost({
      atLeastOnceActivities: true,
      settings: fakePsaSettings(psa),
    });
    validatePsaKeys(psa, host);
    const org = await createOrg(host);
    orgId = org.orgId;
    token = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
  });
  afterAll(async () => {
    await host?.stop();
    await psa?.close();
  });

  it("makes one product change per step and sends one email and one SMS per recipient", async () => {
    const agent = await createAgent(host, token, {
      name: "Twice-run agent",
      trigger: {
        event_type: "hub.iam.user_created",
        filter: [{ path: "lastName", op: "eq", value: "Twice" }],
      },
      steps: [
        {
          id: "ticket",
          type: "product_action",
          product: "psa",
          action: "create_ticket",
          params: { title: "One" },
        },
        { id: "mail", type: "notification", channel: "email", to: EMAILS, subject: "Hi", message: "Welcome" },
        { id: "text", type: "notification", channel: "sms", to: PHONES, message: "Welcome" },
        {
          id: "note",
          type: "product_action",
          product: "psa",
          action: "create_ticket",
          params: { title: "Two" },
        },
      ],
    });
    busOf(host).publish("the-one-bus", userCreatedEvent(orgId, "Twice"));
    busOf(host).publish("the-one-bus", userCreatedEvent(orgId, "Twice"));
    const executions = await waitForExecutions(host, token, agent.id, 2, 25_000);
    expect(executions.map((e) => e.status)).toEqual(["succeeded", "succeeded"]);

    const outbox = host.services.outbox as Outbox;
    for (const execution of executions) {
      const id = execution.execution_id;
      for (const step of ["ticket", "note"]) {
        const calls = psa.calls.filter((call) => call.headers["idempotency-key"] === `${id}:${step}`);
        // Both runs called the product, with the same key; the product acted on the first only.
        expect(calls, `${id} ${step}`).toHaveLength(2);
        expect(
          calls.filter((call) => !call.replayed),
          `${id} ${step}`,
        ).toHaveLength(1);
        expect(calls.every((call) => call.headers["x-agent-execution-id"] === id)).toBe(true);
      }
      const sent = outbox.list().filter((message) => message.idempotency_key.startsWith(`${id}:`));
      expect(sent.map((message) => `${message.channel} ${message.to}`).sort()).toEqual(
        [...EMAILS.map((to) => `email ${to}`), ...PHONES.map((to) => `sms ${to}`)].sort(),
      );
      const view = (await (
        await fetch(`${host.url}/api/executions/${id}`, { headers: bearer(token) })
      ).json()) as { credits_used: number; steps: { status: string }[] };
      expect(view.steps.map((step) => step.status)).toEqual([
        "succeeded",
        "succeeded",
        "succeeded",
        "succeeded",
      ]);
      expect(view.credits_used).toBe(1 + 2 + 2 + 1);
    }
  });
});
