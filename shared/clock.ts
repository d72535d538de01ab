// The app's clock port: real time in Azure; a local host may move it so tests can cross a 24-hour timer at once.
import { localHostPorts } from "./local-host";

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

const ports = localHostPorts();

/** Called by a local host (the devhost) only. */
export function useClock(clock: Clock): void {
  ports.clock = clock;
}

export const nowMs = (): number => (ports.clock ? ports.clock.now() : Date.now());
export const now = (): Date => new Date(nowMs());
