// The part of pg-copy-streams (a bench-only devDependency) the import benchmark uses.
declare module "pg-copy-streams" {
  import type { Readable, Writable } from "node:stream";
  import type { Submittable } from "pg";
  export function from(text: string): Writable & Submittable;
  export function to(text: string): Readable & Submittable;
}
