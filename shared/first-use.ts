// Values made on first use and shared after: the SDKs and data a cold start should not load until it needs them.

/**
 * `make` runs on the first call only; every call, concurrent ones included, gets that one promise. Used for what a
 * cold start that never needs it should not pay for (docs/deploy.md, "Cold start").
 */
export function onFirstUse<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}
