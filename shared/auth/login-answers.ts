// What the sign-in routes take and answer (docs/auth.md, "Sign-in"): the bodies of both steps, the signed-in answer
// with its session cookie, and the second-factor challenge.
import { z } from "zod";
import type { Logger } from "../log";
import { json } from "../http/route";
import { publicOrg, publicOrgSchema, publicUser, publicUserSchema } from "../identity/model";
import { CODE_PATTERN } from "../mfa/totp";
import type { SecondFactorRequired, SignedIn } from "./login";
import { sessionCookie } from "./session";

export const loginBodySchema = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});

/** The second step: the challenge and exactly one proof, a TOTP code or a recovery code. */
export const secondStepBodySchema = z
  .object({
    challenge: z.string().min(1).max(200),
    code: z.string().regex(CODE_PATTERN, "must be 6 digits").optional(),
    recovery_code: z.string().min(1).max(32).optional(),
  })
  .refine((body) => (body.code === undefined) !== (body.recovery_code === undefined), {
    message: "give either code or recovery_code",
    path: ["code"],
  });

export const signedInSchema = z.object({ user: publicUserSchema, org: publicOrgSchema });
export const challengeSchema = z.object({
  mfa_required: z.literal(true),
  challenge: z.string().describe("For POST /api/auth/login/mfa; 5 minutes, single use"),
});
export const loginResponseSchema = z.union([signedInSchema, challengeSchema]);

/** The signed-in answer of both sign-in steps: the user and org, and the session cookie. */
export function signedInResponse(result: SignedIn, log: Logger) {
  log.info("signed in", { org_id: result.org.org_id, user_id: result.user.user_id });
  return {
    ...json(
      200,
      { user: publicUser(result.user), org: publicOrg(result.org) },
      { "cache-control": "no-store" },
    ),
    cookies: [sessionCookie(result.cookieValue)],
  };
}

/** The first step's answer when the user has a second factor: a challenge, and no cookie yet. */
export const challengeResponse = ({ challenge }: SecondFactorRequired) =>
  json(200, { mfa_required: true, challenge }, { "cache-control": "no-store" });
