// Durable timers on the devhost's clock: due timers fire at once when a test moves the clock, others in real time.
import type { MovableClock } from "../clock";
import type { HeapTimer } from "./timer-heap";
import { TimerHeap } from "./timer-heap";

/** Node's setTimeout cannot wait longer than this. */
const MAX_WAIT_MS = 2 ** 31 - 1;

/**
 * A cancelled timer stays in the heap until it reaches the top (cancelling is O(1)); once there are more of them
 * than this, and more than live timers, the heap is rebuilt without them, so parked executions that are
 * terminated by the thousand do not keep their timers in memory.
 */
const COMPACT_AFTER = 1_024;

/**
 * Every operation is O(log n) or O(1) amortised in the number of pending timers, with one real-time wake-up for
 * the earliest of them; thousands of executions parked on long timers cost no more per new timer than a few.
 */
export class TimerQueue {
  private readonly heap = new TimerHeap();
  private live = 0;
  private scheduled = 0;
  private wakeUp: NodeJS.Timeout | undefined;
  /** The fire time the wake-up is set for (undefined when none is): a later timer leaves it alone. */
  private wakeUpForMs: number | undefined;
  private readonly stopListening: () => void;

  constructor(private readonly clock: MovableClock) {
    this.stopListening = clock.onAdvance(() => this.fireDue());
  }

  /** Calls `fire` once the clock reaches `fireAtMs`; the returned function cancels it. */
  schedule(fireAtMs: number, fire: () => void): () => void {
    const timer: HeapTimer = { fireAtMs, seq: this.scheduled++, fire, live: true };
    this.heap.push(timer);
    this.live++;
    // Never fires inside schedule(): a due timer fires on the next turn, after its caller has recorded it.
    if (this.wakeUpForMs === undefined || fireAtMs < this.wakeUpForMs) this.arm();
    return () => this.cancel(timer);
  }

  /** A timer is due but has not fired yet (it fires on the next turn). */
  hasDue(): boolean {
    const next = this.earliest();
    return next !== undefined && next.fireAtMs <= this.clock.now();
  }

  stop(): void {
    this.stopListening();
    clearTimeout(this.wakeUp);
    this.wakeUp = undefined;
    this.wakeUpForMs = undefined;
    this.heap.clear();
    this.live = 0;
  }

  private cancel(timer: HeapTimer): void {
    if (!timer.live) return;
    timer.live = false;
    this.live--;
    const cancelled = this.heap.size - this.live;
    if (cancelled > COMPACT_AFTER && cancelled > this.live) this.heap.retain((pending) => pending.live);
  }

  /** The earliest live timer; cancelled ones met on top leave the heap here. */
  private earliest(): HeapTimer | undefined {
    let top = this.heap.peek();
    while (top && !top.live) {
      this.heap.pop();
      top = this.heap.peek();
    }
    return top;
  }

  /** Fires what is due, earliest first (ties in scheduling order); a timer scheduled meanwhile waits a turn. */
  private fireDue(): void {
    const now = this.clock.now();
    const scheduledBefore = this.scheduled;
    const nextTurn: HeapTimer[] = [];
    for (let next = this.earliest(); next && next.fireAtMs <= now; next = this.earliest()) {
      this.heap.pop();
      if (next.seq >= scheduledBefore) {
        nextTurn.push(next);
        continue;
      }
      next.live = false;
      this.live--;
      next.fire();
    }
    for (const timer of nextTurn) this.heap.push(timer);
    this.arm();
  }

  /** One real-time wake-up for the earliest timer, so timers also fire when nobody moves the clock. */
  private arm(): void {
    clearTimeout(this.wakeUp);
    this.wakeUp = undefined;
    this.wakeUpForMs = undefined;
    const next = this.earliest();
    if (!next) return;
    const wait = Math.min(Math.max(next.fireAtMs - this.clock.now(), 0), MAX_WAIT_MS);
    this.wakeUpForMs = next.fireAtMs;
    this.wakeUp = setTimeout(() => this.fireDue(), wait);
    this.wakeUp.unref();
  }
}
