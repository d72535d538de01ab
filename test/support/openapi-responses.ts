// Checks every answer of an app function against the OpenAPI document: status, content type and body (docs/api.md).
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { ValidateFunction } from "ajv";
import type { ObservedResponse } from "../../devhost/http/server";
import type { OpenApiDocument } from "../../shared/api-reference/openapi";

/** The app's catch-all (functions/fallback.ts) is not an operation: it answers 404/405 problems for any path. */
const CATCH_ALL = "z_unmatchedRoute";

/**
 * Test fixtures named `fx…` exercise the devhost itself on raw registrations (the durable client starter, the
 * routing order and constraints): they are not part of the app's API, so not in the document.
 */
const isDevhostFixture = (functionName: string) => /^fx[A-Z0-9]/i.test(functionName);

interface DocumentedResponse {
  description: string;
  content?: Record<string, { schema: Record<string, unknown> }>;
}

const pointer = (...parts: string[]) =>
  parts.map((part) => part.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

/** Returns a checker that names every way a response departs from the document (none: it conforms). */
export function responseChecker(document: OpenApiDocument): (response: ObservedResponse) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, "https://reference.invalid/openapi.json");
  const validators = new Map<string, ValidateFunction>();
  const validatorAt = (path: string): ValidateFunction => {
    let validate = validators.get(path);
    if (!validate) {
      validate = ajv.getSchema(`https://reference.invalid/openapi.json#/${path}`);
      if (!validate) throw new Error(`no schema at ${path}`);
      validators.set(path, validate);
    }
    return validate;
  };
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    params: (template.match(/\{/g) ?? []).length,
    regex: new RegExp(
      `^${template
        .split(/\{[^}]+\}/)
        .map((literal) => literal.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))
        .join("[^/]+")}/?$`,
      "i",
    ),
  }));

  return (response) => {
    const what = `${response.method} ${response.path} → ${response.status}`;
    const mediaType = (response.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (isDevhostFixture(response.functionName)) return [];
    if (response.functionName === CATCH_ALL) {
      // CORS preflights of the app's paths are answered there too (shared/http/fallback.ts): 204, no body.
      if (response.method === "OPTIONS" && response.status === 204 && !mediaType) return [];
      if (![404, 405].includes(response.status) || mediaType !== "application/problem+json")
        return [`${what}: the catch-all answers only 404/405 problem+json, got ${mediaType}`];
      return checkBody(what, response, validatorAt(pointer("components", "schemas", "Problem")));
    }
    /** The document's paths are under its server URL, /api. */
    const path = response.path.replace(/^\/api(?=\/|$)/, "") || "/";
    const matched = templates
      .filter((candidate) => candidate.regex.test(path))
      .sort((a, b) => a.params - b.params)[0];
    const method = response.method.toLowerCase();
    const operation = matched && document.paths[matched.template]?.[method];
    if (!matched || !operation) return [`${what}: no operation in the OpenAPI document`];
    const declared = operation.responses[String(response.status)];
    if (!declared) return [`${what}: status not documented for ${operation.operationId}`];
    let documented = declared as unknown as DocumentedResponse;
    let at = pointer("paths", matched.template, method, "responses", String(response.status));
    if (typeof declared.$ref === "string") {
      const name = declared.$ref.split("/").pop()!;
      documented = document.components.responses[name] as DocumentedResponse;
      at = pointer("components", "responses", name);
    }
    if (!documented.content) {
      return response.body.length === 0 ? [] : [`${what}: documented without a body, but has one`];
    }
    const media = documented.content[mediaType];
    if (!media) {
      return [
        `${what}: content type ${mediaType || "(none)"} is not documented (${Object.keys(documented.content).join(", ")})`,
      ];
    }
    if (!/[/+]json$/.test(mediaType)) return response.body.length > 0 ? [] : [`${what}: empty body`];
    return checkBody(what, response, validatorAt(`${at}/${pointer("content", mediaType, "schema")}`));
  };
}

function checkBody(what: string, response: ObservedResponse, validate: ValidateFunction): string[] {
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString("utf8"));
  } catch {
    return [`${what}: the body is not JSON`];
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (error) => `${what}: body${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`,
  );
}
