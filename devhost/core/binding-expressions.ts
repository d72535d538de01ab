// Resolves `%SETTING%` binding expressions from the app settings, as the host does when it indexes functions.

export function resolveBindingExpression(
  value: string,
  where: string,
  env: Record<string, string | undefined> = process.env,
): string {
  return value.replace(/%([^%]+)%/g, (_match, name: string) => {
    const resolved = env[name];
    if (!resolved)
      throw new Error(`${where}: '%${name}%' does not resolve to a value (app setting ${name}).`);
    return resolved;
  });
}
