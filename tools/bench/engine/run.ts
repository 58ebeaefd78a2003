// `npm run bench:engine`: ours and the naive program (tools/bench/engine/naive) through the real
// engine (tools/engine/) against the simulated tenant (tools/sim/), on file backends: first preview, first
// up, a no-change preview, a preview and an up after 1% of guests changed, and destroy, each
// measured for wall time, peak RSS of the engine, language host and program, the checkpoint's
// size and the provider's calls. Appends to tools/bench/results.json (`engine`) and prints the table.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../../roster/read/project";
import { ensureEngine } from "../../engine/ensure";
import { installSimProvider } from "../../sim/environment";
import { AS_OF, changeMix, groupNames, rosterFiles, RowName, ROWS } from "./roster";
import { BenchStack, Program } from "./stack";
import { Options, parseOptions, splitRun, SplitResult } from "./split";
import { EngineRun, rangeTable } from "./table";

export { EngineRun };

const ROOT = projectRoot(__dirname);





const say = (line: string) => process.stderr.write(`[bench:engine] ${line}\n`);

async function main(argv: string[]): Promise<void> {
    const options = parseOptions(argv);
    const engine = await ensureEngine(say);
    const work = mkdtempSync(path.join(os.tmpdir(), "entra-guests-bench-engine-"));
    const home = path.join(work, "home");
    mkdirSync(home);
    await installSimProvider(engine, { home, state: path.join(work, "unused"), tenant: path.join(work, "unused.json") }, ROOT);
    const runs: EngineRun[] = [];
    let split: SplitResult | undefined;
    try {
        for (let r = 0; r < options.runs; r++) {
            await quiet(options.maxLoad);
            runs.push(await oneRun(r, options, engine, home, work));
            record(runs.slice(-1), undefined, options);
        }
        if (options.split) {
            await quiet(options.maxLoad);
            split = await splitRun(options, engine, home, work);
            record([], split, options);
        }
    } finally {
        if (!options.keep) rmSync(work, { recursive: true, force: true });
        else say(`kept ${work}`);
    }
    process.stdout.write(rangeTable(runs, split));
}

/** Ours and naive side by side, each on its own tenant, taking turns row by row (ours first in even runs). */
async function oneRun(r: number, options: Options, engine: Awaited<ReturnType<typeof ensureEngine>>, home: string, work: string): Promise<EngineRun> {
    const n = options.guests;
    const order: Program[] = (r % 2 === 0 ? ["ours", "naive"] : ["naive", "ours"]).filter((p) => options.programs.includes(p as Program)) as Program[];
    const seed = { groups: groupNames().map((displayName) => ({ displayName })) };
    const stacks = {} as Record<Program, BenchStack>;
    for (const program of order) {
        const dir = path.join(work, `run-${r}-${program}`);
        mkdirSync(dir);
        // Ours: the bench's fixed date, and removals up to the whole roster (the 1% step removes some).
        const config: Record<string, string> = program === "ours" ? { "entra-guests:asOf": AS_OF, "entra-guests:maxRemovals": String(n) } : {};
        stacks[program] = await BenchStack.create({ program, dir, engine, home, tenant: path.join(dir, "tenant.json"), seed, config, env: options.env });
        stacks[program].writeGuests(rosterFiles(n, "initial"));
    }
    const run: EngineRun = { date: new Date().toISOString(), guests: n, options: { ...options, guests: undefined, runs: undefined } as EngineRun["options"], rows: { ours: {}, naive: {} } };
    const parallel = options.parallel ? ["--parallel", String(options.parallel)] : [];
    const up = ["up", "--yes", ...(options.skipPreview ? ["--skip-preview"] : []), ...parallel];
    const steps: [RowName, string[], (() => void)?][] = [
        ["first preview", ["preview", ...parallel]],
        ["first up", up],
        ["no-change preview", ["preview", ...parallel]],
        ["no-change up", up],
        ["1% preview", ["preview", ...parallel], () => order.forEach((p) => stacks[p].writeGuests(rosterFiles(n, "changed")))],
        ["1% up", up],
        // --skip-preview applies to destroy too: without it the engine schedules every delete twice (preview, then update).
        ["destroy", ["destroy", "--yes", ...(options.skipPreview ? ["--skip-preview"] : []), ...parallel]],
    ];
    const unknown = options.rows.filter((row) => !(ROWS as readonly string[]).includes(row));
    if (unknown.length > 0) throw new Error(`--rows: unknown row ${unknown.join(", ")}; rows are ${ROWS.join(", ")}`);
    try {
        for (const [row, args, before] of steps) {
            before?.();
            if (options.rows.length > 0 && !options.rows.includes(row)) continue;
            for (const program of order) {
                // `--profiling` is the CLI's own flag: CPU and memory profiles and an execution trace of the engine, for `go tool pprof`.
                const profiling = options.profile ? ["--profiling", path.join(path.resolve(options.profile), `${program}-${row.replace(/[^a-z0-9]+/gi, "-")}`)] : [];
                const m = await stacks[program].measure([...args, ...profiling]);
                run.rows[program][row] = m;
                say(`run ${r + 1}/${options.runs}, ${n} guests, ${program}, ${row}: ${m.seconds.toFixed(1)} s, engine ${m.peakMB.engine.toFixed(0)} MB, program ${m.peakMB.program.toFixed(0)} MB, state ${(m.stateBytes / 1e6).toFixed(2)} MB, ${m.calls.provider}+${m.calls.http} requests, load ${m.load.toFixed(2)}`);
            }
        }
    } finally {
        for (const s of Object.values(stacks)) await s.close();
    }
    return run;
}

/** Waits (up to 5 minutes) for the 1-minute load average to drop below `max`: the machine is shared. */
async function quiet(max: number): Promise<void> {
    for (let waited = 0; os.loadavg()[0] >= max && waited < 300; waited += 15) {
        if (waited === 0) say(`load ${os.loadavg()[0].toFixed(2)} >= ${max}: waiting for a quieter machine`);
        await new Promise((r) => setTimeout(r, 15_000));
    }
}

/** Appends to tools/bench/results.json's `engine` section, keeping the program bench's entries. */
function record(runs: EngineRun[], split: SplitResult | undefined, options: Options): void {
    const file = path.join(ROOT, "tools", "bench", "results.json");
    const all = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown> & { engine?: { runs: EngineRun[]; splits: SplitResult[] } };
    const engine = all.engine ?? { runs: [], splits: [] };
    engine.runs.push(...runs);
    if (split) engine.splits.push(split);
    all.engine = {
        command: "npm run bench:engine -- " + options.argv.join(" "),
        machine: { cpus: os.cpus().length, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
        versions: { pulumi: "3.248.0 (tools/engine/)", languageHost: "3.68.0 (tools/engine/README.md)", provider: "tools/sim/ as @pulumi/azuread 6.9.1" },
        changeMix: `1% of guests (rounded up): a third removed, a third moved to another group, the rest added (tools/bench/engine/roster.ts); at ${options.guests}: ${JSON.stringify(changeMix(options.guests))}`,
        runs: engine.runs,
        splits: engine.splits,
    } as unknown as typeof engine;
    writeFileSync(file, JSON.stringify(all, null, 2) + "\n");
}

main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`${String(err?.stack ?? err)}\n`);
    process.exit(1);
});
