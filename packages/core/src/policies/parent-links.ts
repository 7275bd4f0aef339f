import type { Actor } from "./actor.js";

/** Admins see every link; a parent sees their own; nobody else sees links. */
export type ParentLinkScope =
  | { readonly kind: "all" }
  | { readonly kind: "parent"; readonly parentId: string }
  | { readonly kind: "none" };

export function parentLinkReadScope(actor: Actor): ParentLinkScope {
  if (actor.role === "admin") return { kind: "all" };
  if (actor.role === "parent") return { kind: "parent", parentId: actor.userId };
  return { kind: "none" };
}

export const parentLinkRules = {
  create: (actor: Actor) => actor.role === "admin",
} as const;
