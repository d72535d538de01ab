// The bus publisher port: Service Bus in Azure, the devhost's in-process bus locally.
import { settings } from "../config";
import type { CloudEvent } from "../events/cloud-event";
import { localHostPorts } from "../local-host";
import { connectServiceBus } from "./service-bus-publisher";

export interface BusPublisher {
  /** Publishes to The One Bus topic; rejects (AppError `bus.unavailable`) when the bus cannot take them. */
  publish(events: CloudEvent[]): Promise<void>;
}

let serviceBus: BusPublisher | undefined;

/** Called by a local host (the devhost) that carries the bus in process; never by app code. */
export function useLocalBusPublisher(publisher: BusPublisher): void {
  localHostPorts().busPublisher = publisher;
}

/** Service Bus when a namespace is configured (one client per process), else the local host's bus. */
export function busPublisher(): BusPublisher {
  const { ServiceBusConnection__fullyQualifiedNamespace: namespace, BUS_TOPIC } = settings();
  if (namespace) return (serviceBus ??= connectServiceBus(namespace, BUS_TOPIC));
  const localPublisher = localHostPorts().busPublisher;
  if (localPublisher) return localPublisher;
  throw new Error(
    "No bus publisher: set ServiceBusConnection__fullyQualifiedNamespace, or run under the devhost.",
  );
}
