// A double-ended queue on a ring buffer: push, shift and unshift in O(1), where Array#shift copies a large array.

export class Deque<T> {
  /** Its length is always a power of two, so positions wrap with a mask. */
  private buffer: (T | undefined)[] = new Array<T | undefined>(16).fill(undefined);
  private head = 0;
  private count = 0;

  static from<T>(items: readonly T[]): Deque<T> {
    const deque = new Deque<T>();
    for (const item of items) deque.push(item);
    return deque;
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    this.makeRoom();
    this.buffer[(this.head + this.count) & (this.buffer.length - 1)] = item;
    this.count++;
  }

  unshift(item: T): void {
    this.makeRoom();
    this.head = (this.head - 1) & (this.buffer.length - 1);
    this.buffer[this.head] = item;
    this.count++;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.buffer[this.head];
    this.buffer[this.head] = undefined; // no longer held once delivered
    this.head = (this.head + 1) & (this.buffer.length - 1);
    this.count--;
    return item;
  }

  /** Up to `count` items from the front, first to last. */
  shiftMany(count: number): T[] {
    const items: T[] = [];
    while (items.length < count && this.count > 0) items.push(this.shift() as T);
    return items;
  }

  /** Puts `items` back at the front, in their order (the first of them is then the first of the queue). */
  unshiftAll(items: readonly T[]): void {
    for (let index = items.length - 1; index >= 0; index--) this.unshift(items[index]!);
  }

  /** The items, first to last. */
  toArray(): T[] {
    const items: T[] = [];
    for (let index = 0; index < this.count; index++)
      items.push(this.buffer[(this.head + index) & (this.buffer.length - 1)] as T);
    return items;
  }

  private makeRoom(): void {
    if (this.count < this.buffer.length) return;
    const grown = new Array<T | undefined>(2 * this.buffer.length).fill(undefined);
    for (let index = 0; index < this.count; index++)
      grown[index] = this.buffer[(this.head + index) & (this.buffer.length - 1)];
    this.buffer = grown;
    this.head = 0;
  }
}
