// What starts an execution and what does not: system agents paused or overridden, the agents entitlement,
// product events posted with an events:publish key, and envelopes that can never run (docs/agents.md–§8).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { FakeProduct } from "../support/fake-product";
import { accessToken, bearer, createOrg, login } from "../support/identity";
import {
  busOf,
  createAgent,
  listExecutions,
  probeAgent,
  userCreatedEvent,
  waitForExecutions,
  bootWithFakePsa,
} from "../support/executions";

const TOPIC = "the-one-bus";
const SYSTEM_ONBOARDING = "sys-onboard-new-user";

describe("execution triggers", () => {
  let host: DevHost;
  let psa: FakeProduct;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ host, psa, stop } = await bootWithFakePsa());
  });
  afterAll(() => stop());

  async function newOrg(entitlements?: string[]) {
    const org = await createOrg(host, entitlements ? { entitlements } : {});
    const audience = entitlements && !entitlements.includes("agents") ? "hub" : "agents";
    const token = await accessToken(host, await login(host, org.owner.email, org.owner.password), audience);
    return { orgId: org.orgId, token };
  }

  const settle = async () => {
    await busOf(host).idle();
    await (host.services.durable as { idle(): Promise<void> }).idle();
    await busOf(host).idle();
  };

  it("runs a system agent for every org, but not where the org paused it", async () => {
    const running = await newOrg();
    const paused = await newOrg();
    const pause = await fetch(`${host.url}/api/agents/${SYSTEM_ONBOARDING}/pause`, {
      method: "POST",
      headers: bearer(paused.token),
    });
    expect(pause.status).toBe(200);
    busOf(host).publish(TOPIC, userCreatedEvent(running.orgId));
    busOf(host).publish(TOPIC, userCreatedEvent(paused.orgId));
    const [ran] = await waitForExecutions(host, running.token, SYSTEM_ONBOARDING, 1);
    expect(ran).toMatchObject({ status: "succeeded", agent_id: SYSTEM_ONBOARDING, actor: { type: "agent" } });
    await settle();
    expect(await listExecutions(host, paused.token, `agent_id=${SYSTEM_ONBOARDING}`)).toEqual([]);
  });

  it("runs an overriding custom agent instead of the system agent it overrides", async () => {
    const org = await newOrg();
    const custom = await createAgent(
      host,
      org.token,
      probeAgent("Override", { conflict_behavior: "override_system", overrides: [SYSTEM_ONBOARDING] }),
    );
    busOf(host).publish(TOPIC, userCreatedEvent(org.orgId, "Override"));
    await waitForExecutions(host, org.token, custom.id, 1);
    await settle();
    expect(await listExecutions(host, org.token, `agent_id=${SYSTEM_ONBOARDING}`)).toEqual([]);
  });

  it("runs nothing for an org without the agents entitlement", async () => {
    const org = await newOrg(["psa", "portal"]);
    const tickets = () => psa.calls.filter((call) => call.path === "/tickets").length;
    const before = tickets();
    busOf(host).publish(TOPIC, userCreatedEvent(org.orgId));
    await settle();
    expect(tickets()).toBe(before);
  });

  it("records an envelope that can never run and completes it instead of retrying it to the dead-letter queue", async () => {
    const garbage = [
      { hello: "not a cloud event" },
      "{not json",
      { specversion: "1.0", id: "x", source: "/psa", type: "BAD TYPE", orgid: "o" },
    ];
    for (const body of garbage)
      busOf(host).send(TOPIC, { body, applicationProperties: { type: "psa.garbage" } });
    await settle();
    expect(busOf(host).deadLetters()).toEqual([]);
    const dropped = host.logs.filter((entry) => entry.message.includes("invalid event envelope dropped"));
    expect(dropped).toHaveLength(garbage.length);
  });
});
