// The catch-all route: 404 for unknown paths and 405 (with Allow) for known paths, as problem+json.
import { app } from "@azure/functions";
import { answerUnmatchedRequest } from "../shared/http/fallback";

app.http("unmatchedRoute", {
  methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
  route: "{*path}",
  authLevel: "anonymous",
  handler: answerUnmatchedRequest,
});
