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
  .then((code) => { process.exitCode = code; })
  .catch((err) => {
    // Something the CLI did not expect (a file it may not read, a full disk): one line, no
    // stack trace, unless ENTRA_GUESTS_DEBUG is set.
    process.stderr.write(`entra-guests: ${err && err.message ? err.message : String(err)}\n`);
    if (process.env.ENTRA_GUESTS_DEBUG) process.stderr.write(`${err && err.stack}\n`);
    process.exitCode = 2;
  });
