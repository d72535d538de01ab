// The TOTP second factor (docs/auth.md, "Second factor (TOTP)"): set up by a signed-in user (session cookie), reset
// by the org's admins.
import { app } from "@azure/functions";
import { z } from "zod";
import { httpRoute, json, noContent } from "../shared/http/route";
import { ORG_ADMINS } from "../shared/iam/policies";
import { userIdParams } from "../shared/iam/schemas";
import { resetSecondFactor } from "../shared/mfa/reset";
import {
  confirmationSchema,
  confirmTotpEnrolment,
  enrolmentSchema,
  startTotpEnrolment,
} from "../shared/mfa/enrol";
import { CODE_PATTERN } from "../shared/mfa/totp";

app.http(
  "startTotpEnrolment",
  httpRoute({
    methods: ["POST"],
    route: "auth/mfa/totp",
    summary:
      "Start setting up an authenticator app (session cookie): the secret, shown once, and its QR code",
    responses: {
      200: { description: "The secret, otpauth:// URI and QR code (SVG)", body: enrolmentSchema },
    },
    errors: [401, 409],
    auth: "none",
    refuseCrossSite: true,
    handler: async ({ request, log }) =>
      json(200, await startTotpEnrolment(request, log), { "cache-control": "no-store", pragma: "no-cache" }),
  }),
);

app.http(
  "confirmTotpEnrolment",
  httpRoute({
    methods: ["POST"],
    route: "auth/mfa/totp/confirm",
    summary: "Confirm the authenticator app with its current code: 10 recovery codes, shown once",
    responses: { 200: { description: "The recovery codes", body: confirmationSchema } },
    errors: [401, 404, 409],
    auth: "none",
    refuseCrossSite: true,
    body: z.object({ code: z.string().regex(CODE_PATTERN, "must be 6 digits") }),
    handler: async ({ body, request, log }) =>
      json(200, await confirmTotpEnrolment(request, body.code, log), {
        "cache-control": "no-store",
        pragma: "no-cache",
      }),
  }),
);

app.http(
  "resetSecondFactor",
  httpRoute({
    methods: ["DELETE"],
    route: "users/{id}/mfa",
    summary: "Reset a user's second factor (they sign in with the password and may enrol again)",
    responses: { 204: { description: "Reset (or there was none)" } },
    errors: [403, 404],
    auth: ORG_ADMINS,
    params: userIdParams,
    handler: async ({ principal, params, log }) => {
      await resetSecondFactor(principal!, params.id, log);
      log.info("second factor reset", { target_user_id: params.id });
      return noContent();
    },
  }),
);
