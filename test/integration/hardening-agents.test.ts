// What event data can make an agent do, once it is rendered into a product call or a notification; and what
// an event, a step or a failure reason may look like (docs/agents.md, docs/events.md, docs/executions.md).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { busOf } from "../support/devhost";
import type { FakeProduct } from "../support/fake-product";
import { isolationAgent } from "../support/agents";
import { bootWithFakePsa, createAgent, listExecutions, waitForExecutions } from "../support/executions";
import { setEntitlements } from "../support/iam";
import { accessToken, bearer, createOrg, issueIntegrationKey, keyHeader, login } from "../support/identity";

/** JSON text nested `depth` levels deep, {"a":{"a":…1}}: written as text, since JSON.stringify would overflow. */
const nestedJson = (depth: number): string => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

/** A product event body whose data is given as JSON text. */
const eventText = (type: string, dataJson: string): string =>
  `{"specversion":"1.0","source":"/psa","type":"${type}","data":${dataJson}}`;

describe("agents facing hostile event data", () => {
  let host: DevHost;
  let psa: FakeProduct;
  let stop: () => Promise<void>;
  let orgId: string;
  let token: string;
  let publishKey: string;

  beforeAll(async () => {
    ({ host, psa, stop } = await bootWithFakePsa());
    const org = await createOrg(host);
    orgId = org.orgId;
    token = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
    publishKey = (await issueIntegrationKey(host, token, ["events:publish"])).key;
  });
  afterAll(() => stop());

  const publishText = (body: string) =>
    fetch(`${host.url}/api/events`, {
      method: "POST",
      headers: { ...keyHeader(publishKey), "content-type": "application/json" },
      body,
    });
  const publish = (event: Record<string, unknown>) =>
    publishText(JSON.stringify({ specversion: "1.0", source: "/psa", ...event }));

  /** An agent on its own event type, so each test sees only its own executions. */
  async function agentOn(steps: unknown[]): Promise<{ id: string; type: string }> {
    const type = `psa.hardening.t${randomUUID().slice(0, 8)}`;
    const agent = await createAgent(host, token, {
      name: `On ${type}`,
      trigger: { event_type: type },
      steps,
    });
    return { id: agent.id, type };
  }

  it("never lets a dot segment in event data move a product call to another route", async () => {
    const agent = await agentOn([
      {
        id: "note",
        type: "product_action",
        product: "psa",
        action: "add_note",
        params: { ticket_id: "{{trigger.data.ticket_id}}", body: "from an event" },
      },
    ]);
    for (const ticketId of ["..", "."]) {
      expect((await publish({ type: agent.type, data: { ticket_id: ticketId } })).status).toBe(202);
    }
    const executions = await waitForExecutions(host, token, agent.id, 2);
    for (const execution of executions) {
      expect(execution.status).toBe("failed");
      expect(execution.steps[0]).toMatchObject({
        status: "failed",
        reason: expect.stringContaining("params.ticket_id: must not be empty, '.' or '..'"),
      });
      expect(psa.calls.filter((c) => c.headers["x-agent-execution-id"] === execution.execution_id)).toEqual(
        [],
      );
    }
  });

  it("fails a notification whose rendered recipient or subject is not exactly one clean value, sending nothing", async () => {
    const agent = await agentOn([
      {
        id: "tell",
        type: "notification",
        channel: "email",
        to: ["{{trigger.data.email}}"],
        subject: "Hello {{trigger.data.name}}",
        message: "Hi",
      },
    ]);
    const marker = `m${randomUUID().slice(0, 8)}`;
    const hostile = [
      { email: `victim-${marker}@example.com, other@example.com\r\nBcc: z@evil.example`, name: "Ann" },
      { email: `victim-${marker}@example.com`, name: "Ann\r\nBcc: z@evil.example" },
      { email: `victim-${marker}@example.com`, name: "Ann\u2028Bcc: z@evil.example" },
    ];
    for (const data of hostile) expect((await publish({ type: agent.type, data })).status).toBe(202);
    const executions = await waitForExecutions(host, token, agent.id, hostile.length);
    const reasons = executions.map((execution) => {
      expect(execution.status).toBe("failed");
      return execution.steps[0]!.reason;
    });
    expect(reasons.sort()).toEqual([
      "nothing sent: recipient 1 is not exactly one email address",
      "nothing sent: the subject contains a control character or a line break",
      "nothing sent: the subject contains a control character or a line break",
    ]);
    const outbox = (await (await fetch(`${host.url}/dev/outbox`)).json()) as { items: { to: string }[] };
    expect(outbox.items.filter((message) => message.to.includes(marker))).toEqual([]);
  });

  it("gives a failed step the product's reason, not an error class name", async () => {
    const agent = await agentOn([
      {
        id: "ticket",
        type: "product_action",
        product: "psa",
        action: "create_ticket",
        params: { title: "x" },
      },
    ]);
    psa.answerNext({ path: "/tickets", status: 400, body: { error: "title too short" } });
    expect((await publish({ type: agent.type, data: {} })).status).toBe(202);
    const [execution] = await waitForExecutions(host, token, agent.id, 1);
    expect(execution!.steps[0]!.reason).toMatch(/^psa answered 400: .*title too short/);
  });

  it("refuses reserved save_as names", async () => {
    for (const name of ["__proto__", "constructor", "prototype"]) {
      const response = await fetch(`${host.url}/api/agents`, {
        method: "POST",
        headers: { ...bearer(token), "content-type": "application/json" },
        body: JSON.stringify({
          name: "Reserved",
          trigger: { event_type: "psa.ticket.created" },
          steps: [
            {
              id: "t",
              type: "product_action",
              product: "psa",
              action: "create_ticket",
              params: { title: "x" },
              save_as: name,
            },
          ],
        }),
      });
      expect(response.status).toBe(422);
      const problem = (await response.json()) as { errors: { path: string }[] };
      expect(problem.errors.map((error) => error.path)).toContain("steps[0].save_as");
    }
  });

  it("refuses Hub's types and source from a product whatever their case", async () => {
    for (const event of [
      { type: "HUB.iam.user_deactivated", data: {} },
      { type: "Hub.auth.login_failed", data: {} },
      { type: "psa.ticket.created", source: "/HUB", data: {} },
      { type: "psa.ticket.created", source: "/Hub/iam", data: {} },
    ]) {
      expect((await publish(event)).status).toBe(422);
    }
  });

  it("refuses event data that is too deep at POST /api/events", async () => {
    const type = "psa.ticket.created";
    expect((await publishText(eventText(type, nestedJson(5_000)))).status).toBe(422);
    expect((await publishText(eventText(type, nestedJson(33)))).status).toBe(422);
    expect((await publishText(eventText(type, nestedJson(32)))).status).toBe(202);
  });

  it("records and completes an over-deep envelope that reaches the bus, without dead-lettering it", async () => {
    const bus = busOf(host);
    const id = randomUUID();
    const time = new Date().toISOString();
    bus.send(bus.topic, {
      messageId: id,
      subject: "psa.ticket.created",
      contentType: "application/cloudevents+json",
      applicationProperties: { type: "psa.ticket.created", org_id: orgId },
      body:
        `{"specversion":"1.0","id":"${id}","source":"/psa","type":"psa.ticket.created","time":"${time}",` +
        `"datacontenttype":"application/json","orgid":"${orgId}","data":${nestedJson(5_000)}}`,
    });
    await bus.idle();
    expect(bus.deadLetters().filter((dead) => dead.message.messageId === id)).toEqual([]);
    expect(
      host.logs.some(
        (entry) =>
          entry.message.includes("invalid event envelope dropped") && entry.message.includes("levels deep"),
      ),
    ).toBe(true);
  });

  it("stops an org's keys, like its people, once the agents entitlement lapses", async () => {
    const other = await createOrg(host);
    const ownerToken = await accessToken(
      host,
      await login(host, other.owner.email, other.owner.password),
      "agents",
    );
    const key = (await issueIntegrationKey(host, ownerToken, ["agents:write", "executions:read"])).key;
    const withKey = (method: string, path: string, body?: unknown) =>
      fetch(`${host.url}${path}`, {
        method,
        headers: { ...keyHeader(key), ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const agent = {
      name: "Key-made",
      trigger: { event_type: "psa.ticket.created" },
      steps: [
        { id: "t", type: "product_action", product: "psa", action: "create_ticket", params: { title: "x" } },
      ],
    };
    expect((await withKey("GET", "/api/agents")).status).toBe(200);
    expect((await withKey("POST", "/api/agents", agent)).status).toBe(201);

    expect((await setEntitlements(host, other.orgId, ["psa", "portal"])).status).toBe(200);
    for (const [method, path] of [
      ["GET", "/api/agents"],
      ["POST", "/api/agents"],
      ["GET", "/api/executions"],
      ["GET", "/api/usage"],
    ] as const) {
      const answer = await withKey(method, path, method === "POST" ? agent : undefined);
      expect([method, path, answer.status]).toEqual([method, path, 403]);
    }
    expect((await fetch(`${host.url}/api/agents`, { headers: bearer(ownerToken) })).status).toBe(403);
  });

  it("retries an execution only while the org's rules of today still allow its agent", async () => {
    const org = await createOrg(host);
    const admin = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      fetch(`${host.url}${path}`, {
        method,
        headers: {
          ...bearer(admin),
          ...headers,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const enable = (actions: string[]) =>
      call("PUT", "/api/agents/settings", { enabled_high_impact_actions: actions });
    expect((await enable(["defend.isolate_device"])).status).toBe(200);
    const agent = await createAgent(host, admin, isolationAgent());
    const key = (await issueIntegrationKey(host, admin, ["events:publish"])).key;
    const posted = await fetch(`${host.url}/api/events`, {
      method: "POST",
      headers: { ...keyHeader(key), "content-type": "application/json" },
      body: JSON.stringify({
        specversion: "1.0",
        source: "/defend",
        type: "defend.alert.created",
        data: { severity: "critical", device_id: "dev-1", alert_id: "al-1" },
      }),
    });
    expect(posted.status).toBe(202);
    await busOf(host).idle();
    const [original] = await listExecutions(host, admin, `agent_id=${agent.id}`);
    expect(original).toBeDefined();
    const retry = () => call("POST", `/api/executions/${original!.execution_id}/retry`);

    expect((await retry()).status).toBe(202);

    expect((await enable([])).status).toBe(200);
    const refused = await retry();
    expect(refused.status).toBe(422);
    const problem = (await refused.json()) as { code: string; errors: { path: string; message: string }[] };
    expect(problem.code).toBe("request.invalid");
    expect(problem.errors).toContainEqual({
      path: "agent.steps[1].action",
      message: expect.stringContaining(
        "defend.isolate_device is high-impact and this org has not enabled it",
      ),
    });

    expect((await enable(["defend.isolate_device"])).status).toBe(200);
    expect((await call("DELETE", `/api/agents/${agent.id}`, undefined, { "if-match": "*" })).status).toBe(
      204,
    );
    const gone = await retry();
    expect(gone.status).toBe(422);
    expect(((await gone.json()) as { errors: { message: string }[] }).errors).toContainEqual({
      path: "agent_id",
      message: `agent ${agent.id} no longer exists`,
    });
  });
});
