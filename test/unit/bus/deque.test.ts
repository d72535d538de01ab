// The devhost bus's deque keeps an array's order through any mix of push, shift and unshift, and growth.
import { describe, expect, it } from "vitest";
import { Deque } from "../../../devhost/bus/deque";

describe("devhost bus deque", () => {
  it("matches an array through 100 000 mixed operations, across many growths and wraps", () => {
    const deque = new Deque<number>();
    const model: number[] = [];
    let state = 7;
    const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648);
    for (let step = 0; step < 100_000; step++) {
      const choice = next() % 10;
      if (choice < 5) {
        deque.push(step);
        model.push(step);
      } else if (choice < 7) {
        deque.unshift(step);
        model.unshift(step);
      } else {
        expect(deque.shift()).toBe(model.shift());
      }
      expect(deque.length).toBe(model.length);
    }
    expect(deque.toArray()).toEqual(model);
  });

  it("takes several from the front and puts several back in their order", () => {
    const deque = Deque.from([1, 2, 3, 4, 5]);
    expect(deque.shiftMany(3)).toEqual([1, 2, 3]);
    deque.unshiftAll([7, 8]);
    expect(deque.toArray()).toEqual([7, 8, 4, 5]);
    expect(deque.shiftMany(10)).toEqual([7, 8, 4, 5]);
    expect(deque.length).toBe(0);
  });

  it("gives undefined when empty, and rebuilds from an array in order", () => {
    const deque = Deque.from(["a", "b", "c"]);
    expect(deque.toArray()).toEqual(["a", "b", "c"]);
    expect([deque.shift(), deque.shift(), deque.shift(), deque.shift()]).toEqual(["a", "b", "c", undefined]);
    expect(deque.length).toBe(0);
  });
});
