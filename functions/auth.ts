// Sign-in endpoints (docs/auth.md): login, logout, session → token exchange, revocation.
import { app } from "@azure/functions";
import { z } from "zod";
import { exchangeSession, logout, revokeToken } from "../shared/auth/exchange";
import { login } from "../shared/auth/login";
import { clearedSessionCookie, sessionCookie } from "../shared/auth/session";
import { clientIp, userAgentOf } from "../shared/http/client-ip";
import { ID_RULE_MESSAGE, isStorableId } from "../shared/store/ids";
import { httpRoute, json, noContent } from "../shared/http/route";
import { publicOrg, publicUser } from "../shared/identity/model";

app.http(
  "login",
  httpRoute({
    methods: ["POST"],
    route: "auth/login",
    auth: "none",
    // A forged cross-site sign-in would put the victim in the attacker's account.
    refuseCrossSite: true,
    body: z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(1024) }),
    handler: async ({ body, request, log }) => {
      const result = await login(
        {
          email: body.email,
          password: body.password,
          ip: clientIp(request),
          user_agent: userAgentOf(request),
        },
        log,
      );
      log.info("signed in", { org_id: result.org.org_id, user_id: result.user.user_id });
      return {
        ...json(
          200,
          { user: publicUser(result.user), org: publicOrg(result.org) },
          { "cache-control": "no-store" },
        ),
        cookies: [sessionCookie(result.cookieValue)],
      };
    },
  }),
);

app.http(
  "logout",
  httpRoute({
    methods: ["POST"],
    route: "auth/logout",
    auth: "none",
    refuseCrossSite: true,
    handler: async ({ request, log }) => {
      const ended = await logout(request, log);
      if (ended) log.info("signed out", { org_id: ended.org_id, user_id: ended.user_id });
      return { ...noContent(), cookies: [clearedSessionCookie()] };
    },
  }),
);

app.http(
  "exchangeToken",
  httpRoute({
    methods: ["POST"],
    route: "auth/token",
    auth: "none",
    refuseCrossSite: true,
    body: z.object({ audience: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, "must be a product slug") }),
    handler: async ({ body, request }) =>
      json(200, await exchangeSession(request, body.audience), {
        "cache-control": "no-store",
        pragma: "no-cache",
      }),
  }),
);

app.http(
  "revokeToken",
  httpRoute({
    methods: ["POST"],
    route: "auth/revoke",
    auth: { audience: "hub" },
    body: z.object({ jti: z.string().min(1).max(100).refine(isStorableId, ID_RULE_MESSAGE) }),
    handler: async ({ body, principal, log }) => {
      await revokeToken(principal!, body.jti);
      log.info("token revoked", { jti: body.jti });
      return noContent();
    },
  }),
);
