// `npm run bench`: validate against csv-parse alone, and the program against the SDK floor,
// each case in a process of its own, measured for wall time and peak RSS. Writes
// tools/bench/results.json and prints the table docs/performance.md shows.
import { spawn } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../roster/read/project";
import { parse } from "yaml";
import { startGraphServer } from "../sim/graph-server";
import { writeTenant } from "../sim/tenant/store";
import { generateRoster, GenerateOptions } from "./generate";

const ROOT = projectRoot(__dirname);
const DIST = path.join(ROOT, "dist", "tools", "bench");
const PEAK_RSS = path.join(ROOT, "tools", "bench", "peak-rss.js");
const AS_OF = "2026-11-22";

interface Measured {
    seconds: number;
    rssMB: number;
    /** CPU time, user and system, of all its threads: what other work on the machine changes least. */
    cpuSeconds: number;
}

interface Row {
    case: string;
    size: number;
    ours: Measured;
    baseline: Measured;
    timeRatio: number;
    rssRatio: number;
    cpuRatio: number;
}

/** The node arguments Pulumi.yaml gives the program (runtime.options.nodeargs). */
function pulumiNodeArgs(): string[] {
    const project = parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { runtime?: { options?: { nodeargs?: string } } };
    const args = project.runtime?.options?.nodeargs ?? "";
    return args.split(/\s+/).filter((a) => a !== "");
}

/** Runs `node args...` to the end; wall time from spawn to exit, peak RSS from the preload. */
function measure(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(process.execPath, ["-r", PEAK_RSS, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        let stdout = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            const rss = /BENCH_PEAK_RSS_KB (\d+)/.exec(stderr);
            const cpu = /BENCH_CPU_US (\d+)/.exec(stderr);
            if (code !== 0 || !rss || !cpu) return reject(new Error(`node ${args.join(" ")} exited ${code}:\n${stdout}\n${stderr}`));
            resolve({ seconds, rssMB: Number(rss[1]) / 1024, cpuSeconds: Number(cpu[1]) / 1e6 });
        });
    });
}

/**
 * Ours and the baseline, `runs` times each, taking turns (ours, baseline, ours, ...): on a
 * shared machine a burst of other work then slows both sides alike, where back-to-back blocks
 * of runs let it land on one side only. The median of each side by time; memory
 * and CPU time are that run's.
 */
async function compare(runs: number, ours: string[], baseline: string[], oursEnv?: NodeJS.ProcessEnv): Promise<{ ours: Measured; baseline: Measured }> {
    const results: { ours: Measured[]; baseline: Measured[] } = { ours: [], baseline: [] };
    for (let i = 0; i < runs; i++) {
        results.ours.push(await measure(ours, oursEnv));
        results.baseline.push(await measure(baseline));
    }
    return { ours: median(results.ours), baseline: median(results.baseline) };
}

function median(results: Measured[]): Measured {
    const sorted = [...results].sort((a, b) => a.seconds - b.seconds);
    return sorted[Math.floor(sorted.length / 2)];
}

function writeRoster(dir: string, options: GenerateOptions): string {
    const guests = path.join(dir, `roster-${options.guests}-${(options.formats ?? []).join("-")}`);
    mkdirSync(guests, { recursive: true });
    for (const f of generateRoster(options)) writeFileSync(path.join(guests, path.basename(f.path)), f.text);
    return guests;
}

function row(name: string, size: number, ours: Measured, baseline: Measured): Row {
    return { case: name, size, ours, baseline, timeRatio: ours.seconds / baseline.seconds, rssRatio: ours.rssMB / baseline.rssMB, cpuRatio: ours.cpuSeconds / baseline.cpuSeconds };
}

/**
 * The program looks up, before registering anything, whether the guests new to the stack already
 * exist (adoption): answered by the simulated Graph (tools/sim/graph-server) over an empty tenant,
 * in this process, so every guest is invited as on a first deployment. The lookups are the
 * program's own cost (graph/identity.ts `usersByAddress`: 10,000 requests in 500 `POST /$batch`
 * at 10,000 guests); the floor makes none.
 */
async function emptyTenant(work: string): Promise<{ env: NodeJS.ProcessEnv; close: () => Promise<void> }> {
    const tenantFile = path.join(work, "tenant.json");
    writeTenant(tenantFile, {});
    const token = "bench-token";
    const server = await startGraphServer({ tenantFile, token });
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ARM_|AZURE_|ENTRA_GUESTS_)/.test(k)));
    return { env: { ...env, ENTRA_GUESTS_GRAPH_URL: server.url, ENTRA_GUESTS_GRAPH_TOKEN: token }, close: () => server.close() };
}

