// Sign-in endpoints (docs/auth.md): login and its second factor, logout, session → token exchange, revocation.
import { app } from "@azure/functions";
import { z } from "zod";
import { exchangeSession, logout, revokeToken } from "../shared/auth/exchange";
import { login } from "../shared/auth/login";
import { completeSecondFactor } from "../shared/mfa/complete-sign-in";
import {
  challengeResponse,
  loginBodySchema,
  loginResponseSchema,
  secondStepBodySchema,
  signedInResponse,
  signedInSchema,
} from "../shared/auth/login-answers";
import { clearedSessionCookie } from "../shared/auth/session";
import { clientIp, userAgentOf } from "../shared/http/client-ip";
import { ID_RULE_MESSAGE, isStorableId } from "../shared/store/ids";
import { issuedTokenSchema } from "../shared/auth/tokens";
import { httpRoute, json, noContent } from "../shared/http/route";

app.http(
  "login",
  httpRoute({
    methods: ["POST"],
    route: "auth/login",
    summary: "Sign in with email and password: sets the hub_session cookie, or asks for the second factor",
    responses: {
      200: {
        description: "The user and org (Set-Cookie: hub_session), or {mfa_required, challenge} and no cookie",
        body: loginResponseSchema,
      },
    },
    errors: [401, 403, 429],
    auth: "none",
    // A forged cross-site sign-in would put the victim in the attacker's account.
    refuseCrossSite: true,
    body: loginBodySchema,
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
      return result.kind === "mfa_required" ? challengeResponse(result) : signedInResponse(result, log);
    },
  }),
);

app.http(
  "loginSecondFactor",
  httpRoute({
    methods: ["POST"],
    route: "auth/login/mfa",
    summary:
      "Second sign-in step: the challenge and a TOTP code or a recovery code; sets the hub_session cookie",
    responses: { 200: { description: "The user and org (Set-Cookie: hub_session)", body: signedInSchema } },
    errors: [401, 403, 410, 429],
    auth: "none",
    refuseCrossSite: true,
    body: secondStepBodySchema,
    handler: async ({ body, request, log }) => {
      const proof = body.code !== undefined ? { code: body.code } : { recovery_code: body.recovery_code! };
      const result = await completeSecondFactor(
        { challenge: body.challenge, proof, ip: clientIp(request), user_agent: userAgentOf(request) },
        log,
      );
      return signedInResponse(result, log);
    },
  }),
);

app.http(
  "logout",
  httpRoute({
    methods: ["POST"],
    route: "auth/logout",
    summary: "End the session of the hub_session cookie (if any)",
    responses: { 204: { description: "Signed out; the cookie is cleared" } },
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
    summary: "Exchange the hub_session cookie for an access token for one audience",
    responses: { 200: { description: "The access token", body: issuedTokenSchema } },
    errors: [401, 403],
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
    summary: "Revoke an access token by jti (admins: any of the org; users: their own)",
    responses: { 204: { description: "Revoked" } },
    errors: [404],
    auth: { audience: "hub" },
    body: z.object({ jti: z.string().min(1).max(100).refine(isStorableId, ID_RULE_MESSAGE) }),
    handler: async ({ body, principal, log }) => {
      await revokeToken(principal!, body.jti);
      log.info("token revoked", { jti: body.jti });
      return noContent();
    },
  }),
);
