// The bus publisher port: Service Bus in Azure, the devhost's in-process bus locally.
import type { CloudEvent } from "../events/cloud-event";

export interface BusPublisher {
  /** Publishes to The One Bus topic; rejects (AppError `bus.unavailable`) when the bus cannot take them. */
  publish(events: CloudEvent[]): Promise<void>;
}

let localPublisher: BusPublisher | undefined;

/** Called by a local host (the devhost) that carries the bus in process; never by app code. */
export function useLocalBusPublisher(publisher: BusPublisher): void {
  localPublisher = publisher;
}

/** The publisher for this process. The Service Bus adapter arrives with the devhost-runtime issue. */
export function busPublisher(): BusPublisher {
  if (localPublisher) return localPublisher;
  throw new Error("No bus publisher is configured.");
}
