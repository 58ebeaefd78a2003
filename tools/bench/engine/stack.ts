import { spawn } from "child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "fs";
import { randomUUID } from "crypto";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../../roster/read/project";
import { Engine } from "../../engine/ensure";
import { simEnv, SimFolders } from "../../sim/environment";
import { GraphServer, startGraphServer } from "../../sim/graph-server";
import { TenantSeed } from "../../sim/tenant/format";
import { Call, callLogPath, writeTenant } from "../../sim/tenant/store";
import { PeakRss, TreeSampler } from "./sampler";

const ROOT = projectRoot(__dirname);

export type Program = "ours" | "naive";

/** One command's figures (a row of the bench). */
export interface Measured {
    seconds: number;
    peakMB: PeakRss;
    /** The checkpoint JSON on disk after the command, bytes. */
    stateBytes: number;
    /** Resources in the checkpoint after the command. */
    resources: number;
    calls: CallCount;
    /** The 1-minute load average when the command started. */
    load: number;
}

export interface CallCount {
    /** Requests of the provider plugin. */
    provider: number;
    /** Requests of the program's own Graph reads (the HTTP face). */
    http: number;
    writes: number;
    /** The provider's waits in its own (unscaled) seconds, as the call log records them. */
    waitSeconds: number;
    /** The same requests by "METHOD /path-shape", for calls per guest. */
    byKind: Record<string, number>;
}

/**
 * A stack of one program (ours: this checkout's build and Pulumi.yaml; naive: tools/bench/engine/naive)
 * in a folder of its own: project, file backend and, unless shared, tenant file, with the
 * simulated Graph over HTTP on that tenant. Commands run through the pulumi CLI itself, so the
 * sampler sees the engine's own process tree.
 */
export class BenchStack {
    private constructor(
        readonly program: Program,
        readonly project: string,
        readonly folders: SimFolders,
        private readonly engine: Engine,
        private readonly graph: GraphServer,
        private readonly token: string,
        private readonly extraEnv: Record<string, string>,
    ) {}

