// Every bench row, in print order; each issue adds its own module here.
import type { BenchRow } from "../harness";
import type { BenchHost } from "../run";

export type BenchRowsFn = (host: BenchHost) => Promise<BenchRow[]>;

export const benchRows: { name: string; load: () => Promise<BenchRowsFn> }[] = [
  { name: "foundation", load: async () => (await import("./foundation")).default },
  { name: "auth", load: async () => (await import("./auth")).default },
  { name: "oauth", load: async () => (await import("./oauth")).default },
  { name: "bus", load: async () => (await import("./bus")).busRows },
  { name: "durable", load: async () => (await import("./durable")).default },
  { name: "agents", load: async () => (await import("./agents")).default },
  { name: "executions", load: async () => (await import("./executions")).default },
  { name: "package", load: async () => (await import("./package")).default },
];
