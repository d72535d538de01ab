// Answers a call to a sandboxed product as the real API would: key (at Hub), route, JSON, Idempotency-Key, params; records every call.
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { now } from "../../shared/clock";
import { toFieldIssues } from "../../shared/http/validation";
import type { KeyIntrospection, SandboxKeyCheck } from "./sandbox-key";
import { SandboxRecords } from "./sandbox-records";
import type { SandboxAnswer } from "./sandbox-routes";
import { SANDBOX_ROUTES } from "./sandbox-routes";

export interface SandboxRequest {
  product: string;
  method: string;
  /** The path on the product's API, e.g. /tickets/T-1001/notes. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One call as `GET /dev/products/calls` lists it (never the key itself). */
export interface SandboxCall {
  id: number;
  at: string;
  product: string;
  method: string;
  path: string;
  org_id: string | null;
  /** What Hub's introspection said about the call's key (never the key itself). */
  key: KeyIntrospection;
  execution_id: string | null;
  idempotency_key: string | null;
  /** True when the answer is the stored one for an Idempotency-Key already seen. */
  replayed: boolean;
  status: number;
  request: unknown;
  response: unknown;
}

// A long `npm start` keeps the most recent calls only.
const MAX_CALLS = 5_000;

const problem = (status: number, title: string, detail: string, extra: object = {}): SandboxAnswer => ({
  status,
  body: { type: "about:blank", title, status, detail, ...extra },
});

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export class ProductSandbox {
  constructor(private readonly keys: SandboxKeyCheck) {}

  private readonly records = new SandboxRecords();
  private readonly calls: SandboxCall[] = [];
  private nextCallId = 1;
  /** `org product key` → what the first request with that Idempotency-Key got, and what it asked. */
  private readonly idempotent = new Map<string, { fingerprint: string; answer: SandboxAnswer }>();

  list(filter: { product?: string } = {}): SandboxCall[] {
    return this.calls.filter((call) => !filter.product || call.product === filter.product);
  }

  async handle(request: SandboxRequest): Promise<SandboxAnswer & { replayed: boolean }> {
    const key = await this.keys.introspect(request.product, header(request.headers, "x-integration-key"));
    // A product acts for the org Hub names, and only on a key issued for it.
    const orgId = key.active && key.org_id ? key.org_id : null;
    const idempotencyKey = header(request.headers, "idempotency-key") ?? null;
    let parsedBody: unknown = null;
    let replayed = false;
    const answer = ((): SandboxAnswer => {
      if (!orgId)
        return problem(401, "Unauthorized", "X-Integration-Key is missing or not active for this product.");
      const matching = SANDBOX_ROUTES.filter(
        (route) => route.product === request.product && route.template.match(request.path),
      );
      if (matching.length === 0)
        return problem(404, "Not found", `${request.product} has no ${request.path}.`);
      const route = matching.find((candidate) => candidate.method === request.method);
      if (!route) return problem(405, "Method not allowed", `${request.method} is not allowed here.`);
      const text = request.body.toString("utf8");
      if (text) {
        if (!header(request.headers, "content-type")?.startsWith("application/json"))
          return problem(415, "Unsupported media type", "Send application/json.");
        try {
          parsedBody = JSON.parse(text) as unknown;
        } catch {
          return problem(400, "Malformed JSON", "The body is not valid JSON.");
        }
      }
      const slot = idempotencyKey && `${orgId} ${request.product} ${idempotencyKey}`;
      const fingerprint = createHash("sha256")
        .update(`${request.method} ${request.path}\n${text}`)
        .digest("hex");
      const earlier = slot ? this.idempotent.get(slot) : undefined;
      if (earlier) {
        if (earlier.fingerprint !== fingerprint)
          return problem(
            422,
            "Idempotency-Key reused",
            "This Idempotency-Key was used for a different request.",
          );
        replayed = true;
        return earlier.answer;
      }
      const pathParams = route.template.match(request.path)!;
      const body = parsedBody ?? {};
      if (typeof body !== "object" || Array.isArray(body))
        return problem(422, "Invalid request", "The body must be a JSON object.");
      for (const [name, value] of Object.entries(pathParams))
        if (name in body && (body as Record<string, unknown>)[name] !== value)
          return problem(422, "Invalid request", `${name} in the body does not match the path.`);
      const params = route.schema.safeParse({ ...body, ...pathParams });
      if (!params.success)
        return problem(422, "Invalid request", "The params are invalid.", {
          errors: toFieldIssues(params.error, ""),
        });
      const fresh = route.handle(params.data, { orgId, records: this.records, now: now().toISOString() });
      if (slot && fresh.status < 300) this.idempotent.set(slot, { fingerprint, answer: fresh });
      return fresh;
    })();
    this.record(request, { orgId, key, idempotencyKey, parsedBody, replayed, answer });
    return { ...answer, replayed };
  }

  private record(
    request: SandboxRequest,
    outcome: {
      orgId: string | null;
      key: KeyIntrospection;
      idempotencyKey: string | null;
      parsedBody: unknown;
      replayed: boolean;
      answer: SandboxAnswer;
    },
  ): void {
    this.calls.push({
      id: this.nextCallId++,
      at: now().toISOString(),
      product: request.product,
      method: request.method,
      path: request.path,
      org_id: outcome.orgId,
      key: outcome.key,
      execution_id: header(request.headers, "x-agent-execution-id") ?? null,
      idempotency_key: outcome.idempotencyKey,
      replayed: outcome.replayed,
      status: outcome.answer.status,
      request: outcome.parsedBody,
      response: outcome.answer.body,
    });
    if (this.calls.length > MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS);
  }
}
