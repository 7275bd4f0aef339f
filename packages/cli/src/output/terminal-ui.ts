import { render, Text } from "ink";
import Spinner from "ink-spinner";
import { createElement } from "react";
import { ViewComponent } from "./components.js";
import type { View } from "./view.js";

// Ink and React, for a person at a terminal only: loading them costs about
// 0.7 s of CPU, more than a `--json` or piped command's own work, so the
// session imports this module when it is about to draw (session.ts).

/** A spinner and a line of text on `stream`, redrawn in place until `done`. */
export interface LiveLine {
  update(text: string): void;
  done(): void;
}

export function liveLine(stream: NodeJS.WritableStream, text: string): LiveLine {
  const line = (t: string) =>
    createElement(Text, null, createElement(Spinner, { type: "dots" }), ` ${t}`);
  const instance = render(line(text), {
    stdout: stream as NodeJS.WriteStream,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  return {
    update: (t) => instance.rerender(line(t)),
    done: () => {
      instance.clear();
      instance.unmount();
    },
  };
}

/** A command's result drawn with Ink (tables, panels, reports). */
export async function renderView(
  stdout: NodeJS.WritableStream,
  view: View,
  color: boolean,
): Promise<void> {
  const instance = render(createElement(ViewComponent, { view, color }), {
    stdout: stdout as NodeJS.WriteStream,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  instance.unmount();
  await instance.waitUntilExit();
}
