// `npm run package` builds a self-contained bundle, and the devhost runs that bundle as Azure would run it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost } from "../support/devhost";
import { accessToken, bearer, createOrg, login } from "../support/identity";
import { enrolTotp } from "../support/mfa";

const root = resolve(__dirname, "../..");

describe("the deployment package", () => {
  const packageDir = mkdtempSync(join(tmpdir(), "hub-package-"));
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, "scripts/package.mjs"), packageDir], { stdio: "pipe" });
    host = await bootDevHost({ appRoot: packageDir });
  }, 120_000);
  afterAll(async () => {
    await host?.stop();
    rmSync(packageDir, { recursive: true, force: true });
  });

  it("ships one bundle with its source map, the SDKs loaded on first use beside it, and no node_modules", () => {
    const files = readdirSync(packageDir).sort();
    expect(files).toEqual(
      expect.arrayContaining([".funcignore", "app.js", "app.js.map", "host.json", "lazy", "package.json"]),
    );
    expect(existsSync(join(packageDir, "node_modules"))).toBe(false);
    expect(files.filter((file) => file.endsWith(".js"))).toEqual(["app.js"]);
    expect(readdirSync(join(packageDir, "lazy")).filter((file) => file.endsWith(".js"))).toEqual([
      "azure-communication-email.js",
      "azure-communication-sms.js",
      "azure-identity.js",
      "azure-service-bus.js",
      "qrcode.js",
      "zxcvbn-ts-language-common.js",
    ]);
  });

  it("loads each first-use SDK from its own bundle, with the export the app takes from it", () => {
    const exported = JSON.parse(
      execFileSync(process.execPath, [
        "-e",
        `const lazy = ${JSON.stringify(join(packageDir, "lazy"))};
        const names = { "azure-communication-email": "EmailClient", "azure-communication-sms": "SmsClient",
          "azure-identity": "DefaultAzureCredential", "azure-service-bus": "ServiceBusClient",
          "qrcode": "toString", "zxcvbn-ts-language-common": "dictionary" };
        const found = {};
        for (const [file, name] of Object.entries(names)) found[file] = typeof require(lazy + "/" + file + ".js")[name];
        console.log(JSON.stringify(found));`,
      ]).toString(),
    ) as Record<string, string>;
    expect(exported).toEqual({
      "azure-communication-email": "function",
      "azure-communication-sms": "function",
      "azure-identity": "function",
      "azure-service-bus": "function",
      qrcode: "function",
      "zxcvbn-ts-language-common": "object",
    });
  });

  it("is what the devhost loaded, not dist/functions", () => {
    const cache = createRequire(__filename).cache;
    expect(cache[join(packageDir, "app.js")]).toBeDefined();
    const fromDist = Object.keys(cache).filter((file) => file.startsWith(join(root, "dist/functions")));
    expect(fromDist).toEqual([]);
  });

  it("answers health and an authenticated request", async () => {
    const health = await host.fetch("/api/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });

    const org = await createOrg(host);
    const session = await login(host, org.owner.email, org.owner.password);
    const token = await accessToken(host, session, "agents");
    const agents = await host.fetch("/api/agents", { headers: bearer(token) });
    expect(agents.status).toBe(200);
    const unauthenticated = await host.fetch("/api/agents");
    expect(unauthenticated.status).toBe(401);
  });

  it("loads a first-use SDK when a request needs it: the QR code of an authenticator enrolment", async () => {
    const org = await createOrg(host);
    const session = await login(host, org.owner.email, org.owner.password);
    const cache = createRequire(__filename).cache;
    const enrolled = await enrolTotp(host, session);
    expect(enrolled.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(cache[join(packageDir, "lazy", "qrcode.js")]).toBeDefined();
  });
});
