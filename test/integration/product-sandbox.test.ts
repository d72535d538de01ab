// The sandboxed products of `npm start` (docs/devhost.md): the demo org's agents succeed against them, and each stand-in
// checks the key at Hub's introspection, validates params, answers plausible records, honours Idempotency-Key and records every call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type * as Catalogue from "../../shared/products/catalogue";
import { exampleAgent } from "../support/agents";
import { bootDevHost, builtModule, problemOf } from "../support/devhost";
import { createAgent, listExecutions, waitForExecutions } from "../support/executions";
import { claimsOf, ownerToken } from "../support/iam";
import { accessToken, bearer, createOrg, issueIntegrationKey, login } from "../support/identity";

const OWNER = { email: "owner@demo.example.com", password: "sunrise-over-the-hub" };

interface SandboxCall {
  product: string;
  method: string;
  path: string;
  org_id: string | null;
  key: Record<string, unknown>;
  execution_id: string | null;
  idempotency_key: string | null;
  replayed: boolean;
  status: number;
  request: unknown;
  response: Record<string, unknown>;
}

describe("product sandbox", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  let demoOrg: string;
  let agents: string;
  let hub: string;
  let otherOrg: string;
  const { PRODUCT_ACTIONS } = builtModule<typeof Catalogue>("shared/products/catalogue.js");
  // Keys an admin issued with the products' scopes: a product validates them as it validates service keys.
  const PRODUCT_SCOPES = ["psa:read", "psa:write", "defend:write", "portal:write", "jarvis:read"];
  const orgKeys = new Map<string, string>();
  const keyOf = (orgId: string) => orgKeys.get(orgId)!;

  beforeAll(async () => {
    host = await bootDevHost({
      sandboxProducts: true,
      settings: {
        PRODUCT_PSA_BASE_URL: "",
        PRODUCT_DEFEND_BASE_URL: "",
        PRODUCT_PORTAL_BASE_URL: "",
        PRODUCT_JARVIS_BASE_URL: "",
        HUB_SEED_OWNER_EMAIL: OWNER.email,
        HUB_SEED_OWNER_PASSWORD: OWNER.password,
      },
    });
    const session = await login(host, OWNER.email, OWNER.password);
    agents = await accessToken(host, session, "agents");
    hub = await accessToken(host, session, "hub");
    demoOrg = String(claimsOf(agents).org_id);
    orgKeys.set(demoOrg, (await issueIntegrationKey(host, hub, PRODUCT_SCOPES)).key);
    const other = await createOrg(host);
    otherOrg = other.orgId;
    orgKeys.set(
      otherOrg,
      (await issueIntegrationKey(host, await ownerToken(host, other), PRODUCT_SCOPES)).key,
    );
  });
  afterAll(() => host?.stop());

  const calls = async (query = ""): Promise<SandboxCall[]> => {
    const response = await host.fetch(`/dev/products/calls${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: SandboxCall[] }).items;
  };

  const call = (
    product: string,
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ) =>
    host.fetch(`/dev/products/${product}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("runs the demo org's onboarding system agent and the README agent to success on a new user", async () => {
    const agent = await createAgent(host, agents, exampleAgent);
    const created = await host.fetch("/api/users", {
      method: "POST",
      headers: { ...bearer(hub), "content-type": "application/json" },
      body: JSON.stringify({
        email: "grace@example.com",
        firstName: "Grace",
        lastName: "Hopper",
        orgRole: "admin",
        product_access: { psa: "technician" },
      }),
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string };

    const [readme] = await waitForExecutions(host, agents, agent.id, 1);
    const [onboarding] = await waitForExecutions(host, agents, "sys-onboard-new-user", 1);
    expect(readme).toMatchObject({ status: "succeeded" });
    expect(onboarding).toMatchObject({ status: "succeeded" });

    const ticketCalls = (await calls("?product=psa")).filter((c) => c.path === "/tickets");
    const readmeCall = ticketCalls.find((c) => c.execution_id === readme!.execution_id);
    expect(readmeCall).toMatchObject({
      method: "POST",
      org_id: demoOrg,
      // What PSA learnt from Hub's introspection: the demo org's Hub-issued psa service key.
      key: { active: true, kind: "service", product: "psa", org_id: demoOrg, key_id: expect.any(String) },
      status: 201,
      request: { title: "Set up Grace Hopper", contact_email: "grace@example.com", priority: "normal" },
      response: { id: expect.stringMatching(/^T-\d+$/), status: "open", title: "Set up Grace Hopper" },
    });
    expect(ticketCalls.find((c) => c.execution_id === onboarding!.execution_id)).toMatchObject({
      org_id: demoOrg,
      status: 201,
    });
    // The ticket id the sandbox answered reached the agent's context and its notification.
    const outbox = (await (await host.fetch("/dev/outbox?to=servicedesk@example.com")).json()) as {
      items: { text: string }[];
    };
    expect(outbox.items.map((m) => m.text).join("\n")).toContain(`Ticket ${String(readmeCall!.response.id)}`);

    // psa-sync upserted the user's PSA agent record in the sandbox too.
    await expect
      .poll(async () => (await calls("?product=psa")).find((c) => c.path === `/agents/${user.id}`))
      .toMatchObject({
        method: "PUT",
        org_id: demoOrg,
        status: 201,
        response: { portal_user_id: user.id, role: "admin", active: true },
      });
  });

  it("runs the other PSA system agents to success: privilege escalation, then offboarding with its checklist note", async () => {
    const json = { ...bearer(hub), "content-type": "application/json" };
    const created = await host.fetch("/api/users", {
      method: "POST",
      headers: json,
      body: JSON.stringify({
        email: "alan@example.com",
        firstName: "Alan",
        lastName: "Turing",
        orgRole: "member",
      }),
    });
    const user = (await created.json()) as { id: string };
    const promoted = await host.fetch(`/api/users/${user.id}`, {
      method: "PATCH",
      headers: json,
      body: JSON.stringify({ orgRole: "admin" }),
    });
    expect(promoted.status).toBe(200);
    const [review] = await waitForExecutions(host, agents, "sys-review-privilege-escalation", 1);
    expect(review).toMatchObject({ status: "succeeded" });

    expect(
      (await host.fetch(`/api/users/${user.id}/deactivate`, { method: "POST", headers: bearer(hub) })).status,
    ).toBe(200);
    const [offboard] = await waitForExecutions(host, agents, "sys-offboard-deactivated-user", 1);
    expect(offboard).toMatchObject({ status: "succeeded" });
    const mine = (await calls("?product=psa")).filter((c) => c.execution_id === offboard!.execution_id);
    expect(mine.map((c) => [c.method, c.path.replace(/T-\d+/, "T-n"), c.status])).toEqual([
      ["POST", "/tickets", 201],
      ["POST", "/tickets/T-n/notes", 201],
    ]);
    expect(mine[1]!.path).toBe(`/tickets/${String(mine[0]!.response.id)}/notes`);
  });

  it("answers every catalogue action with a plausible record", async () => {
    const key = { "x-integration-key": keyOf(demoOrg) };
    const ticket = (await (
      await call("psa", "POST", "/tickets", { title: "Printer on fire", tags: ["hw"] }, key)
    ).json()) as { id: string };
    const examples: Record<string, { path: string; body: unknown; expect: Record<string, unknown> }> = {
      "psa.create_ticket": {
        path: "/tickets",
        body: { title: "New laptop", priority: "high", contact_email: "ada@example.com" },
        expect: { id: expect.stringMatching(/^T-/), priority: "high", status: "open", tags: [] },
      },
      "psa.add_note": {
        path: `/tickets/${ticket.id}/notes`,
        body: { body: "Called the user.", internal: true },
        expect: { id: expect.stringMatching(/^N-/), ticket_id: ticket.id, internal: true },
      },
      "psa.assign_ticket": {
        path: `/tickets/${ticket.id}/assignee`,
        body: { assignee_email: "tech@example.com" },
        expect: { id: ticket.id, assignee_email: "tech@example.com", note_count: 1 },
      },
      "defend.create_alert_note": {
        path: "/alerts/AL-7/notes",
        body: { body: "False positive." },
        expect: { id: expect.stringMatching(/^AN-/), alert_id: "AL-7" },
      },
      "defend.isolate_device": {
        path: "/devices/D-9/isolate",
        body: { reason: "Ransomware beacon." },
        expect: { device_id: "D-9", status: "isolation_pending", reason: "Ransomware beacon." },
      },
      "portal.notify_client": {
        path: "/notifications",
        body: { client_id: "C-1", subject: "Maintenance", message: "Tonight 22:00." },
        expect: { id: expect.stringMatching(/^PN-/), client_id: "C-1", status: "queued" },
      },
      "jarvis.summarize": {
        path: "/summaries",
        body: { text: "one two three four five six seven eight nine ten eleven twelve", max_words: 10 },
        expect: { summary: "one two three four five six seven eight nine ten …", word_count: 10 },
      },
    };
    expect(Object.keys(examples).sort()).toEqual(
      PRODUCT_ACTIONS.map((a) => `${a.product}.${a.action}`).sort(),
    );
    for (const action of PRODUCT_ACTIONS) {
      const example = examples[`${action.product}.${action.action}`]!;
      const response = await call(action.product, action.method, example.path, example.body, key);
      expect(response.status, `${action.product}.${action.action}`).toBeLessThan(300);
      expect(await response.json()).toMatchObject(example.expect);
    }
  });

  it("checks the key the way the product would, at Hub: missing, forged, revoked or another org's", async () => {
    const ticket = { title: "Who are you?" };
    expect((await call("psa", "POST", "/tickets", ticket, {})).status).toBe(401);
    const forged = keyOf(demoOrg).slice(0, -2) + "xx";
    expect((await call("psa", "POST", "/tickets", ticket, { "x-integration-key": forged })).status).toBe(401);
    const revoked = await issueIntegrationKey(host, hub, ["psa:write"], "revoked at once");
    // Accepted first, so the sandbox holds Hub's answer when the key is revoked: it must still see it within 5 s.
    expect((await call("psa", "POST", "/tickets", ticket, { "x-integration-key": revoked.key })).status).toBe(
      201,
    );
    const revocation = await host.fetch(`/api/integration-keys/${revoked.id}`, {
      method: "DELETE",
      headers: bearer(hub),
    });
    expect(revocation.status).toBe(204);
    await expect
      .poll(
        async () =>
          (await call("psa", "POST", "/tickets", ticket, { "x-integration-key": revoked.key })).status,
        { timeout: 5_000, interval: 200 },
      )
      .toBe(401);

    // A ticket belongs to the org whose key opened it: another org cannot see it.
    const mine = (await (
      await call("psa", "POST", "/tickets", ticket, { "x-integration-key": keyOf(demoOrg) })
    ).json()) as { id: string };
    const theirs = { "x-integration-key": keyOf(otherOrg) };
    const note = await call("psa", "POST", `/tickets/${mine.id}/notes`, { body: "Hi" }, theirs);
    expect(note.status).toBe(404);
    const unauthenticated = (await calls()).filter((c) => c.status === 401);
    expect(unauthenticated.length).toBe(3);
    expect(unauthenticated.every((c) => c.org_id === null)).toBe(true);
  });

  it("validates requests: params, JSON, media type, route and method", async () => {
    const key = { "x-integration-key": keyOf(demoOrg) };
    const invalid = await call("psa", "POST", "/tickets", { priority: "whenever", extra: 1 }, key);
    expect(invalid.status).toBe(422);
    const paths = ((await problemOf(invalid)).errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(["", "priority", "title"].sort());
    const words = await call("jarvis", "POST", "/summaries", { text: "x", max_words: 5 }, key);
    expect(words.status).toBe(422);

    const malformed = await host.fetch("/dev/products/psa/tickets", {
      method: "POST",
      headers: { ...key, "content-type": "application/json" },
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    const text = await host.fetch("/dev/products/psa/tickets", {
      method: "POST",
      headers: { ...key, "content-type": "text/plain" },
      body: "title=hi",
    });
    expect(text.status).toBe(415);
    expect((await call("psa", "POST", "/nowhere", {}, key)).status).toBe(404);
    expect((await call("psa", "DELETE", "/tickets", undefined, key)).status).toBe(405);
    const mismatch = await call("psa", "POST", "/tickets/T-1/notes", { ticket_id: "T-2", body: "x" }, key);
    expect(mismatch.status).toBe(422);
  });

  it("honours Idempotency-Key: the same key gets the same answer and makes nothing new", async () => {
    const key = { "x-integration-key": keyOf(demoOrg) };
    const once = { ...key, "idempotency-key": "exec-1:open-ticket" };
    const first = await call("psa", "POST", "/tickets", { title: "Only once" }, once);
    const again = await call("psa", "POST", "/tickets", { title: "Only once" }, once);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const ticket = (await first.json()) as { id: string };
    expect(await again.json()).toEqual(ticket);

    const noteOnce = { ...key, "idempotency-key": "exec-1:note" };
    const noteA = await call("psa", "POST", `/tickets/${ticket.id}/notes`, { body: "Once" }, noteOnce);
    const noteB = await call("psa", "POST", `/tickets/${ticket.id}/notes`, { body: "Once" }, noteOnce);
    expect(await noteB.json()).toEqual(await noteA.json());
    const assigned = await call("psa", "PUT", `/tickets/${ticket.id}/assignee`, { queue: "L1" }, key);
    expect(await assigned.json()).toMatchObject({ id: ticket.id, note_count: 1, queue: "L1" });

    const reused = await call("psa", "POST", "/tickets", { title: "Something else" }, once);
    expect(reused.status).toBe(422);
    // Keys are the caller's: another org using the same key string gets its own ticket.
    const other = { "x-integration-key": keyOf(otherOrg), "idempotency-key": "exec-1:open-ticket" };
    const theirs = (await (await call("psa", "POST", "/tickets", { title: "Only once" }, other)).json()) as {
      id: string;
    };
    expect(theirs.id).not.toBe(ticket.id);

    const recorded = (await calls()).filter((c) => c.idempotency_key === "exec-1:open-ticket");
    expect(recorded.map((c) => [c.org_id, c.replayed, c.status])).toEqual([
      [demoOrg, false, 201],
      [demoOrg, true, 201],
      [demoOrg, false, 422],
      [otherOrg, false, 201],
    ]);
  });

  it("lists calls by product and never shows the key", async () => {
    const jarvis = await calls("?product=jarvis");
    expect(jarvis.length).toBeGreaterThan(0);
    expect(jarvis.every((c) => c.product === "jarvis")).toBe(true);
    const everything = await (await host.fetch("/dev/products/calls")).text();
    expect(everything).not.toContain(keyOf(demoOrg));
    expect(everything).not.toContain("ik_test_");
    expect((await host.fetch("/dev/products/calls", { method: "POST" })).status).toBe(405);
    expect((await listExecutions(host, agents, "status=failed")).length).toBe(0);
  });
});
