// The Cosmos emulator in a process of its own for `npm run load`: in Azure the database is not in the app's memory,
// so the devhost's RSS then measures the host and the app, and the stored documents grow here instead.
import { startEmbeddedCosmos } from "../devhost/services/cosmos";

startEmbeddedCosmos().then(
  (cosmos) => {
    // The parent reads this one line, then the process serves until it is told to stop.
    process.stdout.write(`${JSON.stringify({ endpoint: cosmos.endpoint, key: cosmos.key })}\n`);
    process.once("SIGTERM", () => void cosmos.close().finally(() => process.exit(0)));
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
