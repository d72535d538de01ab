// Embedded Cosmos DB (@vercel/cosmosdb-server) for machines without one; it can simulate an outage.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createHttpServer } from "@vercel/cosmosdb-server";

/** The emulator accepts any key; this one is only ever used against it. */
const EMULATOR_KEY = "ZGV2aG9zdC1lbWJlZGRlZC1jb3Ntb3M=";

export interface EmbeddedCosmos {
  endpoint: string;
  key: string;
  /** Requests the emulator received, for benches and no-I/O assertions. */
  readonly requestCount: number;
  /**
   * Refuses every connection until `recover()`, keeping the data. With `afterRequests`, the outage begins once
   * that many more requests were served: the next one is refused unanswered and unapplied, as is every later one.
   */
  simulateOutage(options?: { afterRequests?: number }): void;
  recover(): void;
  close(): Promise<void>;
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

export async function startEmbeddedCosmos(): Promise<EmbeddedCosmos> {
  const server = createHttpServer();
  let requestCount = 0;
  let down = false;
  /** Requests still served before a delayed outage begins. */
  let servedBeforeOutage: number | undefined;
  const sockets = new Set<Socket>();
  const goDown = () => {
    down = true;
    servedBeforeOutage = undefined;
    for (const socket of sockets) socket.destroy();
  };
  // The emulator's own handlers run behind this gate, so a refused request is never applied.
  const emulator = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    requestCount++;
    if (servedBeforeOutage !== undefined && servedBeforeOutage-- <= 0) goDown();
    if (down) return void request.socket.destroy();
    for (const listener of emulator) listener.call(server, request, response);
  });
  server.on("connection", (socket: Socket) => {
    if (down) return socket.destroy();
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    key: EMULATOR_KEY,
    get requestCount() {
      return requestCount;
    },
    simulateOutage({ afterRequests } = {}) {
      if (afterRequests === undefined || afterRequests <= 0) goDown();
      else servedBeforeOutage = afterRequests;
    },
    recover() {
      down = false;
      servedBeforeOutage = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
