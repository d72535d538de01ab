// Service Bus triggers on The One Bus for Hub's own consumers (docs/events.md): revoke sessions, sync PSA agent records.
import { app } from "@azure/functions";
import { theOneBusTrigger } from "../shared/bus/topology";
import { consume } from "../shared/subscribers/consume";
import { psaSyncSubscriber } from "../shared/subscribers/psa-sync";
import { sessionsSubscriber } from "../shared/subscribers/sessions";

app.serviceBusTopic("revokeSessionsOnDeactivation", {
  ...theOneBusTrigger("sessions"),
  handler: (message, context) => consume(sessionsSubscriber, message, context),
});

app.serviceBusTopic("syncPsaAgents", {
  ...theOneBusTrigger("psa-sync"),
  handler: (message, context) => consume(psaSyncSubscriber, message, context),
});
