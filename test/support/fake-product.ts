// A fake product API on a free loopback port: records every call, answers 200 unless told otherwise, and honours
// Idempotency-Key as docs/executions.md asks products to (a key that already succeeded gets its first answer again).
import type { IncomingMessage, Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
  at: number;
  /** True when the call repeated an Idempotency-Key that had succeeded: answered from memory, nothing done. */
  replayed: boolean;
}

export interface ScriptedAnswer {
  /** Only calls whose path starts with this take the answer (others go by), so unrelated callers cannot use it up. */
  path?: string;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeProduct {
  url: string;
  calls: RecordedCall[];
  /** Answers the next calls in order (then 200 again); an answer with `path` waits for a call to that path. */
  answerNext(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

export async function startFakeProduct(): Promise<FakeProduct> {
  const calls: RecordedCall[] = [];
  const script: ScriptedAnswer[] = [];
  const succeededByKey = new Map<string, ScriptedAnswer>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text || null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        /* keep the raw text */
      }
      const key = req.headers["idempotency-key"];
      const remembered = typeof key === "string" ? succeededByKey.get(key) : undefined;
      calls.push({
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: req.headers,
        body,
        at: Date.now(),
        replayed: remembered !== undefined,
      });
      const path = req.url ?? "/";
      const scripted = remembered
        ? -1
        : script.findIndex((answer) => !answer.path || path.startsWith(answer.path));
      const answer =
        remembered ??
        (scripted === -1
          ? { status: 200, body: { ok: true, id: `obj-${calls.length}` } }
          : script.splice(scripted, 1)[0]!);
      if (typeof key === "string" && !remembered && answer.status >= 200 && answer.status < 300)
        succeededByKey.set(key, answer);
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    answerNext: (...answers) => script.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
