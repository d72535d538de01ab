// Foundation rows: the devhost + pipeline vs a bare node:http server, and the repository vs a raw SDK point read.
import type { AddressInfo } from "node:net";
import { createServer } from "node:http";
import { Agent, get } from "node:http";
import { rawContainer } from "../../test/support/raw-container";
import { TenantRepository } from "../../shared/store/repository";
import type { BenchRowsFn } from "./index";
import { compare, measure } from "../harness";

const keepAlive = new Agent({ keepAlive: true, maxSockets: 8 });

function getJson(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: keepAlive }, (response) => {
      response.resume();
      response.on("end", () =>
        response.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`)),
      );
    });
    request.on("error", reject);
  });
}

const rows: BenchRowsFn = async (host) => {
  const bare = createServer((_req, res) => {
    const body = JSON.stringify({ pong: true });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
  const barePort = (bare.address() as AddressInfo).port;
  const viaDevhost = await measure("devhost GET /api/bench/ping", () =>
    getJson(`${host.url}/api/bench/ping`),
  );
  const viaBare = await measure("bare node:http", () => getJson(`http://127.0.0.1:${barePort}/`));
  bare.close();

  const repo = new TenantRepository<{ id: string; org_id: string }>("agents");
  await repo.upsert({ id: "bench-doc", org_id: "bench-org" });
  const raw = rawContainer(host, "agents");
  const viaRepo = await measure("TenantRepository.read", () => repo.read("bench-org", "bench-doc"));
  const viaSdk = await measure("raw SDK item().read()", () => raw.item("bench-doc", "bench-org").read());

  return [
    compare("trivial JSON route: devhost vs bare node:http", viaDevhost, viaBare),
    compare("point read: shared/store vs raw @azure/cosmos", viaRepo, viaSdk),
  ];
};

export default rows;
