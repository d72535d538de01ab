// The devhost listens on loopback only: /dev/* and the Durable HTTP API answer without a credential.
import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost } from "../support/devhost";

/** Whether a TCP connection to address:port is accepted (a refused or unroutable one is not). */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 3_000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const externalIpv4 = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === "IPv4" && !entry.internal)?.address;

describe("the devhost's listening address", () => {
  let host: DevHost;
  beforeAll(async () => {
    host = await bootDevHost({ settings: { DEVHOST_BIND_ADDRESS: undefined } });
  });
  afterAll(() => host.stop());

  it("is 127.0.0.1 when no setting says otherwise, and the app answers there", async () => {
    expect(host.address).toBe("127.0.0.1");
    expect((await fetch(`http://127.0.0.1:${host.port}/api/health`)).status).toBe(200);
  });

  it.runIf(externalIpv4)("refuses connections on the machine's other addresses", async () => {
    expect(await accepts(externalIpv4!, host.port)).toBe(false);
    expect(await accepts("127.0.0.1", host.port)).toBe(true);
  });
});
