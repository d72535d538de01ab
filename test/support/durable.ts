// Boots the devhost with the Durable fixture app, and drives it through the fixture's real durable client.
import { join } from "node:path";
import type { DurableHandle } from "../../devhost/durable/extension";
import type { InstanceSnapshot } from "../../devhost/durable/status";
import { bootDevHost } from "./devhost";

const fixtures = join(__dirname, "..", "..", "dist", "test", "fixtures");
export const DURABLE_FIXTURES = [join(fixtures, "durable-app.js"), join(fixtures, "durable-replay-app.js")];

export type DurableTestHost = Awaited<ReturnType<typeof bootDurableHost>>;

export async function bootDurableHost() {
  const host = await bootDevHost({ extraFunctionFiles: DURABLE_FIXTURES });
  const durable = host.services.durable as DurableHandle;
  /** One durable client operation through the fixture's HTTP starter (test/fixtures/durable-app.ts). */
  const client = (op: string, call: Record<string, unknown>) =>
    host.fetch(`/api/fixtures/durable/${op}`, { method: "POST", body: JSON.stringify(call) });
  const start = async (
    name: string,
    call: { instanceId?: string; input?: unknown } = {},
  ): Promise<string> => {
    const response = await client("start", { name, ...call });
    if (response.status !== 202)
      throw new Error(`start ${name}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { id: string }).id;
  };
  const raise = async (instanceId: string, event: string, data?: unknown) => {
    const response = await client("raise", { instanceId, event, data });
    if (response.status !== 202)
      throw new Error(`raise ${event}: ${response.status} ${await response.text()}`);
  };
  return Object.assign(host, { durable, client, start, raise });
}

export const eventsOf = (snapshot: InstanceSnapshot, typeName: string) =>
  snapshot.history.filter((event) => event.EventTypeName === typeName);

/** A fresh instance id per test, so tests sharing a devhost never meet. */
export const uniqueId = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;
