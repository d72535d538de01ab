// Devhost endpoints for the bus: publish a CloudEvent, list what was published and what was dead-lettered.
import { randomUUID } from "node:crypto";
import { toBusMessage } from "../../shared/bus/message";
import { now } from "../../shared/clock";
import { isAppError } from "../../shared/errors";
import type { CloudEvent } from "../../shared/events/cloud-event";
import { readRequestBody } from "../http/rpc-http";
import { sendJson, sendProblem } from "../http/problem";
import type { DevRoute } from "../http/server";
import type { BusHandle } from "./extension";
import { MessageRefusedError, UnknownEntityError } from "./local-bus";

/** Fills what a hand-written event usually leaves out; `type` and `orgid` must be given. */
function completeEvent(body: Record<string, unknown>): CloudEvent | string {
  if (typeof body.type !== "string" || !body.type) return "The event needs a string `type`.";
  if (typeof body.orgid !== "string" || !body.orgid)
    return "The event needs a string `orgid` (the org it belongs to).";
  return {
    specversion: "1.0",
    id: randomUUID(),
    source: "/dev",
    time: now().toISOString(),
    datacontenttype: "application/json",
    data: {},
    ...body,
  } as CloudEvent;
}

export function busRoutes(bus: BusHandle): DevRoute {
  return async (req, res, url) => {
    const match = /^\/dev\/bus(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!match) return false;
    const name = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    if (req.method === "GET") {
      if (name === undefined) sendJson(res, 200, bus.topology());
      else if (name === "messages") sendJson(res, 200, bus.published());
      else if (name === "deadletters") sendJson(res, 200, bus.deadLetters());
      else sendProblem(res, 404, "Not found", "GET /dev/bus, /dev/bus/messages or /dev/bus/deadletters.");
      return true;
    }
    if (req.method !== "POST" || name === undefined) {
      sendProblem(res, 405, "Method not allowed", "POST /dev/bus/{topic} publishes.", { allow: "GET, POST" });
      return true;
    }
    let body: unknown;
    try {
      body = JSON.parse((await readRequestBody(req)).toString("utf8"));
    } catch {
      sendProblem(res, 400, "Malformed JSON", "The body must be a CloudEvent in JSON.");
      return true;
    }
    const event =
      body && typeof body === "object" && !Array.isArray(body) ? completeEvent(body as never) : "";
    if (typeof event === "string") {
      sendProblem(res, 422, "Not a CloudEvent", event || "The body must be a JSON object.");
      return true;
    }
    try {
      bus.send(name, toBusMessage(event));
      sendJson(res, 202, event);
    } catch (error) {
      if (error instanceof UnknownEntityError) sendProblem(res, 404, "No such topic", error.message);
      else if (error instanceof MessageRefusedError)
        sendProblem(res, 422, "Service Bus refuses it", error.message);
      else if (isAppError(error) && error.code === "bus.unavailable")
        sendProblem(res, 503, "Bus unavailable", error.message, {
          "retry-after": String(error.options.retryAfter ?? 5),
        });
      else throw error;
    }
    return true;
  };
}
