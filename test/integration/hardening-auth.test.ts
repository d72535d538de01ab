// Sign-in under attack: the client address, the lock-start event, the per-address budget, the KDF queue, and
// canonical tokens (docs/auth.md, docs/events.md).
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { busOf } from "../support/devhost";
import { listExecutions } from "../support/executions";
import { createUser, iamClient } from "../support/iam";
import { accessToken, bearer, createOrg, login, rememberSecret } from "../support/identity";
import type { CreatedOrg } from "../support/identity";

const FAILURES_PER_IP = 3;
/** Every failed guess costs a real scrypt; on a loaded machine a few take seconds (a bound only to catch a hang). */
const SLOW = 180_000;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POST /api/auth/login from a chosen loopback address (127.0.0.0/8 all reaches the devhost on Linux). */
function loginFrom(
  host: DevHost,
  localAddress: string,
  body: { email: string; password: string },
  headers: Record<string, string> = {},
): Promise<Answer> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `http://127.0.0.1:${host.port}/api/auth/login`,
      { method: "POST", localAddress, headers: { "content-type": "application/json", ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end(text);
  });
}

type LoginEvent = { type: string; data: Record<string, unknown> };
const loginEvents = (host: DevHost, email: string): LoginEvent[] =>
  busOf(host)
    .published()
    .map((message) => message.body as LoginEvent)
    .filter((event) => event?.type?.startsWith("hub.auth.login_") && event.data.email === email);

