// With APP_ENV=production the app refuses to start without the settings whose local fallback would be unsafe.
import { describe, expect, it } from "vitest";
import { bootDevHost } from "../support/devhost";

const production = {
  APP_ENV: "production",
  KEY_VAULT_URL: "https://vault.example.net/",
  ACS_ENDPOINT: "https://acs.example.net/",
  ACS_EMAIL_SENDER: "donotreply@example.net",
};

describe("production settings", () => {
  it.each([
    [
      "KEY_VAULT_URL",
      /KEY_VAULT_URL is missing \(required with APP_ENV=production: without it the private signing key and the agent service keys would be kept in Cosmos\)/,
    ],
    ["ACS_EMAIL_SENDER", /ACS_EMAIL_SENDER is missing \(required with APP_ENV=production/],
    ["ACS_ENDPOINT", /ACS_ENDPOINT is missing \(required with APP_ENV=production/],
  ])("stops start-up without %s, naming it", async (name, message) => {
    await expect(bootDevHost({ settings: { ...production, [name]: "" } })).rejects.toThrow(message);
  });
});
