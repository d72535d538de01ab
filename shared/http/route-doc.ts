// What a route registration says about itself for the API reference (docs/api.md): summary, inputs, responses.
import { z } from "zod";
import type { AuthRequirement } from "../auth/principal";
import type { BodyFormat } from "./body";
import type { HttpMethod } from "./route-table";
import { documentedPath } from "./route-template";

/** One documented answer of a route; `body` absent means the answer has no body (e.g. 204). */
export interface ResponseSpec {
  description: string;
  /** The schema of the body the client receives (JSON unless `contentType` says otherwise). */
  body?: z.ZodType;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
}

/** A server-rendered HTML page answer (approval links and the like). */
export const htmlPage = (description: string): ResponseSpec => ({
  description,
  body: z.string(),
  contentType: "text/html",
});

/** A page route that may redirect either way: a 302 (to a product, to the sign-in page), a 303 after a form. */
export const redirects: Record<302 | 303, ResponseSpec> = {
  302: { description: "A redirect (Location)" },
  303: { description: "A redirect (Location)" },
};

/**
 * Problem statuses a route's own logic may answer (404, 409, 410, 412, 428, 429…). The pipeline's own
 * (401/403 from `auth`, 400/413/415/422 from the inputs, 500, 503) are added by the reference itself.
 */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 410 | 412 | 413 | 415 | 422 | 428 | 429 | 503;

export interface RouteDoc {
  methods: HttpMethod[];
  route: string;
  /** One line: what the route does, as the reference lists it. */
  summary: string;
  /** More words for the reference, when the summary is not enough. */
  description?: string;
  auth: AuthRequirement;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  bodyFormat?: BodyFormat;
  /** The route acts on the session cookie and changes state: cross-site browser requests are refused (docs/sso.md). */
  refuseCrossSite?: boolean;
  /** Every non-problem answer, by status (at least one). */
  responses: Partial<Record<number, ResponseSpec>>;
  errors?: ProblemStatus[];
}

/**
 * Refuses, when the app loads, a registration the reference could not describe honestly: no response, or
 * path parameters without a schema naming each of them.
 */
export function assertDocumented(doc: RouteDoc): void {
  const where = `${doc.methods.join("|")} ${doc.route}`;
  const statuses = Object.keys(doc.responses);
  if (statuses.length === 0) throw new Error(`${where}: declare its responses (docs/api.md)`);
  for (const status of statuses) {
    const response = doc.responses[Number(status)]!;
    if (Number(status) !== 204 && Number(status) < 300 && !response.body)
      throw new Error(`${where}: response ${status} needs a body schema (docs/api.md)`);
  }
  const names = documentedPath(doc.route).parameters;
  if (names.length === 0) return;
  const shape = doc.params instanceof z.ZodObject ? (doc.params.shape as Record<string, unknown>) : undefined;
  const missing = names.filter((name) => !shape || !(name in shape));
  if (missing.length > 0)
    throw new Error(`${where}: the params schema must name ${missing.join(", ")} (docs/api.md)`);
}
