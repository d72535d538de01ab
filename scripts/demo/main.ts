// `npm run demo`: runs the README walkthrough against a running `npm start`, printing each step and its result.
import { DemoClient } from "./http";
import { walkthrough } from "./walkthrough";

/** DEMO_BASE_URL (default http://localhost:$DEVHOST_PORT, else :7071); the owner `npm start` seeded and printed. */
function options() {
  const baseUrl = (
    process.argv[2] ??
    process.env.DEMO_BASE_URL ??
    `http://localhost:${process.env.DEVHOST_PORT ?? "7071"}`
  ).replace(/\/+$/, "");
  return {
    baseUrl,
    ownerEmail: process.env.HUB_SEED_OWNER_EMAIL || "owner@demo.example.com",
    ownerPassword: process.env.HUB_SEED_OWNER_PASSWORD || "sunrise-over-the-hub",
  };
}

function causeOf(cause: unknown): string {
  const { code, errors } = cause as { code?: string; errors?: unknown[] };
  if (code) return code;
  if (Array.isArray(errors) && errors.length > 0) return causeOf(errors[0]);
  return String(cause);
}

async function main(): Promise<number> {
  const { baseUrl, ...owner } = options();
  console.log(`The README walkthrough against ${baseUrl}\n`);
  const steps = walkthrough(new DemoClient(baseUrl), owner);
  for (const [index, step] of steps.entries()) {
    const label = `${index + 1}/${steps.length} ${step.title}`;
    const started = Date.now();
    try {
      const result = await step.run();
      console.log(`✓ ${label}\n    ${result} (${Date.now() - started} ms)`);
    } catch (error) {
      console.log(`✗ ${label}\n    ${error instanceof Error ? error.message : String(error)}`);
      // fetch's own failure (nothing listening, DNS…) says only "fetch failed"; the reason is in its cause.
      if (error instanceof TypeError && error.cause !== undefined)
        console.log(
          `    Could not reach ${baseUrl} (${causeOf(error.cause)}): is \`npm start\` running there?`,
        );
      return 1;
    }
  }
  console.log(`\nAll ${steps.length} steps succeeded.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
