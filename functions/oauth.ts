// Hub as OpenID Connect provider for the products (docs/sso.md): authorize, token, introspect, userinfo, logout.
import { app } from "@azure/functions";
import { json } from "../shared/http/route";
import { httpRoute } from "../shared/http/route";
import { htmlPage, redirects } from "../shared/http/route-doc";
import { authorize } from "../shared/oauth/authorize";
import { formFields } from "../shared/oauth/form-token";
import { introspect } from "../shared/oauth/introspect";
import { oauthLogout } from "../shared/oauth/logout";
import {
  backChannelErrors,
  introspectionSchema,
  tokenResponseSchema,
  userinfoSchema,
} from "../shared/oauth/response-schemas";
import { tokenGrant } from "../shared/oauth/token-endpoint";
import { userinfo } from "../shared/oauth/userinfo";

const noStore = { "cache-control": "no-store", pragma: "no-cache" };

app.http(
  "oauthAuthorize",
  httpRoute({
    methods: ["GET"],
    route: "oauth/authorize",
    summary: "OAuth 2.0 authorization endpoint (code flow, PKCE S256)",
    responses: {
      ...redirects,
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
      ...backChannelErrors,
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
      ...backChannelErrors,
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
      ...redirects,
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
      ...redirects,
      400: htmlPage("An error page"),
    },
    auth: "none",
    refuseCrossSite: true,
    body: formFields,
    bodyFormat: "form",
    handler: async ({ request, body, log }) => oauthLogout(request, body ?? {}, log),
  }),
);
