// The OpenAPI 3.1 document of the app, generated from the route registrations and their zod schemas (docs/api.md).
import type { z } from "zod";
import { version } from "../../package.json";
import type { AuthRequirement } from "../auth/principal";
import { PROBLEM_CONTENT_TYPE, PROBLEM_TITLES, problemSchema } from "../http/problem";
import type { RouteDoc } from "../http/route-doc";
import { declaredRoutes } from "../http/route-table";
import { documentedPath } from "../http/route-template";
import type { JsonSchema } from "./json-schema";
import { SchemaCollector } from "./json-schema";

export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
};

export interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: Record<string, unknown>[];
  requestBody?: Record<string, unknown>;
  responses: Record<string, Record<string, unknown>>;
  [extra: string]: unknown;
}

const SECURITY_SCHEMES = {
  hubToken: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "A Hub access token (RS256, typ at+jwt) from POST /api/auth/token; its aud must be the audience the operation names.",
  },
  integrationKey: {
    type: "apiKey",
    in: "header",
    name: "X-Integration-Key",
    description: "An integration key of the org; the operation lists the scopes that admit it.",
  },
  platformToken: {
    type: "http",
    scheme: "bearer",
    description: "The platform operator's secret PLATFORM_ADMIN_TOKEN setting.",
  },
};

/** The component name of each problem status's response, e.g. 404 → NotFound. */
export const problemResponseName = (status: number): string =>
  (PROBLEM_TITLES.get(status) ?? `Status ${status}`).replace(/(^|\s)(\w)/g, (_m, _s, c: string) =>
    c.toUpperCase(),
  );

/** The problem statuses every route answers through the pipeline, from what it accepts. */
function pipelineProblems(doc: RouteDoc): number[] {
  const statuses = [500, 503];
  if (doc.auth !== "none") statuses.push(401);
  if ((doc.auth !== "none" && doc.auth !== "platform") || doc.refuseCrossSite) statuses.push(403);
  // The shared id rule: a path parameter no stored id could have answers 404 before the handler runs.
  if (doc.params) statuses.push(404);
  if (doc.params || doc.query || doc.body) statuses.push(422);
  if (doc.body) statuses.push(413, 415);
  if (doc.body && (doc.bodyFormat ?? "json") === "json") statuses.push(400);
  return statuses;
}

function security(auth: AuthRequirement): Record<string, string[]>[] {
  if (auth === "none") return [];
  if (auth === "platform") return [{ platformToken: [] }];
  const schemes: Record<string, string[]>[] = [{ hubToken: [] }];
  if (auth.scopes?.length) schemes.push({ integrationKey: [...auth.scopes] });
  return schemes;
}

/** Who may call, in words (the security requirement alone cannot say which audience and roles). */
function whoMayCall(auth: AuthRequirement): string {
  if (auth === "none") return "No credential.";
  if (auth === "platform") return "The platform operator's token.";
  const audiences = [auth.audience].flat().join(" or ");
  const people = [
    ...(auth.orgRoles ?? []).map((role) => `org ${role}`),
    ...(auth.roles ?? []).map((role) => `Agents ${role}`),
  ];
  const token = `A Hub token with aud ${audiences}${people.length ? ` held by an ${people.join(", ")}` : ""}`;
  return auth.scopes?.length
    ? `${token}; or an integration key with scope ${auth.scopes.join(" or ")}.`
    : `${token}.`;
}

const operationId = (method: string, route: string): string =>
  method.toLowerCase() +
  documentedPath(route)
    .path.split(/[/.{}_-]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");

function parameters(
  schemas: SchemaCollector,
  where: "path" | "query",
  schema: z.ZodType | undefined,
): Record<string, unknown>[] {
  if (!schema) return [];
  const converted = schemas.convert(schema, "input");
  const required = new Set((converted.required as string[] | undefined) ?? []);
  return Object.entries((converted.properties ?? {}) as Record<string, JsonSchema>).map(([name, value]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    schema: value,
  }));
}

