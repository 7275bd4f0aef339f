/** A promise the test settles by hand. */
export function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Lets queued promise callbacks run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));
