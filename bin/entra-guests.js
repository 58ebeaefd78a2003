#!/usr/bin/env node
// The CLI runs the compiled JavaScript: `npm ci` builds it (the `prepare` script), so the
// command starts in a fraction of a second and needs no TypeScript at run time.
"use strict";
let cli;
try {
  cli = require("../dist/cli/main.js");
} catch (err) {
  if (err && err.code === "MODULE_NOT_FOUND") {
    process.stderr.write("entra-guests: the program is not built yet; run `npm ci` (or `npm run build`) first\n");
    process.exit(2);
  }
  throw err;
}
cli.main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() })
  .then((code) => { process.exitCode = code; });
