// Reads a request body within the size limit and decodes it by its declared content type.
import type { HttpRequest } from "@azure/functions";
import { AppError } from "../errors";

export const MAX_BODY_BYTES = 256 * 1024;

export type BodyFormat = "json" | "form";

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

const tooLarge = () =>
  new AppError("request.too_large", `The request body exceeds ${MAX_BODY_BYTES / 1024} KiB.`);

export async function readBody(request: HttpRequest, format: BodyFormat): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
  if (bytes.length === 0) return undefined;

  const contentType = request.headers.get("content-type") ?? "";
  if (format === "form") {
    if (!FORM_TYPE.test(contentType)) throw unsupported("application/x-www-form-urlencoded");
    return Object.fromEntries(new URLSearchParams(bytes.toString("utf8")));
  }
  if (!JSON_TYPE.test(contentType)) throw unsupported("application/json");
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch {
    throw new AppError("request.malformed_json", "The request body is not valid JSON.");
  }
}

function unsupported(expected: string): AppError {
  return new AppError("request.unsupported_media_type", `The request body must be ${expected}.`, {
    headers: { "accept-post": expected },
  });
}
