// The devhost's clock: real time plus an offset that tests can move forward; listeners learn of every move.
import type { Clock } from "../shared/clock";

export class MovableClock implements Clock {
  private offsetMs = 0;
  private readonly listeners = new Set<() => void>();

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves time forward; due timers fire right after. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error("The clock only moves forward.");
    this.offsetMs += ms;
    for (const listener of this.listeners) listener();
  }

  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
