// Durable row: orchestrations per second for a 3-activity sequence vs the same three handlers called directly.
import type { DurableHandle } from "../../devhost/durable/extension";
import { confirmOrder, priceOrder, reserveStock, sampleOrder } from "../durable-steps";
import { compare, measure } from "../harness";
import type { BenchRowsFn } from "./index";

const CONCURRENCY = 8;

const rows: BenchRowsFn = async (host) => {
  const durable = host.services.durable as DurableHandle;
  const startUrl = `${host.url}/runtime/webhooks/durabletask/orchestrators/benchOrderSequence`;
  const expected = confirmOrder(reserveStock(priceOrder(sampleOrder)));

  // Started through the durable client's HTTP API, as a starter function would; done when the instance completes.
  const orchestrated = await measure(
    "devhost Durable: start + 3 activities + complete",
    async () => {
      const response = await fetch(startUrl, { method: "POST", body: JSON.stringify(sampleOrder) });
      const { id } = (await response.json()) as { id: string };
      const done = await durable.waitFor(id);
      if (done.output !== expected) throw new Error(`Unexpected result: ${JSON.stringify(done)}`);
    },
    { concurrency: CONCURRENCY, warmup: 20 },
  );
  const direct = await measure(
    "the 3 handlers awaited in a row",
    async () => {
      const priced = await priceOrder(sampleOrder);
      const reserved = await reserveStock(priced);
      if ((await confirmOrder(reserved)) !== expected) throw new Error("Unexpected result");
    },
    { concurrency: CONCURRENCY },
  );
  const row = compare(
    "orchestrations/s, 3-activity sequence: devhost Durable vs handlers called directly",
    orchestrated,
    direct,
  );
  // The ratio is tiny (the handlers are microseconds): say it the other way round too.
  row.note = `(ratio ${row.ratio.toExponential(2)}: one orchestration costs as much as ${Math.round(1 / row.ratio)} direct runs)`;
  return [row];
};

export default rows;
