/** The installed PGlite's version, read from the repository's node_modules. */
export function pgliteVersion(root: string): string;
/** 16 hex digits over the PGlite version and every file of packages/core/src under `root`. */
export function coreSourceKey(root: string): string;
