// The catch-all route: 404 for unknown paths and 405 (with Allow) for known paths, as problem+json.
import { app } from "@azure/functions";
import { answerUnmatchedRequest } from "../shared/http/fallback";

/**
 * The Functions host tries HTTP functions in name order (ordinal, ignoring case) and the first matching template
 * wins, so `{*path}` must sort after every other function: "z_" does (upper-cased, "_" follows every letter and
 * digit). The devhost refuses to start if any route is shadowed (docs/devhost.md, "HTTP routing").
 */
app.http("z_unmatchedRoute", {
  methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
  route: "{*path}",
  authLevel: "anonymous",
  handler: answerUnmatchedRequest,
});
