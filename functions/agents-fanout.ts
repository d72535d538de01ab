// The agents subscription of The One Bus: each event starts the executions of the agents it matches (docs/events.md).
import { app, trigger } from "@azure/functions";
import * as df from "durable-functions";
import { triggeredMessages } from "../shared/bus/trigger-batch";
import { theOneBusTrigger } from "../shared/bus/topology";
import { fanOutBatch } from "../shared/executions/fan-out";
import { Logger } from "../shared/log";

app.generic("agentsFanOut", {
  trigger: {
    // Batches (host.json serviceBus.maxMessageBatchSize): one org read, agents view and claims serve many events.
    ...trigger.serviceBusTopic({ ...theOneBusTrigger("agents"), cardinality: "many" }),
    // Bodies as text: bound as objects, one body that is not JSON would fail the batch before the handler runs,
    // taking its valid messages to the dead-letter queue with it (docs/devhost.md, "Service Bus batches").
    dataType: "string",
  },
  extraInputs: [df.input.durableClient()],
  handler: async (messages, context) => {
    const log = new Logger(context, { function: "agentsFanOut" });
    await fanOutBatch(triggeredMessages(messages, context.triggerMetadata), df.getClient(context), log);
  },
});
