// The one password rule for every way a person sets a password (docs/auth.md, "Password rules").
import { z } from "zod";
import { AppError } from "../errors";
import { onFirstUse } from "../first-use";
import type { FieldIssue } from "../errors";
import { hashPassword } from "./password";

/** Counted in Unicode code points after NFKC, the form the password is hashed in (shared/auth/password.ts). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * A local part shorter than this is not checked: forbidding every password that contains "al" (al@…) would refuse
 * good passphrases without making any guess harder.
 */
const MIN_CHECKED_LOCAL_PART = 3;

export const PASSWORD_RULE_MESSAGES = {
  tooShort: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
  tooLong: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
  common: "is one of the most common passwords: choose one that is harder to guess",
  containsEmail: "must not contain the part of your email address before the @",
} as const;

/**
 * The common-password list zxcvbn-ts ships as data (`@zxcvbn-ts/language-common`, MIT: ~49,000 passwords ranked by
 * how often they appear in leaked-password corpora), lower-cased. Loaded on first use (about 50 ms), so a cold
 * start that sets no password does not pay for it.
 */
const commonPasswordSet = onFirstUse(() =>
  import("@zxcvbn-ts/language-common").then(
    ({ dictionary }) =>
      new Set(dictionary["passwords-common"].map((entry) => entry.normalize("NFKC").toLowerCase())),
  ),
);

/** The parts of the email's local part a password may not contain: the whole, and the name before a `+tag`. */
function localParts(email: string): string[] {
  const at = email.lastIndexOf("@");
  const local = (at === -1 ? email : email.slice(0, at)).normalize("NFKC").toLowerCase();
  const beforeTag = local.split("+")[0] ?? "";
  return [...new Set([local, beforeTag])].filter((part) => [...part].length >= MIN_CHECKED_LOCAL_PART);
}

/**
 * A password field at the boundary: a bounded string, so no rule ever reads megabytes. The rules need the email, so
 * they run where the password is hashed (`hashAllowedPassword`), whichever way it arrived.
 */
export const passwordFieldSchema = z.string().max(4 * PASSWORD_MAX_LENGTH, PASSWORD_RULE_MESSAGES.tooLong);

/** Every rule `password` breaks as the password of `email`, as messages for people; empty when it may be set. */
export async function passwordProblems(password: string, email: string): Promise<string[]> {
  const normalized = password.normalize("NFKC");
  const length = [...normalized].length;
  if (length < PASSWORD_MIN_LENGTH) return [PASSWORD_RULE_MESSAGES.tooShort];
  if (length > PASSWORD_MAX_LENGTH) return [PASSWORD_RULE_MESSAGES.tooLong];
  const lower = normalized.toLowerCase();
  const problems: string[] = [];
  if ((await commonPasswordSet()).has(lower)) problems.push(PASSWORD_RULE_MESSAGES.common);
  if (localParts(email).some((part) => lower.includes(part)))
    problems.push(PASSWORD_RULE_MESSAGES.containsEmail);
  return problems;
}

/** The 422 issues of a password at `path` (e.g. `owner.password`), for callers that collect issues themselves. */
export async function passwordIssues(password: string, email: string, path: string): Promise<FieldIssue[]> {
  return (await passwordProblems(password, email)).map((message) => ({ path, message }));
}

/** Throws the 422 (`request.invalid`, problem+json `errors[]` naming `path`) when the password breaks a rule. */
export async function assertPasswordAllowed(
  password: string,
  email: string,
  path = "password",
): Promise<void> {
  const errors = await passwordIssues(password, email, path);
  if (errors.length > 0) {
    throw new AppError("request.invalid", "The password does not meet the password rules.", { errors });
  }
}

/** The one way a new password becomes a stored hash: the rules first, then scrypt. */
export async function hashAllowedPassword(
  password: string,
  email: string,
  path = "password",
): Promise<string> {
  await assertPasswordAllowed(password, email, path);
  return hashPassword(password);
}
