import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { testIO } from "./support/cli-session.js";

// `main` as the binary calls it: argv in, exit code out, one line on stderr.
// A small HTTP server plays a SkillBridge API that fails in chosen ways.

let server: Server;
let apiUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith("/api/v1/admin/academies")) {
      res.writeHead(500, {
        "content-type": "application/problem+json",
        "x-request-id": "req-fault-1",
      });
      res.end(
        JSON.stringify({
          type: "about:blank",
          title: "Internal Server Error",
          status: 500,
          detail: "Something broke.",
          code: "internal",
        }),
      );
      return;
    }
    res.writeHead(403, { "content-type": "application/problem+json", "x-request-id": "req-403" });
    res.end(
      JSON.stringify({
        type: "about:blank",
        title: "Forbidden",
        status: 403,
        detail: "Your role may not do this.",
        code: "forbidden",
      }),
    );
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const argv = (...args: string[]) => ["node", "skillbridge", ...args];

describe("main", () => {
  it("a server fault exits 70 with 'please report' and the request id, and no stack without --verbose", async () => {
    const io = testIO({ SKILLBRIDGE_TOKEN: "t", CI: "true" });
    const code = await main(argv("--api-url", apiUrl, "tenants", "list"), io);
    expect(code).toBe(70);
    expect(io.out()).toBe("");
    expect(io.err()).toMatch(
      /^Error: The server failed \(500\): Something broke\. Request id req-fault-1\. This is a bug: please report it at /,
    );
    expect(io.err()).not.toMatch(/\n\s+at /);

    const verbose = testIO({ SKILLBRIDGE_TOKEN: "t", CI: "true" });
    expect(await main(argv("--verbose", "--api-url", apiUrl, "tenants", "list"), verbose)).toBe(70);
    expect(verbose.err()).toMatch(/\n\s+at /);
  });

  it("a refusal (4xx) is a fixable error: exit 1 and one line", async () => {
    const io = testIO({ SKILLBRIDGE_TOKEN: "t", CI: "true" });
    expect(await main(argv("--api-url", apiUrl, "whoami"), io)).toBe(1);
    expect(io.err()).toBe(
      "Error: Your role may not do this. Check who you are signed in as: `skillbridge whoami`.\n",
    );
  });

  it("an unknown flag is a usage error pointing to that command's --help", async () => {
    const io = testIO({ CI: "true" });
    expect(await main(argv("tenants", "list", "--colour"), io)).toBe(1);
    expect(io.err()).toMatch(
      /unknown option '--colour'[\s\S]*Run `skillbridge tenants list --help` for usage\.\n$/,
    );
    // Global flags and their values before the command do not hide it.
    const global = testIO({ CI: "true" });
    expect(
      await main(argv("--api-url", "http://127.0.0.1:1", "users", "create", "--colour"), global),
    ).toBe(1);
    expect(global.err()).toMatch(/Run `skillbridge users create --help` for usage\.\n$/);
    // No command named: the top-level help.
    const unknown = testIO({ CI: "true" });
    expect(await main(argv("tenantz"), unknown)).toBe(1);
    expect(unknown.err()).toMatch(/Run `skillbridge --help` for usage\.\n$/);
  });

  it("bash completion completes commands, subcommands and flags from the command tree", async () => {
    const io = testIO({});
    expect(await main(argv("completion", "bash"), io)).toBe(0);
    const complete = (...words: string[]) =>
      execFileSync(
        "bash",
        [
          "-c",
          `${io.out()}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _skillbridge; echo "\${COMPREPLY[*]}"`,
        ],
        { encoding: "utf8" },
      )
        .trim()
        .split(" ");
    expect(complete("skillbridge", "ten")).toEqual(["tenants"]);
    expect(complete("skillbridge", "tenants", "")).toEqual(
      expect.arrayContaining(["create", "list", "show", "suspend", "restore", "delete"]),
    );
    expect(complete("skillbridge", "tenants", "create", "--admin-")).toEqual([
      "--admin-email",
      "--admin-name",
      "--admin-password",
    ]);

    for (const shell of ["zsh", "fish"]) {
      const script = testIO({});
      expect(await main(argv("completion", shell), script)).toBe(0);
      expect(script.out()).toContain("impersonate");
    }
    const bad = testIO({});
    expect(await main(argv("completion", "tcsh"), bad)).toBe(1);
    expect(bad.err()).toBe('Error: Unknown shell "tcsh". Use bash, zsh or fish.\n');
  });
});
