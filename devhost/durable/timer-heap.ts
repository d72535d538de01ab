// A binary min-heap of pending durable timers: earliest fire time first, ties in the order they were scheduled.

/** One scheduled timer; `live` turns false once it fires or is cancelled (it then leaves the heap lazily). */
export interface HeapTimer {
  fireAtMs: number;
  /** Scheduling order, which breaks ties between timers due at the same time. */
  seq: number;
  fire: () => void;
  live: boolean;
}

const before = (a: HeapTimer, b: HeapTimer): boolean =>
  a.fireAtMs < b.fireAtMs || (a.fireAtMs === b.fireAtMs && a.seq < b.seq);

export class TimerHeap {
  private items: HeapTimer[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): HeapTimer | undefined {
    return this.items[0];
  }

  /** O(log n). */
  push(timer: HeapTimer): void {
    this.items.push(timer);
    this.siftUp(this.items.length - 1);
  }

  /** O(log n). */
  pop(): HeapTimer | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (top !== last && last) {
      this.items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Keeps only the timers `keep` accepts, rebuilt bottom-up in O(n). */
  retain(keep: (timer: HeapTimer) => boolean): void {
    this.items = this.items.filter(keep);
    for (let index = (this.items.length >> 1) - 1; index >= 0; index--) this.siftDown(index);
  }

  /** Drops every timer; none of them is live any more (cancelling one later is a no-op). */
  clear(): void {
    for (const timer of this.items) timer.live = false;
    this.items = [];
  }

  private siftUp(index: number): void {
    const items = this.items;
    const timer = items[index]!;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(timer, items[parent]!)) break;
      items[index] = items[parent]!;
      index = parent;
    }
    items[index] = timer;
  }

  private siftDown(index: number): void {
    const items = this.items;
    const timer = items[index]!;
    const half = items.length >> 1;
    while (index < half) {
      let child = 2 * index + 1;
      const right = child + 1;
      if (right < items.length && before(items[right]!, items[child]!)) child = right;
      if (!before(items[child]!, timer)) break;
      items[index] = items[child]!;
      index = child;
    }
    items[index] = timer;
  }
}
