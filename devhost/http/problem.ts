// problem+json answers written by the devhost itself (outside the app's routes).
import type { ServerResponse } from "node:http";

export function sendProblem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ type: "about:blank", title, status, detail });
  res.writeHead(status, { "content-type": "application/problem+json", ...headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}
