// Where a local host (the devhost) plugs its stand-ins for the clock, the bus and the notifier (docs/devhost.md).
// The slot is process-wide, not module-local, because the devhost may run the bundled package (npm run package):
// that bundle carries its own copy of shared/, which must see the stand-ins the devhost's copy installed.
import type { BusPublisher } from "./bus/publisher";
import type { Clock } from "./clock";
import type { Notifier } from "./notify/notification";

export interface LocalHostPorts {
  clock?: Clock;
  busPublisher?: BusPublisher;
  notifier?: Notifier;
}

const SLOT = Symbol.for("hub-agents.local-host-ports");

/** The stand-ins installed so far; empty in Azure, where nothing installs any. */
export function localHostPorts(): LocalHostPorts {
  const holder = globalThis as { [SLOT]?: LocalHostPorts };
  return (holder[SLOT] ??= {});
}
