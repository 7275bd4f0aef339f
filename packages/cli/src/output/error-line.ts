import type { CliIO } from "../io.js";

/**
 * Colour for stderr: a terminal, and no `--no-color`, `NO_COLOR`,
 * `FORCE_COLOR=0` or dumb terminal. Read from argv, as an error may come
 * before (or instead of) the flags being parsed.
 */
export function stderrColor(io: CliIO, argv: readonly string[]): boolean {
  return (
    io.stderr.isTTY === true &&
    !argv.includes("--no-color") &&
    !io.env.NO_COLOR &&
    io.env.FORCE_COLOR !== "0" &&
    io.env.TERM !== "dumb"
  );
}

/**
 * Every error the CLI prints is one line `Error: what went wrong. What to do.`
 * (red on a terminal), whoever raised it: a command, the API or commander.
 */
export function errorLine(message: string, color: boolean): string {
  const text = `Error: ${message.replace(/^error:\s*/i, "").trimEnd()}`;
  // SGR red and back to the default colour; `color` already says the terminal wants it.
  return `${color ? `\u001b[31m${text}\u001b[39m` : text}\n`;
}
