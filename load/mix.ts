// The operations of a load run and their share of the requests: what a busy org does to Hub and Agents at once.
import type { AgentBody, Fixture } from "./fixture";
import { sessionCookie } from "./fixture";

/** One request as autocannon sends it. */
export interface Planned {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** What the answer feeds into later requests (a new cookie, a token, an ETag, gates to decide). */
  answered?(status: number, body: string, headers: Record<string, string | string[] | undefined>): void;
}

export interface Operation {
  name: string;
  /** Share of all requests, in percent. */
  weight: number;
  /** The statuses that count as success. */
  ok: number[];
  /** The request to send now, or undefined when this operation has nothing to do (`otherwise` goes instead). */
  plan(): Planned | undefined;
  otherwise?: Operation;
}

const json = { "content-type": "application/json" };

/**
 * The mix. Sign-ins are about 1 %; every sign-in and token exchange replaces the session or token the rest use (as
 * a product's backend would); events go to the bus through POST /api/events, a fifth of them to an agent whose
 * approval gate the owner decides through the API after finding it in the inbox.
 */
export function operations(fixture: Fixture): Operation[] {
  const state = {
    cookie: fixture.cookie,
    token: fixture.agentsToken,
    /** Agents free to be rewritten: one write at a time per agent, so its ETag is always the current one. */
    idle: [...fixture.written],
    /** Gates seen in the inbox and not yet taken by a decision. */
    gates: [] as { execution_id: string; step_id: string }[],
    claimed: new Set<string>(),
    events: 0,
    writes: 0,
  };
  const bearer = () => ({ authorization: `Bearer ${state.token}` });
  const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

  const inbox: Operation = {
    name: "approvals: inbox (GET /api/approvals)",
    weight: 5,
    ok: [200],
    plan: () => ({
      method: "GET",
      path: "/api/approvals?status=pending&limit=50",
      headers: bearer(),
      answered: (status, body) => {
        if (status !== 200) return;
        for (const item of (JSON.parse(body) as { items: { execution_id: string; step_id: string }[] })
          .items) {
          const id = `${item.execution_id}/${item.step_id}`;
          if (state.claimed.has(id)) continue;
          state.claimed.add(id);
          state.gates.push({ execution_id: item.execution_id, step_id: item.step_id });
        }
      },
    }),
  };

  const read: Operation = {
    name: "agent read (GET /api/agents/{id})",
    weight: 35,
    ok: [200],
    plan: () => ({ method: "GET", path: `/api/agents/${pick(fixture.readIds)}`, headers: bearer() }),
  };

  return [
    {
      name: "sign-in (POST /api/auth/login)",
      weight: 1,
      ok: [200],
      plan: () => ({
        method: "POST",
        path: "/api/auth/login",
        headers: json,
        body: JSON.stringify({ email: fixture.email, password: fixture.password }),
        answered: (status, _body, headers) => {
          if (status === 200) state.cookie = sessionCookie(headers);
        },
      }),
    },
    {
      name: "token exchange (POST /api/auth/token)",
      weight: 14,
      ok: [200],
      plan: () => ({
        method: "POST",
        path: "/api/auth/token",
        headers: { ...json, cookie: state.cookie },
        body: JSON.stringify({ audience: "agents" }),
        answered: (status, body) => {
          if (status === 200) state.token = (JSON.parse(body) as { access_token: string }).access_token;
        },
      }),
    },
    read,
    {
      name: "agent list (GET /api/agents)",
      weight: 10,
      ok: [200],
      plan: () => ({ method: "GET", path: "/api/agents?limit=25", headers: bearer() }),
    },
    { ...agentWrite(state, bearer), otherwise: read },
    {
      name: "event (POST /api/events)",
      weight: 25,
      ok: [202],
      plan: () => {
        const n = ++state.events;
        return {
          method: "POST",
          path: "/api/events",
          headers: { ...json, "x-integration-key": fixture.eventsKey },
          body: JSON.stringify({
            specversion: "1.0",
            source: "/psa",
            type: "psa.ticket.created",
            data: { route: n % 5 === 0 ? "gate" : "ticket", subject: `ticket ${n}`, priority: "normal" },
          }),
        };
      },
    },
    inbox,
    {
      name: "approval decision (POST /api/executions/{id}/approvals/{step})",
      weight: 5,
      ok: [200],
      // No gate waiting yet: look in the inbox, as an approver would.
      otherwise: inbox,
      plan: () => {
        const gate = state.gates.shift();
        if (!gate) return undefined;
        return {
          method: "POST",
          path: `/api/executions/${encodeURIComponent(gate.execution_id)}/approvals/${encodeURIComponent(gate.step_id)}`,
          headers: { ...json, ...bearer() },
          body: JSON.stringify({ decision: "approve", note: "load run" }),
        };
      },
    },
  ];
}

function agentWrite(
  state: { idle: Fixture["written"]; writes: number },
  bearer: () => Record<string, string>,
): Operation {
  return {
    name: "agent write (PUT /api/agents/{id})",
    weight: 5,
    ok: [200],
    plan: () => {
      const agent = state.idle.shift();
      if (!agent) return undefined;
      const body: AgentBody = {
        ...agent.body,
        description: `Rewritten by the load run (${++state.writes}).`,
      };
      return {
        method: "PUT",
        path: `/api/agents/${agent.id}`,
        headers: { ...json, ...bearer(), "if-match": agent.etag },
        body: JSON.stringify(body),
        answered: (status, _body, headers) => {
          if (status === 200 && typeof headers.etag === "string")
            Object.assign(agent, { etag: headers.etag, body });
          state.idle.push(agent);
        },
      };
    },
  };
}
