// Invitations (docs/identity.md#invitations): the page where an invited person sets a password and signs in, and
// the org admins' resend and revoke.
import { app } from "@azure/functions";
import { formFields } from "../shared/oauth/form-token";
import { z } from "zod";
import { htmlPage } from "../shared/http/route-doc";
import { httpRoute } from "../shared/http/route";
import { acceptInvitation, showInvitation } from "../shared/invitations/accept";
import { resendInvitation, revokeInvitation } from "../shared/invitations/invite";
import { ORG_ADMINS } from "../shared/iam/policies";
import { userIdParams } from "../shared/iam/schemas";
import { userResponse, userViewSchema } from "../shared/iam/user-views";

const tokenParams = z.object({ token: z.string().max(512) });

app.http(
  "showInvitationPage",
  httpRoute({
    methods: ["GET"],
    route: "invitations/{token}",
    summary: "The page of an emailed invitation link: set a password (changes nothing)",
    responses: {
      200: htmlPage("The set-password form"),
      403: htmlPage("The account or its org is not active"),
      404: htmlPage("An unknown link"),
      409: htmlPage("The email already signs in to Hub with another org"),
      410: htmlPage("An expired, used, replaced or revoked link"),
    },
    auth: "none",
    params: tokenParams,
    handler: async ({ request, params }) => showInvitation(request, params.token),
  }),
);

app.http(
  "acceptInvitation",
  httpRoute({
    methods: ["POST"],
    route: "invitations/{token}",
    summary: "Set the password of an invitation (form field password) and sign in",
    responses: {
      200: htmlPage("Signed in (the session cookie is set)"),
      422: htmlPage("The form again, saying what the password lacks"),
      403: htmlPage("A stale form (the form again), or an account that is not active"),
      404: htmlPage("An unknown link"),
      409: htmlPage(
        "The email already signs in to Hub with another org, or the invitation changed meanwhile",
      ),
      410: htmlPage("An expired, used, replaced or revoked link"),
      503: htmlPage("Busy (the form again)"),
    },
    auth: "none",
    refuseCrossSite: true,
    params: tokenParams,
    // Checked by the handler, which answers a page rather than problem+json.
    body: formFields,
    bodyFormat: "form",
    handler: async ({ request, params, body, log }) =>
      acceptInvitation(request, params.token, body ?? {}, log),
  }),
);

app.http(
  "resendInvitation",
  httpRoute({
    methods: ["POST"],
    route: "users/{id}/invitation",
    summary: "Send a user a new invitation link (the previous link stops working)",
    responses: { 200: { description: "The user", body: userViewSchema } },
    errors: [403, 404, 409],
    auth: ORG_ADMINS,
    params: userIdParams,
    handler: async ({ principal, params, log }) => {
      const user = await resendInvitation(principal!, params.id);
      log.info("invitation resent", { target_user_id: user.user_id });
      return userResponse(200, user);
    },
  }),
);

app.http(
  "revokeInvitation",
  httpRoute({
    methods: ["DELETE"],
    route: "users/{id}/invitation",
    summary: "Revoke a user's invitation (its link stops working; a resend invites again)",
    responses: { 200: { description: "The user", body: userViewSchema } },
    errors: [403, 404, 409],
    auth: ORG_ADMINS,
    params: userIdParams,
    handler: async ({ principal, params, log }) => {
      const user = await revokeInvitation(principal!, params.id);
      log.info("invitation revoked", { target_user_id: user.user_id });
      return userResponse(200, user);
    },
  }),
);
