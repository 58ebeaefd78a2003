import { readdirSync, readFileSync } from "fs";

/** Peak resident memory (VmHWM) in MB of each kind of process a pulumi command runs. */
export interface PeakRss {
    /** The pulumi CLI: the engine, its diffs and the checkpoint. */
    engine: number;
    /** pulumi-language-nodejs, the Go host that starts the program. */
    languageHost: number;
    /** The node process running the Pulumi program (the SDK and our code). */
    program: number;
    /** The simulated provider plugin (tools/sim/provider), for information: the same for both programs. */
    provider: number;
}

type Kind = keyof PeakRss;

/**
 * Samples /proc every `intervalMs` for the descendants of one process and keeps each one's
 * VmHWM (the kernel's own high-water mark, so a peak between two samples is not missed; only
 * growth after a process's last sample is). Processes are told apart by name and command line:
 * the provider is the node running tools/sim/provider/main.js, the program any other node.
 */
export class TreeSampler {
    private readonly peaks = new Map<number, { kind: Kind; kb: number }>();
    private timer: NodeJS.Timeout | undefined;

    constructor(
        private readonly root: number,
        private readonly intervalMs = 100,
    ) {}

    start(): void {
        this.sample();
        this.timer = setInterval(() => this.sample(), this.intervalMs);
    }

    /** Stops sampling; the peak of each kind is the largest of its processes (they run side by side only for the provider). */
    stop(): PeakRss {
        if (this.timer) clearInterval(this.timer);
        const peak: PeakRss = { engine: 0, languageHost: 0, program: 0, provider: 0 };
        for (const { kind, kb } of this.peaks.values()) peak[kind] = Math.max(peak[kind], kb / 1024);
        return peak;
    }

    private sample(): void {
        const parents = new Map<number, number>();
        for (const entry of readdirSync("/proc")) {
            if (!/^\d+$/.test(entry)) continue;
            const stat = read(`/proc/${entry}/stat`);
            // pid (comm) state ppid ...: comm may hold spaces, so split after the last ")".
            const m = stat && /\) \S (\d+)/.exec(stat.slice(stat.lastIndexOf(")")));
            if (m) parents.set(Number(entry), Number(m[1]));
        }
        const inTree = (pid: number): boolean => {
            for (let p: number | undefined = pid, depth = 0; p !== undefined && p > 1 && depth < 20; p = parents.get(p), depth++) if (p === this.root) return true;
            return false;
        };
        for (const pid of parents.keys()) {
            if (!inTree(pid)) continue;
            const status = read(`/proc/${pid}/status`);
            const hwm = status && /VmHWM:\s+(\d+) kB/.exec(status);
            const kind = status && kindOf(pid, /Name:\s+(\S+)/.exec(status)?.[1] ?? "");
            if (!hwm || !kind) continue;
            const kb = Number(hwm[1]);
            const seen = this.peaks.get(pid);
            if (!seen || seen.kb < kb) this.peaks.set(pid, { kind, kb });
        }
    }
}

function kindOf(pid: number, name: string): Kind | undefined {
    if (name === "pulumi") return "engine";
    if (name.startsWith("pulumi-language")) return "languageHost";
    if (name !== "node") return undefined;
    const cmdline = read(`/proc/${pid}/cmdline`) ?? "";
    return cmdline.includes("tools/sim/provider/main.js") ? "provider" : "program";
}

/** A process may exit between listing and reading. */
function read(file: string): string | undefined {
    try {
        return readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}