function operation(schemas: SchemaCollector, doc: RouteDoc, method: string): Operation {
  const responses: Operation["responses"] = {};
  for (const [status, response] of Object.entries(doc.responses)) {
    responses[status] = response!.body
      ? {
          description: response!.description,
          content: {
            [response!.contentType ?? "application/json"]: {
              schema: schemas.convert(response!.body, "output"),
            },
          },
        }
      : { description: response!.description };
  }
  for (const status of [...(doc.errors ?? []), ...pipelineProblems(doc)].sort()) {
    const declared = responses[String(status)];
    // A route may answer one status both ways (a sign-in page's 403 and the cross-site refusal's problem).
    if (declared?.content)
      (declared.content as Record<string, unknown>)[PROBLEM_CONTENT_TYPE] = {
        schema: { $ref: "#/components/schemas/Problem" },
      };
    responses[String(status)] ??= { $ref: `#/components/responses/${problemResponseName(status)}` };
  }
  const op: Operation = {
    operationId: operationId(method, doc.route),
    summary: doc.summary,
    description: [doc.description, `Who may call: ${whoMayCall(doc.auth)}`].filter(Boolean).join("\n\n"),
    tags: [doc.route.split("/")[0]!.replace(/^\./, "")],
    security: security(doc.auth),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))),
  };
  const params = [...parameters(schemas, "path", doc.params), ...parameters(schemas, "query", doc.query)];
  if (params.length) op.parameters = params;
  if (doc.body) {
    op.requestBody = {
      required: !doc.body.safeParse(undefined).success,
      content: {
        [doc.bodyFormat === "form" ? "application/x-www-form-urlencoded" : "application/json"]: {
          schema: schemas.convert(doc.body, "input"),
        },
      },
    };
  }
  return op;
}

let cached: { routeCount: number; document: OpenApiDocument } | undefined;

/** The document for every route registered so far (computed once the registrations are complete). */
export function openApiDocument(): OpenApiDocument {
  const routes = declaredRoutes();
  if (cached?.routeCount === routes.length) return cached.document;
  const schemas = new SchemaCollector("#/components/schemas/");
  const paths: OpenApiDocument["paths"] = {};
  for (const doc of routes) {
    const path = (paths[documentedPath(doc.route).path] ??= {});
    for (const method of doc.methods) path[method.toLowerCase()] = operation(schemas, doc, method);
  }
  schemas.convert(problemSchema, "output");
  const usedProblems = new Set(
    Object.values(paths).flatMap((ops) =>
      Object.values(ops).flatMap((op) =>
        Object.values(op.responses).flatMap((r) => (typeof r.$ref === "string" ? [r.$ref] : [])),
      ),
    ),
  );
  const responses: Record<string, unknown> = {};
  for (const [status, title] of [...PROBLEM_TITLES].sort(([a], [b]) => a - b)) {
    const name = problemResponseName(status);
    if (!usedProblems.has(`#/components/responses/${name}`)) continue;
    responses[name] = {
      description: `${title} (problem+json, status ${status})`,
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } },
    };
  }
  const document: OpenApiDocument = {
    openapi: "3.1.0",
    info: {
      title: "Hub & The One Agents API",
      version,
      description:
        "Identity (sign-in, tokens, integration keys, IAM) and The One Agents (agents, executions, approvals, usage). " +
        "Every error is application/problem+json (RFC 9457) with a stable `code`; an unknown path answers 404 and a " +
        "known path with another method 405 (with Allow). The org always comes from the credential: another org's " +
        "resource answers 404. The events on The One Bus are described by GET /api/asyncapi.json.",
    },
    servers: [{ url: "/api" }],
    paths,
    components: { schemas: schemas.definitions, responses, securitySchemes: SECURITY_SCHEMES },
  };
  cached = { routeCount: routes.length, document };
  return document;
}
