// Hub as OpenID Connect provider for the products (docs/sso.md): sign-in page, authorize, token, introspect, userinfo, logout.
import { app } from "@azure/functions";
import { z } from "zod";
import { json } from "../shared/http/route";
import { httpRoute } from "../shared/http/route";
import { authorize } from "../shared/oauth/authorize";
import { introspect } from "../shared/oauth/introspect";
import { oauthLogout } from "../shared/oauth/logout";
import { showSignIn, submitSignIn } from "../shared/oauth/signin";
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
    auth: "none",
    handler: async ({ request }) => showSignIn(request),
  }),
);

app.http(
  "signInSubmit",
  httpRoute({
    methods: ["POST"],
    route: "signin",
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
    auth: "none",
    handler: async ({ request, log }) => authorize(request, log),
  }),
);

app.http(
  "oauthToken",
  httpRoute({
    methods: ["POST"],
    route: "oauth/token",
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
    auth: "none",
    handler: async ({ request }) => json(200, await userinfo(request), noStore),
  }),
);

app.http(
  "oauthLogout",
  httpRoute({
    methods: ["GET"],
    route: "oauth/logout",
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
    auth: "none",
    refuseCrossSite: true,
    body: formFields,
    bodyFormat: "form",
    handler: async ({ request, body, log }) => oauthLogout(request, body ?? {}, log),
  }),
);