    static async create(o: { program: Program; dir: string; engine: Engine; home: string; tenant: string; seed?: TenantSeed; config: Record<string, string>; env: Record<string, string> }): Promise<BenchStack> {
        const project = path.join(o.dir, "project");
        const folders: SimFolders = { home: o.home, state: path.join(o.dir, "state"), tenant: o.tenant };
        mkdirSync(folders.state, { recursive: true });
        mkdirSync(project, { recursive: true });
        if (o.program === "ours") {
            // Copied, as test/engine/harness.ts does: ours finds its guest files beside the Pulumi.yaml above dist/.
            for (const f of ["Pulumi.yaml", "package.json"]) cpSync(path.join(ROOT, f), path.join(project, f));
            cpSync(path.join(ROOT, "dist"), path.join(project, "dist"), { recursive: true, filter: (src) => src !== path.join(ROOT, "dist", "test") });
            // The entra-guests provider's plugin (Pulumi.yaml `plugins`), which runs ../dist from there.
            cpSync(path.join(ROOT, "bin"), path.join(project, "bin"), { recursive: true });
        } else {
            cpSync(path.join(ROOT, "tools", "bench", "engine", "naive", "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
            writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "entra-guests-naive", private: true }));
            mkdirSync(path.join(project, "dist", "tools", "bench", "engine", "naive"), { recursive: true });
            cpSync(path.join(ROOT, "dist", "tools", "bench", "engine", "naive", "index.js"), path.join(project, "dist", "tools", "bench", "engine", "naive", "index.js"));
        }
        symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"));
        if (o.seed) writeTenant(o.tenant, o.seed);
        const token = randomUUID();
        const graph = await startGraphServer({ tenantFile: o.tenant, token });
        const stack = new BenchStack(o.program, project, folders, o.engine, graph, token, o.env);
        await stack.pulumi(["stack", "init", "--secrets-provider", "passphrase"]);
        for (const [k, v] of Object.entries(o.config)) await stack.pulumi(["config", "set", ...(k.includes("[") ? ["--path"] : []), k, v]);
        return stack;
    }

    async close(): Promise<void> {
        await this.graph.close();
    }

    writeGuests(files: Record<string, string>): void {
        const guests = path.join(this.project, "guests");
        rmSync(guests, { recursive: true, force: true });
        mkdirSync(guests);
        for (const [name, text] of Object.entries(files)) writeFileSync(path.join(guests, name), text);
    }

    /** Runs one pulumi command to its end and measures it; a failure throws with the CLI's output. */
    async measure(args: string[]): Promise<Measured> {
        const logStart = existsSync(callLogPath(this.folders.tenant)) ? statSync(callLogPath(this.folders.tenant)).size : 0;
        const load = os.loadavg()[0];
        const started = process.hrtime.bigint();
        const peakMB = await this.pulumi(args, true);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const checkpoint = this.checkpoint();
        const text = checkpoint ? readFileSync(checkpoint, "utf8") : "";
        const resources = text ? ((JSON.parse(text) as { checkpoint?: { latest?: { resources?: unknown[] } } }).checkpoint?.latest?.resources?.length ?? 0) : 0;
        return { seconds, peakMB: peakMB!, stateBytes: Buffer.byteLength(text), resources, calls: countCalls(this.callsSince(logStart)), load };
    }

    /** The file backend's checkpoint of this stack (project layout: .pulumi/stacks/<project>/bench.json). */
    private checkpoint(): string | undefined {
        const stacks = path.join(this.folders.state, ".pulumi", "stacks");
        if (!existsSync(stacks)) return undefined;
        for (const p of readdirSync(stacks)) {
            const file = path.join(stacks, p, "bench.json");
            if (existsSync(file)) return file;
        }
        return undefined;
    }

    private callsSince(offset: number): Call[] {
        const log = callLogPath(this.folders.tenant);
        if (!existsSync(log)) return [];
        return readFileSync(log).subarray(offset).toString("utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Call);
    }

    private pulumi(args: string[], sample = false): Promise<PeakRss | undefined> {
        const env = { ...simEnv(this.engine, this.folders, undefined, { url: this.graph.url, token: this.token }), ...this.extraEnv };
        return new Promise((resolve, reject) => {
            const child = spawn(this.engine.pulumi, [...args, "--stack", "bench", "--non-interactive"], { cwd: this.project, env, stdio: ["ignore", "pipe", "pipe"] });
            const sampler = sample ? new TreeSampler(child.pid!) : undefined;
            sampler?.start();
            let out = "";
            // The last 64 KB is enough to see why a command failed; a 30,000-resource preview prints megabytes.
            const keep = (d: Buffer) => (out = (out + d.toString()).slice(-65536));
            child.stdout.on("data", keep);
            child.stderr.on("data", keep);
            child.on("error", reject);
            child.on("close", (code) => {
                const peak = sampler?.stop();
                if (code !== 0) return reject(new Error(`pulumi ${args.join(" ")} (${this.program}) exited ${code}:\n${out}`));
                resolve(peak);
            });
        });
    }
}

/** Paths with IDs folded, so calls group by kind: /groups/<id>/members/$ref. */
export function pathShape(p: string): string {
    return p.replace(/\?.*$/, "").replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<id>");
}

export function countCalls(calls: Call[]): CallCount {
    const count: CallCount = { provider: 0, http: 0, writes: 0, waitSeconds: 0, byKind: {} };
    for (const c of calls) {
        if (c.kind === "sleep") count.waitSeconds += c.seconds;
        if (c.kind !== "request") continue;
        if (c.via === "http") count.http++;
        else count.provider++;
        if (c.write) count.writes++;
        const key = `${c.via === "http" ? "http " : ""}${c.method} ${pathShape(c.path)}`;
        count.byKind[key] = (count.byKind[key] ?? 0) + 1;
    }
    return count;
}
