/**
 * Exit codes (documented in `--help`): 0 success, 1 a failure the user can fix
 * (bad input, a refused request, a missing flag), 70 a bug (please report),
 * 130 interrupted. A module of its own so that starting the CLI does not load
 * the error mapping (and the SDK behind it) before anything failed.
 */
export const EXIT = { ok: 0, failure: 1, bug: 70, interrupted: 130 } as const;
