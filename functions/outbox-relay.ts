// Timer: relays outbox events the bus did not take at commit time (docs/events.md: nothing is lost when the bus is down).
import { app } from "@azure/functions";
import { relayPendingEvents } from "../shared/events/relay";
import { Logger } from "../shared/log";

app.timer("outboxRelay", {
  schedule: "*/10 * * * * *",
  handler: async (_timer, context) => {
    await relayPendingEvents(new Logger(context, { function: "outboxRelay" }));
  },
});
