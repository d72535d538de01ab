// Password reset and change (docs/auth.md): the forgot request, the reset link's page, the signed-in change, the reset email.
//
// The host dispatches HTTP functions in name order, first matching template wins: `auth/password/forgot`,
// `auth/password/change` and `auth/password/reset/{token}` cannot match one path.
import { app } from "@azure/functions";
import { formFields } from "../shared/oauth/form-token";
import * as df from "durable-functions";
import { z } from "zod";
import { clientIp } from "../shared/http/client-ip";
import { htmlPage } from "../shared/http/route-doc";
import { httpRoute, json, noContent } from "../shared/http/route";
import { Logger } from "../shared/log";
import { changeBodySchema, changePassword } from "../shared/passwords/change";
import {
  FORGOT_ANSWER,
  forgotAnswerSchema,
  forgotBodySchema,
  requestPasswordReset,
} from "../shared/passwords/forgot";
import type { ResetMailInput } from "../shared/passwords/reset-mail";
import {
  passwordResetMail,
  RESET_MAIL_ACTIVITY,
  RESET_MAIL_ORCHESTRATION,
  sendResetLink,
} from "../shared/passwords/reset-mail";
import { showResetPage, submitReset } from "../shared/passwords/reset";

const tokenParams = z.object({ token: z.string().max(512) });
const noStore = { "cache-control": "no-store" };

app.http("forgotPassword", {
  ...httpRoute({
    methods: ["POST"],
    route: "auth/password/forgot",
    summary: "Ask for a password reset link by email: the same 202 for every email",
    responses: {
      202: { description: "Accepted, whether or not the email has an account", body: forgotAnswerSchema },
    },
    errors: [429],
    auth: "none",
    body: forgotBodySchema,
    handler: async ({ body, request, context, log }) => {
      await requestPasswordReset(body.email, clientIp(request), df.getClient(context), log);
      return json(202, FORGOT_ANSWER, noStore);
    },
  }),
  extraInputs: [df.input.durableClient()],
});

app.http(
  "showPasswordResetPage",
  httpRoute({
    methods: ["GET"],
    route: "auth/password/reset/{token}",
    summary: "The page of an emailed password reset link (changes nothing)",
    responses: {
      200: htmlPage("The form to choose a new password"),
      404: htmlPage("An unknown link"),
      410: htmlPage("A link that expired or was used"),
    },
    auth: "none",
    params: tokenParams,
    handler: async ({ request, params }) => showResetPage(request, params.token),
  }),
);

app.http(
  "submitPasswordReset",
  httpRoute({
    methods: ["POST"],
    route: "auth/password/reset/{token}",
    summary: "Set the new password of a reset link (form field password): ends every session and token",
    responses: {
      200: htmlPage("Password changed"),
      403: htmlPage("A stale form (the form again)"),
      404: htmlPage("An unknown link"),
      410: htmlPage("A link that expired or was used"),
      422: htmlPage("The form again, naming each password rule broken"),
    },
    auth: "none",
    refuseCrossSite: true,
    params: tokenParams,
    // Checked by the handler, which answers a page rather than problem+json.
    body: formFields,
    bodyFormat: "form",
    handler: async ({ request, params, body, log }) => submitReset(request, params.token, body ?? {}, log),
  }),
);

app.http(
  "changePassword",
  httpRoute({
    methods: ["POST"],
    route: "auth/password/change",
    summary: "Change the signed-in user's password (session cookie): other sessions and their tokens end",
    responses: { 204: { description: "Changed; this session stays" } },
    errors: [401, 403, 429],
    auth: "none",
    // A forged cross-site change would set a password the attacker chose, had they the current one.
    refuseCrossSite: true,
    body: changeBodySchema,
    handler: async ({ request, body, log }) => {
      await changePassword(request, body, log);
      return noContent(noStore);
    },
  }),
);

df.app.orchestration(RESET_MAIL_ORCHESTRATION, passwordResetMail);
df.app.activity(RESET_MAIL_ACTIVITY, {
  handler: (input: ResetMailInput, context) => sendResetLink(input, new Logger(context)),
});
