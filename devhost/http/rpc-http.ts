// Converts between node:http messages and the worker's RPC HTTP shapes.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RpcHttpCookie, RpcHttpData, RpcTypedData } from "../core/types";

/** The devhost protects its own memory; the app enforces its real (smaller) limit itself. */
export const DEVHOST_MAX_BODY_BYTES = 4 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

const NO_BODY = Buffer.alloc(0);

export async function readRequestBody(req: IncomingMessage): Promise<Buffer> {
  // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3); node's parser
  // ends its stream at once, so most GETs need no stream iteration at all.
  if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) {
    req.resume();
    return NO_BODY;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > DEVHOST_MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * What App Service's front end adds (docs/auth.md, "Client address"): `client-ip` set to the connection's
 * `address:port`, overwriting any value the caller sent, and the same appended to `X-Forwarded-For`.
 */
function frontEndHeaders(req: IncomingMessage, forwardedFor: string | undefined): Record<string, string> {
  const remote = req.socket.remoteAddress ?? "";
  const address = remote.startsWith("::ffff:") ? remote.slice(7) : remote;
  const hop = `${address.includes(":") ? `[${address}]` : address}:${req.socket.remotePort ?? 0}`;
  return { "client-ip": hop, "x-forwarded-for": forwardedFor ? `${forwardedFor}, ${hop}` : hop };
}

export function toRpcHttpRequest(
  req: IncomingMessage,
  url: URL,
  params: Record<string, string>,
  body: Buffer,
): RpcHttpData {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  Object.assign(headers, frontEndHeaders(req, headers["x-forwarded-for"]));
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] ??= value;
  return {
    method: req.method ?? "GET",
    url: url.toString(),
    headers,
    query,
    params,
    body: body.length > 0 ? { bytes: body } : undefined,
  };
}

export function rpcBodyBytes(body: RpcTypedData | null | undefined): Buffer {
  if (!body) return Buffer.alloc(0);
  if (body.bytes) return Buffer.from(body.bytes);
  if (body.stream) return Buffer.from(body.stream);
  if (typeof body.string === "string") return Buffer.from(body.string);
  if (typeof body.json === "string") return Buffer.from(body.json);
  if (typeof body.int === "number") return Buffer.from(String(body.int));
  if (typeof body.double === "number") return Buffer.from(String(body.double));
  return Buffer.alloc(0);
}

function setCookieHeader(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name}=${cookie.value ?? ""}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  if (cookie.expires?.value?.seconds)
    parts.push(`Expires=${new Date(cookie.expires.value.seconds * 1000).toUTCString()}`);
  if (typeof cookie.maxAge?.value === "number") parts.push(`Max-Age=${Math.round(cookie.maxAge.value)}`);
  if (cookie.secure?.value) parts.push("Secure");
  if (cookie.httpOnly?.value) parts.push("HttpOnly");
  const sameSiteNames: Record<string, string> = { lax: "Lax", strict: "Strict", explicitNone: "None" };
  const sameSite = sameSiteNames[cookie.sameSite ?? "none"];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join("; ");
}

/** The status, headers and body a function's HTTP answer puts on the wire. */
export function rpcResponseParts(http: RpcHttpData | null | undefined): {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
} {
  if (!http) return { status: 204, headers: {}, body: Buffer.alloc(0) };
  const headers: Record<string, string | string[]> = { ...(http.headers ?? {}) };
  const cookies = (http.cookies ?? []).map(setCookieHeader);
  if (cookies.length) headers["set-cookie"] = cookies;
  return { status: Number(http.statusCode ?? 200) || 200, headers, body: rpcBodyBytes(http.body) };
}

export function writeRpcHttpResponse(res: ServerResponse, http: RpcHttpData | null | undefined): void {
  const { status, headers, body } = rpcResponseParts(http);
  res.writeHead(status, headers);
  res.end(body.length ? body : undefined);
}
