// The validate baseline: csv-parse alone reading the same bytes: `node child-csv-parse.js <dir>`.
import { parse } from "csv-parse/sync";
import { readdirSync, readFileSync } from "fs";
import * as path from "path";

const dir = process.argv[2];
let records = 0;
for (const f of readdirSync(dir).filter((f) => f.endsWith(".csv")).sort()) records += (parse(readFileSync(path.join(dir, f))) as unknown[]).length;
process.stdout.write(`records: ${records}\n`);
