// Executions row: events/s from the bus to a started execution vs raw emulator creates/s; Cosmos requests per match.
import { randomUUID } from "node:crypto";
import { rawContainer } from "../../test/support/raw-container";
import type { BusHandle } from "../../devhost/bus/extension";
import type { DurableHandle } from "../../devhost/durable/extension";
import type { BenchRow, Measured } from "../harness";
import { compare, measure } from "../harness";
import type { BenchRowsFn } from "./index";

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`bench setup: ${url} answered ${response.status}: ${await response.text()}`);
  return response;
}

/** An org whose only agent runs for `bench.tick` events and does nothing slow (a one-second durable timer). */
async function benchOrg(url: string): Promise<string> {
  const owner = { email: `bench-${randomUUID().slice(0, 8)}@example.com`, password: `pw-${randomUUID()}` };
  const created = await postJson(
    `${url}/api/orgs`,
    {
      slug: `bench-${randomUUID().slice(0, 8)}`,
      name: "Bench",
      entitlements: ["agents"],
      owner: { ...owner, firstName: "B", lastName: "Ench" },
    },
    { authorization: `Bearer ${process.env.PLATFORM_ADMIN_TOKEN}` },
  );
  const orgId = ((await created.json()) as { org: { id: string } }).org.id;
  const login = await postJson(`${url}/api/auth/login`, owner);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  const token = (
    (await (await postJson(`${url}/api/auth/token`, { audience: "agents" }, { cookie })).json()) as {
      access_token: string;
    }
  ).access_token;
  await postJson(
    `${url}/api/agents`,
    {
      name: "Bench",
      trigger: { event_type: "bench.tick" },
      steps: [{ id: "wait", type: "delay", seconds: 1 }],
    },
    { authorization: `Bearer ${token}` },
  );
  return orgId;
}

const tick = (orgId: string) => ({
  specversion: "1.0" as const,
  id: randomUUID(),
  source: "/bench",
  type: "bench.tick",
  time: new Date().toISOString(),
  datacontenttype: "application/json" as const,
  orgid: orgId,
  data: {},
});

const rows: BenchRowsFn = async (host) => {
  const bus = host.services.bus as BusHandle;
  const durable = host.services.durable as DurableHandle;
  const orgId = await benchOrg(host.url);
  const batch = 20;

  // Requests per matched agent: one event, counted at the emulator from publish to a started execution.
  const before = host.cosmos!.requestCount;
  bus.publish(bus.topic, tick(orgId));
  await bus.idle();
  const perMatch = host.cosmos!.requestCount - before;
  await durable.idle();

  const started = await measure(
    `bus → started execution (batches of ${batch})`,
    async () => {
      for (let i = 0; i < batch; i++) bus.publish(bus.topic, tick(orgId));
      await bus.idle();
    },
    { ms: 3_000, warmup: 2 },
  );
  await durable.idle();
  const events: Measured = { label: started.label, opsPerSec: started.opsPerSec * batch };

  const raw = rawContainer(host, "executions");
  const creates = await measure(
    "raw SDK items.create",
    () => raw.items.create({ id: randomUUID(), org_id: "bench-raw" }),
    { concurrency: 4 },
  );

  const requestsRow: BenchRow = {
    name: "Cosmos requests per matched agent (one event, fan-out until started)",
    subject: { label: "Cosmos requests", opsPerSec: perMatch },
    baseline: { label: "matched agents", opsPerSec: 1 },
    ratio: perMatch,
    note:
      "org point read, the org's agents query and its query plan, the dedup record and audit document in one batch, " +
      "the org's budget point read (with a budget set, 3 more: the month counter's read and replace, the reservation on the audit)",
  };
  return [
    compare(
      "events/s from the bus to a started execution vs raw emulator creates/s",
      events,
      creates,
      "goal ≥ 0.3×",
    ),
    requestsRow,
  ];
};

export default rows;
