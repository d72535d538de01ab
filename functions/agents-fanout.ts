// The agents subscription of The One Bus: each event starts the executions of the agents it matches (docs/events.md).
import { app } from "@azure/functions";
import * as df from "durable-functions";
import { triggeredMessages } from "../shared/bus/trigger-batch";
import { theOneBusTrigger } from "../shared/bus/topology";
import { fanOutBatch } from "../shared/executions/fan-out";
import { Logger } from "../shared/log";

app.serviceBusTopic("agentsFanOut", {
  ...theOneBusTrigger("agents"),
  // Batches (host.json serviceBus.maxMessageBatchSize): one org read, agents view and claims serve many events.
  cardinality: "many",
  extraInputs: [df.input.durableClient()],
  handler: async (messages, context) => {
    const log = new Logger(context, { function: "agentsFanOut" });
    await fanOutBatch(triggeredMessages(messages, context.triggerMetadata), df.getClient(context), log);
  },
});