async function main(): Promise<void> {
    const work = mkdtempSync(path.join(os.tmpdir(), "entra-guests-bench-"));
    const rows: Row[] = [];
    const nodeArgs = pulumiNodeArgs();
    const loadBefore = os.loadavg()[0];
    const tenant = await emptyTenant(work);
    try {
        for (const size of [1_000, 10_000, 100_000]) {
            const dir = writeRoster(work, { guests: size, groupsPerGuest: 2, formats: ["native", "portal"] });
            const runs = size >= 100_000 ? 3 : 5;
            const { ours, baseline } = await compare(runs, [path.join(ROOT, "bin", "entra-guests.js"), "validate", dir, "--as-of", AS_OF], [path.join(DIST, "child-csv-parse.js"), dir]);
            rows.push(row("validate vs csv-parse alone", size, ours, baseline));
            process.stderr.write(`validate ${size}: ${ours.seconds.toFixed(2)} s vs ${baseline.seconds.toFixed(2)} s\n`);
        }
        for (const size of [1_000, 10_000]) {
            const dir = writeRoster(work, { guests: size, groupsPerGuest: 2, formats: ["native", "yaml"] });
            const runs = size >= 10_000 ? 3 : 5;
            const { ours, baseline } = await compare(runs, [...nodeArgs, path.join(DIST, "child-program.js"), dir, AS_OF], [...nodeArgs, path.join(DIST, "child-floor.js"), String(size), "2"], tenant.env);
            rows.push(row(`program vs SDK floor (x2 groups)`, size, ours, baseline));
            process.stderr.write(`program ${size}: ${ours.seconds.toFixed(2)} s vs ${baseline.seconds.toFixed(2)} s\n`);
        }
    } finally {
        await tenant.close();
        rmSync(work, { recursive: true, force: true });
    }
    const scaling = {
        validate10kOver1k: rows[1].ours.seconds / rows[0].ours.seconds,
        program10kOver1k: rows[4].ours.seconds / rows[3].ours.seconds,
    };
    const machine = { cpus: os.cpus().length, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
    const file = path.join(ROOT, "tools", "bench", "results.json");
    const run: Run = { date: new Date().toISOString(), load: [loadBefore, os.loadavg()[0]], rows };
    const earlier = readResults(file);
    const runs = [...earlierRuns(earlier, machine, nodeArgs), run].slice(-RUNS_KEPT);
    // Other sections (bench:engine's `engine`) are kept as they are.
    writeFileSync(file, JSON.stringify({ ...earlier, command: "npm run bench", machine, nodeArgs, rows, scaling, runs }, null, 2) + "\n");
    const load = `Load average (1 min) at start and end: ${run.load!.map((l) => l.toFixed(2)).join(", ")} on ${machine.cpus} cores.\n\n`;
    process.stdout.write(table(rows, scaling) + load + ranges(runs));
}

/** Figures are quoted as the range across runs: the last few runs on the same machine and node arguments. */
const RUNS_KEPT = 5;

interface Run {
    date: string;
    /** The 1-minute load average when the run started and when it ended: the machine is shared. */
    load?: [number, number];
    rows: Row[];
}

interface Results {
    machine?: object;
    nodeArgs?: string[];
    runs?: Run[];
    [section: string]: unknown;
}

/** tools/bench/results.json as it is, or nothing when it is missing or not JSON. */
function readResults(file: string): Results {
    try {
        const earlier = JSON.parse(readFileSync(file, "utf8")) as unknown;
        return typeof earlier === "object" && earlier !== null && !Array.isArray(earlier) ? (earlier as Results) : {};
    } catch {
        return {};
    }
}

function earlierRuns(earlier: Results, machine: object, nodeArgs: string[]): Run[] {
    const same = JSON.stringify(earlier.machine) === JSON.stringify(machine) && JSON.stringify(earlier.nodeArgs) === JSON.stringify(nodeArgs);
    return same && Array.isArray(earlier.runs) ? earlier.runs : [];
}

function ranges(runs: Run[]): string {
    const lines = [`Across the last ${runs.length} run(s) on this machine (tools/bench/results.json \`runs\`):`];
    for (const [i, r] of runs[runs.length - 1].rows.entries()) {
        const same = runs.map((run) => run.rows[i]).filter((x) => x !== undefined && x.case === r.case && x.size === r.size);
        // Runs recorded by an earlier version of this bench have no CPU time.
        const span = (f: (x: Row) => number | undefined) => {
            const v = same.map(f).filter((x): x is number => x !== undefined);
            return `${Math.min(...v).toFixed(2)}x to ${Math.max(...v).toFixed(2)}x`;
        };
        lines.push(`- ${r.case}, ${r.size.toLocaleString("en-US")}: time ${span((x) => x.timeRatio)}, memory ${span((x) => x.rssRatio)}, CPU ${span((x) => x.cpuRatio)}`);
    }
    return lines.join("\n") + "\n";
}

function table(rows: Row[], scaling: Record<string, number>): string {
    const lines = [
        "| case | guests | ours: time | ours: peak RSS | baseline: time | baseline: peak RSS | time ratio | memory ratio | CPU ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ...rows.map((r) =>
            `| ${r.case} | ${r.size.toLocaleString("en-US")} | ${r.ours.seconds.toFixed(2)} s | ${r.ours.rssMB.toFixed(0)} MB | ${r.baseline.seconds.toFixed(2)} s | ${r.baseline.rssMB.toFixed(0)} MB | ${r.timeRatio.toFixed(2)}x | ${r.rssRatio.toFixed(2)}x | ${r.cpuRatio.toFixed(2)}x |`,
        ),
        "",
        `Scaling, 10k over 1k guests: validate ${scaling.validate10kOver1k.toFixed(1)}x, program ${scaling.program10kOver1k.toFixed(1)}x.`,
        "",
    ];
    return lines.join("\n");
}

main().catch((err) => {
    process.stderr.write(`${String(err?.stack ?? err)}\n`);
    process.exit(1);
});
