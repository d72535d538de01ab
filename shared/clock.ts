// The app's clock port: real time in Azure; a local host may move it so tests can cross a 24-hour timer at once.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

const systemClock: Clock = { now: () => Date.now() };
let current: Clock = systemClock;

/** Called by a local host (the devhost) only. */
export function useClock(clock: Clock): void {
  current = clock;
}

export const nowMs = (): number => current.now();
export const now = (): Date => new Date(current.now());
