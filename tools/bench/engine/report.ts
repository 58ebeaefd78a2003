// `npm run bench:engine:report -- --guests N [--since ISO-DATE] [--env NAME=VALUE]...`: the range
// table of runs already recorded in tools/bench/results.json (`engine.runs`), across invocations of
// `npm run bench:engine` (a 10,000-guest run takes most of an hour, so its runs are taken one
// invocation at a time). Runs are chosen by guest count, start date and engine settings.
import { readFileSync } from "fs";
import * as path from "path";
import { projectRoot } from "../../../roster/read/project";
import type { EngineRun } from "./run";
import { rangeTable } from "./table";

const ROOT = projectRoot(__dirname);
const USAGE = "usage: npm run bench:engine:report -- --guests N [--since ISO-DATE] [--env NAME=VALUE]...";

export function selectRuns(runs: EngineRun[], o: { guests: number; since?: string; env: Record<string, string> }): EngineRun[] {
    return runs.filter((r) => r.guests === o.guests && (o.since === undefined || r.date >= o.since) && JSON.stringify(sorted(r.options.env ?? {})) === JSON.stringify(sorted(o.env)));
}

const sorted = (env: Record<string, string>) => Object.fromEntries(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));

function main(argv: string[]): void {
    const o: { guests?: number; since?: string; env: Record<string, string> } = { env: {} };
    for (let i = 0; i < argv.length; i++) {
        const v = argv[i + 1];
        if (v === undefined) throw new Error(`${argv[i]} needs a value; ${USAGE}`);
        if (argv[i] === "--guests") o.guests = Number(v);
        else if (argv[i] === "--since") o.since = v;
        else if (argv[i] === "--env") {
            const [k, ...rest] = v.split("=");
            o.env[k] = rest.join("=");
        } else throw new Error(`unknown option ${argv[i]}; ${USAGE}`);
        i++;
    }
    if (!o.guests || !Number.isInteger(o.guests)) throw new Error(USAGE);
    const all = (JSON.parse(readFileSync(path.join(ROOT, "tools", "bench", "results.json"), "utf8")) as { engine?: { runs: EngineRun[] } }).engine?.runs ?? [];
    const runs = selectRuns(all, { guests: o.guests, since: o.since, env: o.env });
    if (runs.length === 0) throw new Error(`no recorded run of ${o.guests} guests${o.since ? ` since ${o.since}` : ""} with env ${JSON.stringify(o.env)} in tools/bench/results.json`);
    process.stdout.write(`runs of ${runs.map((r) => r.date).join(", ")}\n${rangeTable(runs)}`);
}

if (require.main === module) {
    try {
        main(process.argv.slice(2));
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
        process.exit(2);
    }
}
