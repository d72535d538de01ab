// Property tests in vitest: `propertyTest.prop([arbitraries], params)(name, predicate)` on fast-check
// (@fast-check/vitest ships ESM exports only, which this CommonJS build cannot type-check).
import * as fc from "fast-check";
import { it } from "vitest";

export { fc };

type Arbitraries<Ts extends unknown[]> = { [K in keyof Ts]: fc.Arbitrary<Ts[K]> };

function prop<Ts extends [unknown, ...unknown[]]>(
  arbitraries: Arbitraries<Ts>,
  params: fc.Parameters<Ts> = {},
) {
  return (name: string, predicate: (...args: Ts) => void) =>
    it(name, () => {
      // fast-check's variadic signature cannot be spelled with a generic tuple; the types above keep callers exact.
      const property = (fc.property as unknown as (...args: unknown[]) => fc.IProperty<Ts>)(
        ...arbitraries,
        predicate,
      );
      fc.assert(property, params);
    });
}

export const propertyTest = { prop };
