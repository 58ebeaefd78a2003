import { mkdirSync } from "fs";
import * as path from "path";
import { Engine } from "../../engine/ensure";
import { readTenant } from "../../sim/tenant/store";
import { AS_OF, groupNames, rosterFiles } from "./roster";
import { BenchStack, Measured } from "./stack";
import { Program } from "./stack";

export interface Options {
    guests: number;
    runs: number;
    parallel?: number;
    skipPreview: boolean;
    /** Engine settings to try (item 3), e.g. PULUMI_SKIP_CHECKPOINTS=true. */
    env: Record<string, string>;
    programs: Program[];
    /** The rows to measure (default all); a 1% row also needs "first up" before it. */
    rows: string[];
    split: boolean;
    maxLoad: number;
    keep: boolean;
    /** A folder for the engine's own Go profiles: each command runs with `--profiling DIR/<program>-<row>`. */
    profile?: string;
    argv: string[];
}

const USAGE = "usage: npm run bench:engine -- [--guests N] [--runs N] [--parallel P] [--skip-preview] [--env NAME=VALUE]... [--programs ours,naive] [--rows 'first up,destroy'] [--split] [--max-load L] [--keep] [--profile DIR]";

export function parseOptions(argv: string[]): Options {
    const o: Options = { guests: 1000, runs: 3, skipPreview: false, env: {}, programs: ["ours", "naive"], rows: [], split: false, maxLoad: 1.5, keep: false, argv };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined) throw new Error(`${a} needs a value; ${USAGE}`);
            return v;
        };
        const count = (v: string) => {
            if (!/^[1-9]\d*$/.test(v)) throw new Error(`${a} must be a whole number above 0 (got "${v}"); ${USAGE}`);
            return Number(v);
        };
        if (a === "--guests") o.guests = count(value());
        else if (a === "--runs") o.runs = count(value());
        else if (a === "--parallel") o.parallel = count(value());
        else if (a === "--skip-preview") o.skipPreview = true;
        else if (a === "--split") o.split = true;
        else if (a === "--keep") o.keep = true;
        else if (a === "--profile") o.profile = value();
        else if (a === "--max-load") o.maxLoad = Number(value());
        else if (a === "--programs") o.programs = value().split(",") as Program[];
        else if (a === "--rows") o.rows = value().split(",").map((r) => r.trim());
        else if (a === "--env") {
            const [k, ...v] = value().split("=");
            o.env[k] = v.join("=");
        } else throw new Error(`unknown option ${a}; ${USAGE}`);
    }
    if (o.programs.some((p) => p !== "ours" && p !== "naive")) throw new Error(`--programs takes ours, naive or both; ${USAGE}`);
    return o;
}

export interface SplitResult {
    date: string;
    guests: number;
    /** Each stack's first preview and first up, in the order run: a then b, one after the other. */
    stacks: { name: string; glob: string; preview: Measured; up: Measured }[];
    /** What the one tenant holds after both: every guest once, every membership once. */
    tenant: { guestUsers: number; memberships: number };
}

/**
 * `--split`: the roster split over two stacks by file glob, both deploying into ONE
 * tenant file. Run one after the other: the simulated tenant's file store has no lock between
 * processes, so two providers writing it at once could lose a write (tools/sim/tenant/store.ts).
 */
export async function splitRun(options: Options, engine: Engine, home: string, work: string): Promise<SplitResult> {
    const n = options.guests;
    const dir = path.join(work, "split");
    mkdirSync(dir);
    const tenant = path.join(dir, "tenant.json");
    const rows = Object.values(rosterFiles(n, "initial")).flatMap((text) => text.split("\n").slice(1).filter((l) => l !== ""));
    const header = "email,displayName,groups\n";
    const half = Math.ceil(rows.length / 2);
    const files = { "part-a.csv": header + rows.slice(0, half).join("\n") + "\n", "part-b.csv": header + rows.slice(half).join("\n") + "\n" };
    const parallel = options.parallel ? ["--parallel", String(options.parallel)] : [];
    const result: SplitResult = { date: new Date().toISOString(), guests: n, stacks: [], tenant: { guestUsers: 0, memberships: 0 } };
    for (const part of ["a", "b"]) {
        const glob = `guests/part-${part}*.csv`;
        const config = { "entra-guests:asOf": AS_OF, "entra-guests:guests[0]": glob };
        const stack = await BenchStack.create({ program: "ours", dir: path.join(dir, part), engine, home, tenant, seed: part === "a" ? { groups: groupNames().map((displayName) => ({ displayName })) } : undefined, config, env: options.env });
        try {
            stack.writeGuests(files);
            const preview = await stack.measure(["preview", ...parallel]);
            const up = await stack.measure(["up", "--yes", ...(options.skipPreview ? ["--skip-preview"] : []), ...parallel]);
            result.stacks.push({ name: `split-${part}`, glob, preview, up });
            process.stderr.write(`[bench:engine] split ${part} (${glob}): preview ${preview.seconds.toFixed(1)} s, up ${up.seconds.toFixed(1)} s, ${up.calls.provider}+${up.calls.http} requests\n`);
        } finally {
            await stack.close();
        }
    }
    const t = readTenant(tenant);
    result.tenant = { guestUsers: t.users.filter((u) => u.createdBy === "invitation").length, memberships: t.groups.reduce((s, g) => s + g.members.length, 0) };
    return result;
}
