// Hub as OpenID Connect provider for the products (docs/sso.md): sign-in page, authorize, token, introspect, userinfo, logout.
import { app } from "@azure/functions";
import { z } from "zod";
import { json } from "../shared/http/route";
import { httpRoute } from "../shared/http/route";
import { htmlPage } from "../shared/http/route-doc";
import { authorize } from "../shared/oauth/authorize";
import { introspect } from "../shared/oauth/introspect";
import { oauthLogout } from "../shared/oauth/logout";
import { showSignIn, submitSignIn } from "../shared/oauth/signin";
import {
  introspectionSchema,
  oauthErrorSchema,
  tokenResponseSchema,
  userinfoSchema,
} from "../shared/oauth/response-schemas";
import { tokenGrant } from "../shared/oauth/token-endpoint";
import { userinfo } from "../shared/oauth/userinfo";

/** Form fields are checked by each handler, which answers a page or an RFC 6749 error rather than problem+json. */
const formFields = z.record(z.string(), z.string()).optional();
const noStore = { "cache-control": "no-store", pragma: "no-cache" };

app.http(
  "signInPage",
  httpRoute({
    methods: ["GET"],
    route: "signin",
    summary: "Hub sign-in page",
    responses: {
      200: htmlPage("The sign-in page"),
      302: { description: "A redirect (Location)" },
      303: { description: "A redirect (Location)" },
      400: htmlPage("A bad request page"),
    },
    auth: "none",
    handler: async ({ request }) => showSignIn(request),
  }),
);

app.http(
  "signInSubmit",
  httpRoute({
    methods: ["POST"],
    route: "signin",
    summary: "Submit the sign-in form",
    responses: {
      200: htmlPage("The next step"),
      302: { description: "A redirect (Location)" },
      303: { description: "A redirect (Location)" },
      400: htmlPage("The form again"),
      401: htmlPage("The form again"),
      403: htmlPage("A stale form or an account that cannot sign in (the form again)"),
      429: htmlPage("Busy"),
      503: htmlPage("Busy"),
    },
    auth: "none",
    refuseCrossSite: true,
    body: formFields,
    bodyFormat: "form",
    handler: async ({ request, body, log }) => submitSignIn(request, body ?? {}, log),
  }),
);

app.http(
  "oauthAuthorize",
  httpRoute({
    methods: ["GET"],
    route: "oauth/authorize",
    summary: "OAuth 2.0 authorization endpoint (code flow, PKCE S256)",
    responses: {
      302: { description: "A redirect (Location)" },
      303: { description: "A redirect (Location)" },
      400: htmlPage("An error page"),
    },
    auth: "none",
    handler: async ({ request, log }) => authorize(request, log),
  }),
);

app.http(
  "oauthToken",
  httpRoute({
    methods: ["POST"],
    route: "oauth/token",
    summary: "OAuth 2.0 token endpoint (authorization_code, refresh_token)",
    responses: {
      200: { description: "The token set", body: tokenResponseSchema },
      400: { description: "OAuth error (RFC 6749 §5.2)", body: oauthErrorSchema },
      401: { description: "Client authentication failed (RFC 6749 §5.2)", body: oauthErrorSchema },
    },
    auth: "none",
    body: formFields,
    bodyFormat: "form",
    handler: async ({ request, body, log }) => json(200, await tokenGrant(request, body ?? {}, log), noStore),
  }),
);

app.http(
  "oauthIntrospect",
  httpRoute({
    methods: ["POST"],
    route: "oauth/introspect",
    summary: "Token introspection (RFC 7662) for products",
    responses: {
      200: { description: "Whether the token is active, and its facts", body: introspectionSchema },
      400: { description: "OAuth error (RFC 6749 §5.2)", body: oauthErrorSchema },
      401: { description: "Client authentication failed (RFC 6749 §5.2)", body: oauthErrorSchema },
    },
    auth: "none",
    body: formFields,
    bodyFormat: "form",
    handler: async ({ request, body, log }) => json(200, await introspect(request, body ?? {}, log), noStore),
  }),
);

app.http(
  "oauthUserinfo",
  httpRoute({
    methods: ["GET"],
    route: "oauth/userinfo",
    summary: "OpenID Connect userinfo",
    responses: { 200: { description: "The user's claims for the token's scopes", body: userinfoSchema } },
    errors: [401],
    auth: "none",
    handler: async ({ request }) => json(200, await userinfo(request), noStore),
  }),
);

app.http(
  "oauthLogout",
  httpRoute({
    methods: ["GET"],
    route: "oauth/logout",
    summary: "RP-initiated logout",
    responses: {
      200: htmlPage("Signed out"),
      302: { description: "A redirect (Location)" },
      303: { description: "A redirect (Location)" },
      400: htmlPage("An error page"),
    },
    auth: "none",
    handler: async ({ request, log }) =>
      oauthLogout(request, Object.fromEntries(new URL(request.url).searchParams), log),
  }),
);

app.http(
  "oauthLogoutSubmit",
  httpRoute({
    methods: ["POST"],
    route: "oauth/logout",
    summary: "RP-initiated logout (form)",
    responses: {
      200: htmlPage("Signed out"),
      302: { description: "A redirect (Location)" },
      303: { description: "A redirect (Location)" },
      400: htmlPage("An error page"),
    },
    auth: "none",
    refuseCrossSite: true,
    body: formFields,
    bodyFormat: "form",
    handler: async ({ request, body, log }) => oauthLogout(request, body ?? {}, log),
  }),
);
