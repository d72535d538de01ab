// Every app setting the app reads, validated once with zod (docs/configuration.md).
import { z } from "zod";

/** Azure leaves unset app settings as empty strings; treat them as absent. */

/** The One Bus topic when BUS_TOPIC is not set (docs/events.md). */
export const DEFAULT_BUS_TOPIC = "the-one-bus";
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.preprocess((value) => (value === "" || value === undefined ? fallback : value), schema);

const url = z.url({ protocol: /^https?$/ });

/** A comma-separated list setting; empty or unset is the empty list. */
const commaList = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) =>
      typeof value === "string"
        ? value
            .split(",")
            .map((entry) => entry.trim())
            .filter(Boolean)
        : [],
    z.array(item).max(20),
  );

/** An absolute http(s) URI without a fragment: OAuth compares redirect URIs exactly (docs/sso.md). */
const redirectUri = url.refine((value) => !value.includes("#"), "must not carry a fragment");
/** A browser origin: scheme, host and port only. */
const origin = url.refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, "must be an origin (scheme://host[:port], no path)");
const clientSecret = optional(z.string().min(32, "must be at least 32 characters"));

/** The settings that register one product as an OAuth client of Hub (docs/sso.md). */
const productClient = <S extends string>(slug: S) =>
  ({
    [`PRODUCT_${slug}_REDIRECT_URIS`]: commaList(redirectUri),
    [`PRODUCT_${slug}_ORIGINS`]: commaList(origin),
    [`PRODUCT_${slug}_CLIENT_SECRET`]: clientSecret,
  }) as Record<
    `PRODUCT_${S}_REDIRECT_URIS` | `PRODUCT_${S}_ORIGINS`,
    ReturnType<typeof commaList<typeof url>>
  > &
    Record<`PRODUCT_${S}_CLIENT_SECRET`, typeof clientSecret>;

export const settingsSchema = z.object({
  /** Read by the host; Flex Consumption sets the runtime in the site config instead. */
  FUNCTIONS_WORKER_RUNTIME: withDefault(z.literal("node"), "node"),
  /** Read by the host; in Azure it is AzureWebJobsStorage__accountName with the app's identity. */
  AzureWebJobsStorage: optional(z.string()),
  APPLICATIONINSIGHTS_CONNECTION_STRING: optional(z.string()),
  APP_ENV: withDefault(z.enum(["development", "production"]), "development"),
  PUBLIC_BASE_URL: url,
  COSMOS__accountEndpoint: url,
  /** Only for the emulator; in Azure the app authenticates with its managed identity. */
  COSMOS_KEY: optional(z.string()),
  COSMOS_DATABASE: withDefault(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), "hub"),
  TASK_HUB_NAME: withDefault(z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,44}$/), "hubagents"),
  BUS_TOPIC: withDefault(z.string().min(1).max(260), DEFAULT_BUS_TOPIC),
  /** Set in Azure; absent locally, where the devhost bus carries the messages. */
  ServiceBusConnection__fullyQualifiedNamespace: optional(z.string().min(1)),
  PLATFORM_ADMIN_TOKEN: z.string().min(32, "must be at least 32 characters"),
  /** Product APIs that agents and Hub's syncs call (docs/events.md and docs/executions.md); an unset one disables that product's actions. */
  PRODUCT_PSA_BASE_URL: optional(url),
  PRODUCT_DEFEND_BASE_URL: optional(url),
  PRODUCT_PORTAL_BASE_URL: optional(url),
  PRODUCT_JARVIS_BASE_URL: optional(url),
  /** Signs every emailed link, per purpose (shared/links/signed-link.ts); rotating it kills every open link. */
  APPROVAL_LINK_SECRET: z.string().min(32, "must be at least 32 characters"),
  /** Azure Communication Services; without it, notifications go to the devhost outbox. */
  ACS_ENDPOINT: optional(url),
  ACS_EMAIL_SENDER: optional(z.email()),
  /** An E.164 number or short code that ACS may send SMS from. */
  ACS_SMS_FROM: optional(z.string().regex(/^\+?[0-9]{3,15}$/)),
  /** The server secret mixed into every integration key hash (HMAC-SHA-256); rotating it invalidates every key. */
  INTEGRATION_KEY_PEPPER: z.string().min(32, "must be at least 32 characters"),
  /** Lifetime of issued access tokens (docs/auth.md: at most 15 minutes, default 10). */
  HUB_TOKEN_TTL_SECONDS: withDefault(z.coerce.number().int().min(60).max(900), "600"),
  /** Failed sign-ins one client address may make per 15 minutes on one instance (docs/auth.md). */
  HUB_LOGIN_FAILURES_PER_IP: withDefault(z.coerce.number().int().min(1).max(10_000), "50"),
  /** Products as OAuth clients of Hub: exact redirect URIs, CORS origins, back-channel secret (docs/sso.md). */
  ...productClient("PSA"),
  ...productClient("PORTAL"),
  ...productClient("AGENTS"),
  ...productClient("DEFEND"),
  ...productClient("JARVIS"),
  /** Empty: the session cookie is host-only `__Host-hub_session`; set: `hub_session` shared with that domain. */
  HUB_COOKIE_DOMAIN: optional(
    z
      .string()
      .regex(/^\.?([a-z0-9-]+\.)+[a-z]{2,63}$/i, "must be a domain name like example.com")
      .transform((domain) => domain.replace(/^\./, "").toLowerCase()),
  ),
  /**
   * Set in Azure: the Key Vault that holds the token signing keys and the agent service keys' secrets; absent
   * locally, where the store keeps them (docs/deploy.md).
   */
  KEY_VAULT_URL: optional(url),
});

export type Settings = z.infer<typeof settingsSchema>;
export const settingNames = Object.keys(settingsSchema.shape) as (keyof Settings)[];

export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

/**
 * Settings with a local fallback that would be unsafe in Azure: with APP_ENV=production they are required, and
 * start-up stops naming them instead of falling back (docs/configuration.md).
 */
const REQUIRED_IN_PRODUCTION: Partial<Record<keyof Settings, string>> = {
  KEY_VAULT_URL: "without it the private signing key and the agent service keys would be kept in Cosmos",
  ACS_ENDPOINT: "without it no email or SMS could be sent",
  ACS_EMAIL_SENDER: "without it no email could be sent (approval links, notifications)",
};

/** Validates an environment; the message names every bad setting and never echoes a value. */
export function parseSettings(env: Record<string, string | undefined>): Settings {
  const result = settingsSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "?");
      const reason =
        env[name] === undefined || env[name] === "" ? "is missing" : `is invalid (${issue.message})`;
      return `${name} ${reason}`;
    });
    throw new SettingsError(`Invalid app settings: ${problems.join("; ")}`);
  }
  if (result.data.APP_ENV === "production") {
    const missing = Object.entries(REQUIRED_IN_PRODUCTION)
      .filter(([name]) => result.data[name as keyof Settings] === undefined)
      .map(([name, why]) => `${name} is missing (required with APP_ENV=production: ${why})`);
    if (missing.length > 0) throw new SettingsError(`Invalid app settings: ${missing.join("; ")}`);
  }
  return result.data;
}

let cached: Settings | undefined;

/** The app's settings, read from the environment on first use. */
export function settings(): Settings {
  cached ??= parseSettings(process.env);
  return cached;
}
