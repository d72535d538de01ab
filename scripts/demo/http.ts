// The demo's HTTP client: JSON calls against the running host that fail loudly, with the answer, on any other status.

export class DemoError extends Error {
  override readonly name = "DemoError";
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is already a string (then with the headers given). */
  body?: unknown;
  /** The statuses that count as success (default: any 2xx). */
  expect?: number[];
}

export class DemoClient {
  constructor(readonly baseUrl: string) {}

  async request<T = unknown>(path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    const json = options.body !== undefined && typeof options.body !== "string";
    const response = await fetch(path.startsWith("http") ? path : `${this.baseUrl}${path}`, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers: { ...(json ? { "content-type": "application/json" } : {}), ...options.headers },
      body: json ? JSON.stringify(options.body) : (options.body as string | undefined),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let body: unknown = text;
    if (response.headers.get("content-type")?.includes("json") && text) body = JSON.parse(text) as unknown;
    const ok = options.expect ? options.expect.includes(response.status) : response.ok;
    if (!ok) {
      const method = options.method ?? (options.body === undefined ? "GET" : "POST");
      throw new DemoError(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    }
    return { status: response.status, headers: response.headers, body: body as T, text };
  }
}

/** Polls `read` until `done` holds for its value; fails with the last value after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new DemoError(`gave up waiting for ${what}; last seen: ${JSON.stringify(last).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await read();
  }
  return last;
}
