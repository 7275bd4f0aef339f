// By the package's name: the suite resolves it to core's sources (the source
// condition), a child process such as move-child.ts to the built bundle.
import { createServices, PasswordHasher, type Services } from "@skillbridge/core";

/**
 * Services with a cheap scrypt cost: hashes are self-describing, so
 * verification runs the same code as in production, just faster to seed.
 */
export function fastServices(): Services {
  return createServices({
    passwords: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
    cursorSecret: "test-secret",
  });
}
