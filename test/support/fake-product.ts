// A fake product API on a free loopback port: records every call, answers 200 unless told otherwise, and honours
// Idempotency-Key as docs/executions.md asks products to (a key that already succeeded gets its first answer again).
// Told where Hub is, it validates each call's key at Hub's introspection as a real product backend does (docs/auth.md).
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
  /** What Hub's introspection answered about the call's key, when the product validates keys. */
  introspection?: Record<string, unknown>;
}

/** How the product authenticates to Hub's introspection: its client id and secret. */
export interface KeyValidation {
  hubUrl: string;
  product: string;
  clientSecret: string;
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
  /** From now on, a call whose key Hub does not report active for this product is answered 401. */
  validateKeys(validation: KeyValidation): void;
  close(): Promise<void>;
}

export async function startFakeProduct(): Promise<FakeProduct> {
  const calls: RecordedCall[] = [];
  const script: ScriptedAnswer[] = [];
  const succeededByKey = new Map<string, ScriptedAnswer>();
  let validation: KeyValidation | undefined;
  // No cache: every call asks Hub, so what a test sees is exactly what Hub answered at that moment.
  const introspect = async (key: unknown): Promise<Record<string, unknown> | undefined> => {
    if (!validation) return undefined;
    if (typeof key !== "string") return { active: false };
    const credentials = `${validation.product}:${encodeURIComponent(validation.clientSecret)}`;
    const response = await fetch(`${validation.hubUrl}/api/oauth/introspect`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(credentials).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token: key }),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const introspection = await introspect(req.headers["x-integration-key"]).catch(() => ({
        active: false,
        error: "introspection failed",
      }));
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text || null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        /* keep the raw text */
      }
      const refused = introspection !== undefined && introspection.active !== true;
      const key = req.headers["idempotency-key"];
      const remembered = typeof key === "string" && !refused ? succeededByKey.get(key) : undefined;
      calls.push({
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: req.headers,
        body,
        at: Date.now(),
        replayed: remembered !== undefined,
        ...(introspection ? { introspection } : {}),
      });
      if (refused) {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "the key is not active for this product" }));
        return;
      }
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
    validateKeys: (given) => void (validation = given),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
