/** A promise the test settles by hand. */
export function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // Whoever holds it may never await it: a rejection the test causes is not unhandled.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Lets queued promise callbacks run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));
