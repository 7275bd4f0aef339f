#!/usr/bin/env node
// NO_COLOR (https://no-color.org) must be seen before the terminal styling
// library loads, so it is turned into FORCE_COLOR=0 ahead of the import.
if (process.env.NO_COLOR) process.env.FORCE_COLOR = "0";
const { main } = await import("../dist/main.js");
const code = await main(process.argv);
process.exit(code);
