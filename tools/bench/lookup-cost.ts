// The program's identity lookups alone, measured: `npm run bench:lookups -- [--runs N] [--guests N] [<other dist>...]`.
// One simulated Graph (tools/sim/graph-server) over an empty tenant in this process; each run is a child
// process per build (this one and each other dist folder given, e.g. main's, in turns) that
// looks every address up with `usersByAddress` (graph/identity.ts: one request an address, 20 to a
// `POST /$batch`, 2 batches at once) and reports its own CPU and wall time for that alone.
// The Graph requests and round trips of each run come from the call log.
import { execFile } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { startGraphServer } from "../sim/graph-server";
import { readCalls, writeTenant } from "../sim/tenant/store";

const run = promisify(execFile);

interface Sample {
    build: string;
    cpuMs: number;
    wallMs: number;
    requests: number;
    batches: number;
}

async function main(argv: string[]): Promise<void> {
    const option = (name: string, fallback: number) => {
        const i = argv.indexOf(name);
        if (i < 0) return fallback;
        const [value] = argv.splice(i, 2).slice(1);
        if (!/^\d+$/.test(value ?? "")) throw new Error(`${name} must be a whole number (got "${value}")`);
        return Number(value);
    };
    const runs = option("--runs", 5);
    const guests = option("--guests", 10_000);
    const builds = [path.resolve(__dirname, "..", ".."), ...argv.map((d) => path.resolve(d))];
    const work = mkdtempSync(path.join(os.tmpdir(), "entra-guests-lookups-"));
    const tenantFile = path.join(work, "tenant.json");
    writeTenant(tenantFile, {});
    const token = "lookup-token";
    const server = await startGraphServer({ tenantFile, token });
    const env = { ...process.env, ENTRA_GUESTS_GRAPH_URL: server.url, ENTRA_GUESTS_GRAPH_TOKEN: token };
    const samples: Sample[] = [];
    const load = [os.loadavg()[0]];
    try {
        for (let r = 0; r < runs; r++) {
            // Each run the other build goes first, so neither always runs on a warmer machine.
            for (const build of r % 2 === 0 ? builds : [...builds].reverse()) {
                const logged = readCalls(tenantFile).length;
                const { stdout } = await run(process.execPath, [path.join(__dirname, "child-lookups.js"), build, String(guests)], { env });
                const m = JSON.parse(stdout) as { cpuMs: number; wallMs: number; found: number };
                const calls = readCalls(tenantFile).slice(logged);
                samples.push({ build, cpuMs: m.cpuMs, wallMs: m.wallMs, requests: calls.filter((c) => c.kind === "request").length, batches: calls.filter((c) => c.kind === "batch").length });
                process.stderr.write(`run ${r + 1}/${runs} ${build}: CPU ${m.cpuMs.toFixed(0)} ms, wall ${m.wallMs.toFixed(0)} ms\n`);
            }
        }
    } finally {
        await server.close();
        rmSync(work, { recursive: true, force: true });
    }
    load.push(os.loadavg()[0]);
    const lines = [`${guests} addresses, ${runs} runs per build in turns, 1-minute load ${load.map((l) => l.toFixed(2)).join(" -> ")}`, "| build | Graph requests | round trips | CPU ms (min / median / max) | wall ms (min / median / max) |", "| --- | ---: | ---: | ---: | ---: |"];
    for (const build of builds) {
        const mine = samples.filter((s) => s.build === build);
        const spread = (xs: number[]) => {
            const s = [...xs].sort((a, b) => a - b);
            return `${s[0].toFixed(0)} / ${s[Math.floor(s.length / 2)].toFixed(0)} / ${s[s.length - 1].toFixed(0)}`;
        };
        const rt = mine[0].batches > 0 ? mine[0].batches : mine[0].requests;
        lines.push(`| ${build} | ${mine[0].requests} | ${rt} | ${spread(mine.map((s) => s.cpuMs))} | ${spread(mine.map((s) => s.wallMs))} |`);
    }
    process.stdout.write(`${lines.join("\n")}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`[bench:lookups] ${(err as Error).message ?? String(err)}\n`);
    process.exit(1);
});
