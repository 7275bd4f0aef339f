import type { Writable } from "node:stream";

/**
 * Resolves once everything written to `stream` so far has been handed to the
 * operating system. A pipe takes 64 KiB at a time: the rest waits in Node's
 * queue, and `process.exit` would drop it. A reader that went away (`| head`)
 * ends the wait too, as there is no one left to write for.
 */
export function flushed(stream: Writable): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off("error", done);
      resolve();
    };
    // A closed pipe is reported as an error event; it must not become an uncaught exception.
    stream.once("error", done);
    // Writes are ordered: the callback of an empty write runs after every earlier one.
    stream.write("", done);
  });
}

/**
 * Ends the process with `code` after stdout and stderr are flushed: the whole
 * output, then the exit, whatever the exit code (the bin's last step).
 */
export async function exitWhenFlushed(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
