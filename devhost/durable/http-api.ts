// The Durable extension's HTTP API ("HTTP API reference"), served at the durable client's rpcBaseUrl and at the
// public webhook links createCheckStatusResponse hands out (both under /runtime/webhooks/durabletask).
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../http/problem";
import { readRequestBody } from "../http/rpc-http";
import type { DevRoute } from "../http/server";
import { WEBHOOK_PATH, durableClientData } from "./client-binding";
import type { ClientAnswer, DurableEngine, InstanceFilter } from "./engine";
import type { RuntimeStatus } from "./instance";
import { statusOf } from "./status";

const NOT_EMULATED = 'is not emulated by the devhost (see the README, "Devhost: Durable").';
const IN_PROGRESS: ReadonlySet<RuntimeStatus> = new Set([
  "Pending",
  "Running",
  "ContinuedAsNew",
  "Suspended",
]);

export function durableHttpApi(engine: DurableEngine, hubName: string): DevRoute {
  return async (req, res, url) => {
    if (!url.pathname.startsWith(`${WEBHOOK_PATH}/`)) return false;
    const parts = url.pathname
      .slice(WEBHOOK_PATH.length + 1)
      .split("/")
      .map((part) => decodeURIComponent(part));
    const method = (req.method ?? "GET").toUpperCase();
    const [resource, id, action, name] = parts;
    if (resource === "orchestrators" && method === "POST" && id) {
      await startInstance(engine, hubName, req, res, url, id, parts[2]);
    } else if (resource === "instances" && !id && method === "GET") {
      listInstances(engine, res, url);
    } else if (resource === "instances" && !id && method === "DELETE") {
      const deleted = engine.purgeWhere(filterOf(url));
      sendJson(res, deleted ? 200 : 404, { instancesDeleted: deleted });
    } else if (resource === "instances" && id && !action && method === "GET") {
      getInstance(engine, res, url, id);
    } else if (resource === "instances" && id && !action && method === "DELETE") {
      const purged = engine.purge(id);
      sendJson(res, purged ? 200 : 404, { instancesDeleted: purged ? 1 : 0 });
    } else if (resource === "instances" && id && action === "raiseEvent" && name && method === "POST") {
      const body = await readJsonBody(req, res);
      if (body === false) return true;
      answer(res, engine.raiseEvent(id, name, body), id);
    } else if (resource === "instances" && id && method === "POST" && isLifecycle(action)) {
      const reason = url.searchParams.get("reason") ?? undefined;
      answer(res, engine[action](id, reason), id);
    } else if (resource === "instances" && id && (action === "rewind" || action === "restart")) {
      sendJson(res, 501, { Message: `The ${action} operation ${NOT_EMULATED}` });
    } else if (resource === "entities") {
      sendJson(res, 501, { Message: `Durable entities ${NOT_EMULATED}` });
    } else {
      sendJson(res, 404, { Message: `No Durable HTTP API matches ${method} ${url.pathname}.` });
    }
    return true;
  };
}

function isLifecycle(action: string | undefined): action is "terminate" | "suspend" | "resume" {
  return action === "terminate" || action === "suspend" || action === "resume";
}

async function startInstance(
  engine: DurableEngine,
  hubName: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  functionName: string,
  instanceId: string | undefined,
): Promise<void> {
  const input = await readJsonBody(req, res);
  if (input === false) return;
  const started = engine.startOrchestration(functionName, { instanceId: instanceId || undefined, input });
  if (!started.ok && started.code === "not_found") return sendJson(res, 400, { Message: started.message });
  if (!started.ok) {
    // What the extension answers when the instance store refuses a duplicate (DurableTask.AzureStorage).
    return sendJson(res, 500, {
      Message: "Something went wrong while processing your request",
      ExceptionMessage: started.message,
      ExceptionType: "System.InvalidOperationException",
    });
  }
  const links = managementLinks(url.origin, hubName, started.instanceId);
  res.setHeader("location", links.statusQueryGetUri as string);
  sendJson(res, 202, links);
}

function managementLinks(origin: string, hubName: string, instanceId: string): Record<string, unknown> {
  const data = durableClientData(origin, hubName) as { managementUrls: Record<string, string> };
  return Object.fromEntries(
    Object.entries(data.managementUrls).map(([key, value]) => [key, value.replace("INSTANCEID", instanceId)]),
  );
}

function getInstance(engine: DurableEngine, res: ServerResponse, url: URL, id: string): void {
  const instance = engine.instances.get(id);
  if (!instance) return sendJson(res, 404, { Message: `No instance with ID '${id}' found.` });
  const flag = (name: string) => url.searchParams.get(name)?.toLowerCase() === "true";
  const status = statusOf(instance, {
    showHistory: flag("showHistory"),
    showHistoryOutput: flag("showHistoryOutput"),
    showInput: url.searchParams.get("showInput")?.toLowerCase() !== "false",
  });
  const failed = instance.status === "Failed" && flag("returnInternalServerErrorOnFailure");
  sendJson(res, failed ? 500 : IN_PROGRESS.has(instance.status) ? 202 : 200, status);
}

/** Pages with `top` and the x-ms-continuation-token header, which the client follows by itself. */
function listInstances(engine: DurableEngine, res: ServerResponse, url: URL): void {
  const showInput = url.searchParams.get("showInput")?.toLowerCase() !== "false";
  const all = engine.query(filterOf(url)).sort((a, b) => a.createdMs - b.createdMs);
  const top = Number(url.searchParams.get("top") ?? 0) || all.length;
  const token = res.req.headers["x-ms-continuation-token"];
  const offset = typeof token === "string" ? Number(Buffer.from(token, "base64url").toString()) || 0 : 0;
  const page = all.slice(offset, offset + top);
  if (offset + top < all.length)
    res.setHeader("x-ms-continuation-token", Buffer.from(String(offset + top)).toString("base64url"));
  sendJson(
    res,
    200,
    page.map((instance) => statusOf(instance, { showInput })),
  );
}

function filterOf(url: URL): InstanceFilter {
  const time = (name: string) => {
    const value = url.searchParams.get(name);
    return value ? Date.parse(value) : undefined;
  };
  const statuses = url.searchParams.get("runtimeStatus");
  return {
    createdFromMs: time("createdTimeFrom"),
    createdToMs: time("createdTimeTo"),
    statuses: statuses ? (statuses.split(",").map((s) => s.trim()) as RuntimeStatus[]) : undefined,
  };
}

/** The raw JSON text of the body (undefined when empty), or false after answering 400 for invalid JSON. */
async function readJsonBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined | false> {
  const text = (await readRequestBody(req)).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    JSON.parse(text);
    return text;
  } catch {
    sendJson(res, 400, { Message: "The request content is not valid JSON." });
    return false;
  }
}

/** raiseEvent/terminate/suspend/resume: 202, 404 for an unknown instance, 410 for a finished one. */
function answer(res: ServerResponse, result: ClientAnswer, id: string): void {
  if (result === "accepted") return sendJson(res, 202, {});
  if (result === "not_found") return sendJson(res, 404, { Message: `No instance with ID '${id}' found.` });
  sendJson(res, 410, { Message: `The instance '${id}' has already completed, failed or been terminated.` });
}
