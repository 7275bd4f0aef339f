/** Opaque, signed list cursors and the page shape. */

export { CursorCodec, type CursorPosition } from "./cursor-codec.js";
export type { Page, PageRequest } from "./paginate.js";
