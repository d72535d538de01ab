// Durable timers on the devhost's clock: due timers fire at once when a test moves the clock, others in real time.
import type { MovableClock } from "../clock";

interface PendingTimer {
  fireAtMs: number;
  fire: () => void;
}

/** Node's setTimeout cannot wait longer than this. */
const MAX_WAIT_MS = 2 ** 31 - 1;

export class TimerQueue {
  private readonly pending = new Set<PendingTimer>();
  private wakeUp: NodeJS.Timeout | undefined;
  private readonly stopListening: () => void;

  constructor(private readonly clock: MovableClock) {
    this.stopListening = clock.onAdvance(() => this.fireDue());
  }

  /** Calls `fire` once the clock reaches `fireAtMs`; the returned function cancels it. */
  schedule(fireAtMs: number, fire: () => void): () => void {
    const timer = { fireAtMs, fire };
    this.pending.add(timer);
    // Never fires inside schedule(): a due timer fires on the next turn, after its caller has recorded it.
    this.arm();
    return () => {
      this.pending.delete(timer);
    };
  }

  /** A timer is due but has not fired yet (it fires on the next turn). */
  hasDue(): boolean {
    const now = this.clock.now();
    return [...this.pending].some((timer) => timer.fireAtMs <= now);
  }

  stop(): void {
    this.stopListening();
    clearTimeout(this.wakeUp);
    this.pending.clear();
  }

  private fireDue(): void {
    const now = this.clock.now();
    const due = [...this.pending].filter((timer) => timer.fireAtMs <= now);
    due.sort((a, b) => a.fireAtMs - b.fireAtMs);
    for (const timer of due) {
      this.pending.delete(timer);
      timer.fire();
    }
    this.arm();
  }

  /** One real-time wake-up for the earliest timer, so timers also fire when nobody moves the clock. */
  private arm(): void {
    clearTimeout(this.wakeUp);
    this.wakeUp = undefined;
    if (this.pending.size === 0) return;
    const earliest = Math.min(...[...this.pending].map((timer) => timer.fireAtMs));
    const wait = Math.min(Math.max(earliest - this.clock.now(), 0), MAX_WAIT_MS);
    this.wakeUp = setTimeout(() => this.fireDue(), wait);
    this.wakeUp.unref();
  }
}
