// Every provisioned container holds something: a repository writes it, and the outbox relay scans only containers
// whose changes commit events (infra/app/cosmos.bicep creates exactly shared/store/containers.ts: infra.test.ts).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OUTBOX_CONTAINERS } from "../../shared/events/outbox";
import { CONTAINERS } from "../../shared/store/containers";

const SHARED = join(__dirname, "../../shared");
const sources = (readdirSync(SHARED, { recursive: true }) as string[])
  .filter((file) => file.endsWith(".ts"))
  .map((file) => readFileSync(join(SHARED, file), "utf8"));
const named = (pattern: RegExp) =>
  [...new Set(sources.flatMap((text) => [...text.matchAll(pattern)].map((match) => match[1]!)))].sort();

describe("containers", () => {
  it("the relay scans exactly the containers that changes commit events to", () => {
    expect([...OUTBOX_CONTAINERS].sort()).toEqual(named(/commitWithEvents\(\s*"([a-z]+)"/g));
  });

  it("every provisioned container is written: by a repository, or by commitWithEvents for the relay", () => {
    const written = new Set([...named(/TenantRepository<[^>]*>\(\s*"([a-z]+)"/g), ...OUTBOX_CONTAINERS]);
    expect([...written].sort()).toEqual(Object.keys(CONTAINERS).sort());
  });
});
