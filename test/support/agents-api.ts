// A small client for the Agents API in tests: one caller's headers, JSON in, the raw Response out.
import type { DevHost } from "../../devhost/host";

type Host = Pick<DevHost, "url">;

export interface AgentsCaller {
  /** Sends `body` as it is (for malformed JSON, other content types, huge bodies). */
  raw(method: string, path: string, body: string, headers: Record<string, string>): Promise<Response>;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  list(query?: string): Promise<Response>;
  get(id: string): Promise<Response>;
  create(body: unknown): Promise<Response>;
  replace(id: string, body: unknown, ifMatch?: string): Promise<Response>;
  remove(id: string, ifMatch?: string): Promise<Response>;
  pause(id: string): Promise<Response>;
  activate(id: string): Promise<Response>;
}

/** `credential` is the headers that carry the caller's token or key ({} for an anonymous caller). */
export function agentsCaller(host: Host, credential: Record<string, string>): AgentsCaller {
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${host.url}${path}`, {
      method,
      headers: {
        ...credential,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const at = (id: string) => `/api/agents/${encodeURIComponent(id)}`;
  return {
    raw: (method, path, body, headers) =>
      fetch(`${host.url}${path}`, { method, headers: { ...credential, ...headers }, body }),
    request,
    list: (query = "") => request("GET", `/api/agents${query}`),
    get: (id) => request("GET", at(id)),
    create: (body) => request("POST", "/api/agents", body),
    replace: (id, body, ifMatch) =>
      request("PUT", at(id), body, ifMatch === undefined ? {} : { "if-match": ifMatch }),
    remove: (id, ifMatch) =>
      request("DELETE", at(id), undefined, ifMatch === undefined ? {} : { "if-match": ifMatch }),
    pause: (id) => request("POST", `${at(id)}/pause`),
    activate: (id) => request("POST", `${at(id)}/activate`),
  };
}

export interface AgentBody {
  id: string;
  org_id: string;
  name: string;
  status: "active" | "paused";
  is_system: boolean;
  version: number;
  created_by: string;
  [field: string]: unknown;
}

/** The body of a response that must have this status (the message shows what came instead). */
export async function expectStatus<T = AgentBody>(
  response: Response | Promise<Response>,
  status: number,
): Promise<T> {
  const answered = await response;
  const text = await answered.text();
  if (answered.status !== status)
    throw new Error(`expected ${status}, got ${answered.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
