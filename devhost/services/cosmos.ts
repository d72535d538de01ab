// Embedded Cosmos DB (@vercel/cosmosdb-server) for machines without one; it can simulate an outage.
import type { AddressInfo, Socket } from "node:net";
import { createHttpServer } from "@vercel/cosmosdb-server";

/** The emulator accepts any key; this one is only ever used against it. */
const EMULATOR_KEY = "ZGV2aG9zdC1lbWJlZGRlZC1jb3Ntb3M=";

export interface EmbeddedCosmos {
  endpoint: string;
  key: string;
  /** Requests the emulator received, for benches and no-I/O assertions. */
  readonly requestCount: number;
  /** Refuses every connection until `recover()`, keeping the data. */
  simulateOutage(): void;
  recover(): void;
  close(): Promise<void>;
}

export async function startEmbeddedCosmos(): Promise<EmbeddedCosmos> {
  const server = createHttpServer();
  let requestCount = 0;
  let down = false;
  const sockets = new Set<Socket>();
  server.prependListener("request", () => {
    requestCount++;
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
    simulateOutage() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    recover() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