describe("sign-in under attack", () => {
  let host: DevHost;
  let org: CreatedOrg;
  let agentsToken: string;
  let hubToken: string;

  beforeAll(async () => {
    const { bootDevHost } = await import("../support/devhost");
    host = await bootDevHost({ settings: { HUB_LOGIN_FAILURES_PER_IP: String(FAILURES_PER_IP) } });
    org = await createOrg(host);
    const session = await login(host, org.owner.email, org.owner.password);
    agentsToken = await accessToken(host, session, "agents");
    hubToken = await accessToken(host, session, "hub");
  });
  afterAll(() => host.stop());

  it("records the address the front end saw, never one the caller wrote in a header", async () => {
    const answer = await loginFrom(
      host,
      "127.0.0.3",
      { email: org.owner.email, password: org.owner.password },
      { "x-forwarded-for": "6.6.6.6", "client-ip": "6.6.6.6:1234" },
    );
    expect(answer.status).toBe(200);
    await busOf(host).idle();
    const success = loginEvents(host, org.owner.email).filter((e) => e.type === "hub.auth.login_success");
    expect(success.at(-1)?.data.ip).toBe("127.0.0.3");
  });

  it(
    "says in the event which failure started the lock, and tells the user once per lock",
    async () => {
      const password = rememberSecret(`pw-${randomUUID()}`);
      const user = await createUser(iamClient(host, hubToken), { password });
      const wrong = { email: user.email, password: `${password}-wrong` };
      const statuses: number[] = [];
      // Each guess from its own address, so the per-address budget stays out of this test.
      for (let attempt = 0; attempt < 12; attempt++)
        statuses.push((await loginFrom(host, `127.0.2.${attempt + 1}`, wrong)).status);
      expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);

      await busOf(host).idle();
      const failures = loginEvents(host, user.email).filter((e) => e.type === "hub.auth.login_failed");
      expect(failures.map((e) => [e.data.reason, e.data.lock_started])).toEqual([
        ...Array(4).fill(["bad_credentials", false]),
        ["bad_credentials", true],
        ...Array(7).fill(["locked", false]),
      ]);
      const notices = await listExecutions(host, agentsToken, "agent_id=sys-notify-account-locked&limit=100");
      expect(notices).toHaveLength(1);
      const outbox = (await (
        await fetch(`${host.url}/dev/outbox?to=${encodeURIComponent(user.email)}`)
      ).json()) as {
        items: { idempotency_key: string }[];
      };
      // The user's invitation is the other email they received.
      expect(outbox.items.filter((item) => !item.idempotency_key.startsWith("invitation:"))).toHaveLength(1);
    },
    SLOW,
  );

  it(
    "stops an address that used up its budget of failures before any password work",
    async () => {
      const from = "127.0.3.1";
      for (let attempt = 0; attempt < FAILURES_PER_IP; attempt++) {
        const answer = await loginFrom(host, from, {
          email: `nobody-${randomUUID()}@example.com`,
          password: "x",
        });
        expect(answer.status).toBe(401);
      }
      const refused = await loginFrom(host, from, { email: org.owner.email, password: org.owner.password });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      const elsewhere = await loginFrom(host, "127.0.3.2", {
        email: org.owner.email,
        password: org.owner.password,
      });
      expect(elsewhere.status).toBe(200);
    },
    SLOW,
  );

  it(
    "answers 503 with Retry-After when the password-hashing queue is full, and recovers",
    async () => {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          loginFrom(host, `127.0.4.${index + 1}`, {
            email: `flood-${randomUUID()}@example.com`,
            password: "x",
          }),
        ),
      );
      const unavailable = answers.filter((answer) => answer.status === 503);
      for (const answer of unavailable) expect(answer.headers["retry-after"]).toMatch(/^\d+$/);
      // Other 503s may come from the embedded store timing out under this flood; the queue's own must be there.
      const busy = unavailable.filter(
        (answer) => (JSON.parse(answer.body) as { code?: string }).code === "service.busy",
      );
      expect(busy.length).toBeGreaterThan(0);
      expect(answers.every((answer) => answer.status === 503 || answer.status === 401)).toBe(true);
      const after = await loginFrom(host, "127.0.4.200", {
        email: org.owner.email,
        password: org.owner.password,
      });
      expect(after.status).toBe(200);
    },
    SLOW,
  );

  it("answers 404 or 422, never 500, for ids no document can have", async () => {
    const call = (method: string, path: string, token: string, body?: unknown) =>
      fetch(`${host.url}${path}`, {
        method,
        headers: { ...bearer(token), ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    for (const id of ["a%2Fb", "a%5Cb", "a%23b", "a%3Fb", "%20", "%20%20", "a%0Ab"]) {
      expect([id, (await call("GET", `/api/executions/${id}`, agentsToken)).status]).toEqual([id, 404]);
      expect([id, (await call("POST", `/api/executions/${id}/retry`, agentsToken)).status]).toEqual([
        id,
        404,
      ]);
      const decision = await call("POST", `/api/executions/${id}/approvals/gate`, agentsToken, {
        decision: "approve",
      });
      expect([id, decision.status]).toEqual([id, 404]);
      expect([id, (await call("GET", `/api/agents/${id}`, agentsToken)).status]).toEqual([id, 404]);
      expect([id, (await call("GET", `/api/users/${id}`, hubToken)).status]).toEqual([id, 404]);
    }
    for (const jti of ["a/b", "a\\b", "a#b", "a?b", " ", "   "]) {
      const answer = await call("POST", "/api/auth/revoke", hubToken, { jti });
      expect([jti, answer.status]).toEqual([jti, 422]);
    }
  });

  it("refuses a token whose segments are not canonical base64url", async () => {
    const [header, payload, signature] = hubToken.split(".") as [string, string, string];
    const users = (token: string) => fetch(`${host.url}/api/users`, { headers: bearer(token) });
    expect((await users(hubToken)).status).toBe(200);
    // A 256-byte RS256 signature leaves 4 unused bits in its last character: flipping them decodes the same bytes.
    const last = signature.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const sameBits = alphabet[(alphabet.indexOf(last) & 0b110000) | 0b000001]!;
    for (const variant of [
      `${header}.${payload}.${signature}=`,
      `${header}.${payload}.${signature}==`,
      `${header}=.${payload}.${signature}`,
      `${header}.${payload}.${signature.slice(0, -1)}${sameBits}`,
    ]) {
      const answer = await users(variant);
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    }
  });
});
