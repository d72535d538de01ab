// Agents rows: authenticated GET /api/agents/{id} vs a raw SDK point read, and Cosmos requests per operation.
import { Agent as HttpAgent, request } from "node:http";
import { rawContainer } from "../../test/support/raw-container";
import type { BenchRow, Measured } from "../harness";
import { compare, measure, roundSpread } from "../harness";
import type { BenchRowsFn } from "./index";

const keepAlive = new HttpAgent({ keepAlive: true, maxSockets: 8 });

/** One HTTP call on a kept-alive socket; resolves with the status and body. */
function call(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const outgoing = request(
      url,
      {
        method,
        agent: keepAlive,
        headers: { ...headers, ...(payload ? { "content-type": "application/json" } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

async function expectJson(
  pending: ReturnType<typeof call>,
  status: number,
): Promise<{ body: Record<string, unknown>; headers: Record<string, unknown> }> {
  const answer = await pending;
  if (answer.status !== status)
    throw new Error(`bench setup: expected ${status}, got ${answer.status}: ${answer.body}`);
  return {
    body: answer.body ? (JSON.parse(answer.body) as Record<string, unknown>) : {},
    headers: answer.headers,
  };
}

/**
 * Measures two operations in alternating short slices, so that a change in the machine's load (other work on
 * a shared machine) weighs on both sides alike instead of on whichever ran second. Each round's own ratio is
 * kept too: their spread shows how steady the figure is within one run.
 */
async function measurePair(
  subject: [string, () => Promise<unknown>],
  baseline: [string, () => Promise<unknown>],
  { rounds = 10, ms = 300 }: { rounds?: number; ms?: number } = {},
): Promise<{ subject: Measured; baseline: Measured; roundRatios: number[] }> {
  const totals = [0, 0];
  const roundRatios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const pair = [subject, baseline] as const;
    const slices: number[] = [];
    for (const [index, [label, operation]] of pair.entries()) {
      const slice = await measure(label, operation, { ms, warmup: round === 0 ? 1_500 : 5 });
      totals[index]! += slice.opsPerSec / rounds;
      slices.push(slice.opsPerSec);
    }
    roundRatios.push(slices[0]! / slices[1]!);
  }
  return {
    subject: { label: subject[0], opsPerSec: totals[0]! },
    baseline: { label: baseline[0], opsPerSec: totals[1]! },
    roundRatios,
  };
}

/** A row whose figure is a count of Cosmos requests, printed against the count we hold ourselves to. */
function requestCountRow(name: string, counted: number, goal: number, note: string): BenchRow {
  const subject: Measured = { label: "Cosmos requests", opsPerSec: counted };
  const baseline: Measured = { label: "goal", opsPerSec: goal };
  return {
    name,
    subject,
    baseline,
    ratio: goal === 0 ? (counted === 0 ? 1 : Infinity) : counted / goal,
    goal: `= ${goal}`,
    note,
  };
}

const rows: BenchRowsFn = async (host) => {
  const base = host.url;
  const email = `bench-owner-${Date.now()}@example.com`;
  const password = "bench-password-0123456789";
  const org = await expectJson(
    call(
      `${base}/api/orgs`,
      "POST",
      { authorization: `Bearer ${process.env.PLATFORM_ADMIN_TOKEN}` },
      {
        slug: `bench-${Date.now()}`,
        name: "Bench",
        entitlements: ["agents", "psa"],
        owner: { email, password, firstName: "Bench", lastName: "Owner" },
      },
    ),
    201,
  );
  const orgId = (org.body.org as { id: string }).id;
  const loggedIn = await call(`${base}/api/auth/login`, "POST", {}, { email, password });
  const cookie = String((loggedIn.headers["set-cookie"] as string[])[0]).split(";")[0]!;
  const token = await expectJson(
    call(`${base}/api/auth/token`, "POST", { cookie }, { audience: "agents" }),
    200,
  );
  const auth = { authorization: `Bearer ${token.body.access_token as string}` };
  const created = await expectJson(
    call(`${base}/api/agents`, "POST", auth, {
      name: "Bench agent",
      trigger: { event_type: "hub.iam.user_created" },
      steps: [
        { id: "t", type: "product_action", product: "psa", action: "create_ticket", params: { title: "x" } },
      ],
    }),
    201,
  );
  const agentId = created.body.id as string;
  for (let i = 0; i < 30; i++)
    await expectJson(call(`${base}/api/agents`, "POST", auth, { ...created.body, name: `Bench ${i}` }), 201);

  const raw = rawContainer(host, "agents");

  const getAgent = async () => {
    const answer = await call(`${base}/api/agents/${agentId}`, "GET", auth);
    if (answer.status !== 200) throw new Error(`GET answered ${answer.status}`);
  };
  const pair = await measurePair(
    ["devhost GET /api/agents/{id} (Bearer)", getAgent],
    ["raw SDK item().read()", () => raw.item(agentId, orgId).read()],
  );

  const count = async (operation: () => Promise<unknown>) => {
    await operation();
    const before = host.cosmos!.requestCount;
    await operation();
    return host.cosmos!.requestCount - before;
  };
  const get = await count(getAgent);
  const getSystem = await count(() => call(`${base}/api/agents/sys-onboard-new-user`, "GET", auth));
  const authOnly = await count(() => call(`${base}/api/agents/not-an-agent-id`, "GET", auth));
  const firstPage = await count(() => call(`${base}/api/agents?limit=10`, "GET", auth));
  const first = await expectJson(call(`${base}/api/agents?limit=10`, "GET", auth), 200);
  const nextUrl = `${base}/api/agents?limit=10&continuation=${encodeURIComponent(first.body.continuation as string)}`;
  const laterPage = await count(() => call(nextUrl, "GET", auth));

  return [
    {
      ...compare("authenticated GET /api/agents/{id} vs raw SDK point read", pair.subject, pair.baseline),
      goal: "≥ 0.5×",
      note: roundSpread(pair.roundRatios),
    },
    requestCountRow("Cosmos requests: GET /api/agents/{id}, warm", get, 1, "one point read"),
    requestCountRow(
      "Cosmos requests: GET a system agent, warm",
      getSystem,
      1,
      "the org's settings (its state)",
    ),
    requestCountRow("Cosmos requests: auth alone, warm (404 id)", authOnly, 0, "token checks cached ≤ 4 s"),
    requestCountRow(
      "Cosmos requests: GET /api/agents first page",
      firstPage,
      3,
      "settings point read ∥ one query page, + the query plan @azure/cosmos 4.x fetches beside every query",
    ),
    requestCountRow(
      "Cosmos requests: GET /api/agents later page",
      laterPage,
      2,
      "one query page + its query plan",
    ),
  ];
};

export default rows;
