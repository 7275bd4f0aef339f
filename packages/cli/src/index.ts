/**
 * `skillbridge`: the command line for SkillBridge platform admins. The binary
 * is `bin/skillbridge.js`; this entry exposes the same commands as functions
 * (each returns the data it prints) for embedding and tests.
 */
export { login, logout, whoami } from "./commands/auth.js";
export { completion } from "./commands/completion.js";
export { impersonate } from "./commands/impersonate.js";
export { init } from "./commands/init.js";
export { parentsLink } from "./commands/parents/link.js";
export { serve } from "./commands/serve.js";
export { tenantsCreate } from "./commands/tenants/create.js";
export { tenantsDelete } from "./commands/tenants/delete.js";
export { tenantsList } from "./commands/tenants/list.js";
export { tenantsShow } from "./commands/tenants/show.js";
export { tenantsRestore, tenantsSuspend } from "./commands/tenants/status.js";
export { usersCreate } from "./commands/users/create.js";
export { usersList } from "./commands/users/list.js";
export { BugError, CliError, EXIT, MissingFlagError } from "./errors.js";
export type { CliIO } from "./io.js";
export { main } from "./main.js";
export type { CommandOutput, View } from "./output/view.js";
export { type GlobalOptions, Session } from "./session.js";
export { VERSION } from "./version.js";
