// The agents subscription of The One Bus: each event starts the executions of the agents it matches (docs/events.md).
import { app } from "@azure/functions";
import * as df from "durable-functions";
import { theOneBusTrigger } from "../shared/bus/topology";
import { fanOutEvent } from "../shared/executions/fan-out";
import { Logger } from "../shared/log";

app.serviceBusTopic("agentsFanOut", {
  ...theOneBusTrigger("agents"),
  extraInputs: [df.input.durableClient()],
  handler: async (message, context) => {
    const log = new Logger(context, {
      function: "agentsFanOut",
      message_id: context.triggerMetadata?.messageId,
    });
    await fanOutEvent(message, df.getClient(context), log);
  },
});
