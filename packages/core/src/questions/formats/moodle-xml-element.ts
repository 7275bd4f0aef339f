/** The elements of one Moodle XML `<question>`, and the few ways the reader looks into them. */

/** One element of a `<question>`, as much of the tree as converting it needs. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Text and CDATA directly inside, in pieces (joined once, when read). */
  readonly text: string[];
  readonly line: number;
}

/** The text directly inside an element. */
export function textOf(element: XmlElement | undefined): string {
  return element ? element.text.join("") : "";
}

/** The first child named `name`. */
export function childOf(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/** Every child named `name`. */
export function childrenOf(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((c) => c.name === name) : [];
}

/** The text of the `<text>` child, or of a named child's `<text>` (`<name><text>…</text></name>`). */
export function innerText(element: XmlElement | undefined): string {
  return textOf(childOf(element, "text"));
}
