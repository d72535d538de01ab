// Placeholder for the password rules of shared/auth/password-policy.ts (docs/auth.md), until that module lands.

/** The problem with a new password, said to its owner, or null. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < 12 || password.length > 128) return "The password must be 12 to 128 characters long.";
  const local = email.split("@")[0]!.toLowerCase();
  if (local.length >= 3 && password.toLowerCase().includes(local))
    return "The password must not contain the name part of your email address.";
  return null;
}
