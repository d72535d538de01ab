// The devhost's Service Bus: feeds the app's Service Bus triggers from an in-process bus and publishes the app's events.
import { toBusMessage } from "../../shared/bus/message";
import { useLocalBusPublisher } from "../../shared/bus/publisher";
import { AppError } from "../../shared/errors";
import type { TopicTopology } from "../../shared/bus/topology";
import { sqlFilter, theOneBus } from "../../shared/bus/topology";
import type { CloudEvent } from "../../shared/events/cloud-event";
import { resolveBindingExpression } from "../core/binding-expressions";
import { invokeFunction } from "../core/invoke";
import type { RegisteredFunction } from "../core/registry";
import type { DevHostExtension, ExtensionContext } from "../extension";
import { readHostJson } from "../load-app";
import type { ReleaseOptions } from "./local-bus";
import { LocalBus, MessageRefusedError, refusalOf } from "./local-bus";
import type { BusMessage, DeadLetter, MessageFields } from "./message";
import { batchDataType } from "./batch-bodies";
import { serviceBusBatchInvocation } from "./batch-request";
import { batchReceive, singleMessageReceive } from "./receive-options";
import { busRoutes } from "./routes";
import type { ServiceBusOptions } from "./service-bus-options";
import { serviceBusOptions } from "./service-bus-options";
import { serviceBusInvocation } from "./trigger-request";

/** What tests get as `host.services.bus`. */
export interface BusHandle {
  /** The One Bus topic's name (BUS_TOPIC). */
  readonly topic: string;
  /** Sends a CloudEvent as the app's publisher would (messageId, subject, contentType, type/org_id properties). */
  publish(topic: string, event: CloudEvent): BusMessage;
  /** Sends a message with any body and properties (e.g. an envelope that is not a CloudEvent). */
  send(entity: string, fields: MessageFields): BusMessage;
  published(): BusMessage[];
  deadLetters(): DeadLetter[];
  idle(): Promise<void>;
  /** Until recover(), every publish rejects with `bus.unavailable`, as Service Bus down would make it. */
  simulateOutage(): void;
  recover(): void;
  pause(): void;
  release(options?: ReleaseOptions): void;
  topology(): { entity: string; subscription?: string; filter: string; functions: string[] }[];
}

interface ServiceBusBinding {
  topicName?: string;
  subscriptionName?: string;
  queueName?: string;
  cardinality?: "one" | "many";
  dataType?: string;
  isSessionsEnabled?: boolean;
}

function attachTrigger(bus: LocalBus, fn: RegisteredFunction, options: ServiceBusOptions): void {
  const name = fn.metadata.name;
  const binding = fn.trigger.binding as ServiceBusBinding;
  const where = `Function "${name}"`;
  if (binding.isSessionsEnabled)
    throw new Error(`${where}: the devhost does not emulate Service Bus sessions (isSessionsEnabled).`);
  const subscription = binding.queueName
    ? bus.addQueue(resolveBindingExpression(binding.queueName, where))
    : bus.subscription(
        resolveBindingExpression(binding.topicName ?? "", where),
        resolveBindingExpression(binding.subscriptionName ?? "", where),
      );
  const many = binding.cardinality === "many";
  const dataType = many ? batchDataType(binding.dataType, where) : "object";
  subscription.attach({
    functionName: name,
    receive: many ? batchReceive(options) : singleMessageReceive(options),
    deliver: async (deliveries) => {
      await invokeFunction(
        name,
        many
          ? serviceBusBatchInvocation(fn.trigger.name, name, deliveries, dataType)
          : serviceBusInvocation(fn.trigger.name, name, deliveries[0]!),
      );
    },
  });
}

function createHandle(bus: LocalBus, topic: string): BusHandle {
  return {
    topic,
    publish: (entity, event) => bus.send(entity, toBusMessage(event)),
    send: (entity, fields) => bus.send(entity, fields),
    published: () => bus.published(),
    deadLetters: () => bus.deadLetters(),
    idle: () => bus.idle(),
    simulateOutage: () => bus.simulateOutage(),
    recover: () => bus.recover(),
    pause: () => bus.pause(),
    release: (options) => bus.release(options),
    topology: () =>
      bus.subscriptions().map((s) => ({
        entity: s.entity,
        subscription: s.name,
        filter: sqlFilter(s.filter),
        functions: s.consumers.map((c) => c.functionName),
      })),
  };
}

export function busExtension(): DevHostExtension<BusHandle> {
  let bus: LocalBus | undefined;
  let options: ServiceBusOptions | undefined;
  let topic = "";
  return {
    name: "bus",
    // The app may publish as soon as it loads, so the bus and The One Bus's subscriptions exist before it does.
    beforeLoad(context: ExtensionContext) {
      options = serviceBusOptions(readHostJson(context.appRoot));
      // Handler failures are part of the tests' plot; only `npm start` (printLogs) shows them.
      const print = context.options.printLogs ? context.print : () => undefined;
      const created = new LocalBus(context.clock, {
        onFailure: (functionName, { message, deliveryCount }, error) =>
          print(
            `[devhost] bus: ${functionName} failed on message ${message.messageId} (delivery ${deliveryCount}): ${String(error)}`,
          ),
        onDeadLetter: (dead) =>
          print(
            `[devhost] bus: dead-lettered message ${dead.message.messageId} on ${dead.entity}` +
              `${dead.subscription ? `/${dead.subscription}` : ""} after ${dead.deliveryCount} deliveries`,
          ),
      });
      const topologies: TopicTopology[] = [theOneBus, ...(context.options.busTopologies ?? [])];
      for (const { topic: expression, subscriptions } of topologies) {
        const name = resolveBindingExpression(expression, "Bus topology");
        created.addTopic(name);
        for (const spec of subscriptions) created.subscription(name, spec.name, spec.filter);
      }
      topic = resolveBindingExpression(theOneBus.topic, "Bus topology");
      useLocalBusPublisher({
        // As the Service Bus adapter: nothing is sent when one message cannot be, and the refusal is bus.unavailable.
        publish: async (events) => {
          const messages = events.map(toBusMessage);
          const refusal = messages.map(refusalOf).find((reason) => reason !== undefined);
          if (refusal)
            throw new AppError("bus.unavailable", "The bus did not take the events.", {
              retryAfter: 5,
              cause: new MessageRefusedError(refusal),
            });
          for (const message of messages) created.send(topic, message);
        },
      });
      bus = created;
    },
    async start(context: ExtensionContext) {
      if (!bus || !options) throw new Error("The bus extension starts after beforeLoad.");
      for (const fn of context.registry.byTriggerType("serviceBusTrigger")) attachTrigger(bus, fn, options);
      for (const subscription of bus.subscriptions()) subscription.pump();
      const handle = createHandle(bus, topic);
      context.addRoute(busRoutes(handle));
      return handle;
    },
    async stop() {
      await bus?.stop();
    },
  };
}
