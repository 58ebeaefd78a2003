import { appendFileSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from "fs";
import { parseTenant, Tenant, TenantSeed, tenantSchema } from "./format";

/** One line of the call log: what reached the "tenant", in the order it did. */
export type Call =
    /** `via: "http"`: a request to the HTTP face (sim/graph-server); absent: the provider plugin's. */
    | { kind: "request"; method: string; path: string; status: number; write: boolean; note?: string; via?: "http" }
    | { kind: "sleep"; seconds: number; reason: string }
    | { kind: "mail"; to: string; cc: string[] };

/** The call log lives beside the tenant: tenant.json -> tenant.calls.jsonl. */
export function callLogPath(tenantFile: string): string {
    return tenantFile.replace(/(\.json)?$/, ".calls.jsonl");
}

/**
 * The tenant file, shared by every provider process the engine starts (one per command) and
 * by the tests. Each operation re-reads the file when another process changed it, and each
 * change is written at once (to a temporary file, then renamed), so a test can edit the file
 * between two commands and a killed provider never leaves half a tenant.
 */
export class TenantStore {
    private data: Tenant;
    private stamp = "";

    constructor(readonly file: string) {
        this.data = this.load();
    }

    /** Reads the tenant; `fn` may change fault counters and other bookkeeping, which are saved. */
    read<T>(fn: (t: Tenant) => T): T {
        return this.mutate(fn);
    }

    mutate<T>(fn: (t: Tenant) => T): T {
        if (this.changedOnDisk()) this.data = this.load();
        const before = JSON.stringify(this.data);
        // Saved even when `fn` throws: a spent fault counter (a 429, a missed read) stays spent.
        try {
            return fn(this.data);
        } finally {
            const after = JSON.stringify(this.data);
            if (after !== before) this.save(after);
        }
    }

    log(call: Call): void {
        appendFileSync(callLogPath(this.file), `${JSON.stringify(call)}\n`);
    }

    private load(): Tenant {
        const text = readFileSync(this.file, "utf8");
        this.stamp = this.statStamp();
        return parseTenant(text, this.file);
    }

    private save(text: string): void {
        const tmp = `${this.file}.${process.pid}.tmp`;
        writeFileSync(tmp, text);
        renameSync(tmp, this.file);
        this.stamp = this.statStamp();
    }

    private changedOnDisk(): boolean {
        return this.statStamp() !== this.stamp;
    }

    private statStamp(): string {
        // Nanosecond times: an edit between two commands of the same size is still seen.
        const s = statSync(this.file, { bigint: true });
        return `${s.mtimeNs}:${s.ctimeNs}:${s.size}:${s.ino}`;
    }
}

/** Writes a tenant file from a seed (IDs filled in); returns the whole tenant. */
export function writeTenant(file: string, seed: TenantSeed): Tenant {
    const tenant = tenantSchema.parse(seed);
    writeFileSync(file, `${JSON.stringify(tenant, null, 2)}\n`);
    return tenant;
}

export function readTenant(file: string): Tenant {
    return parseTenant(readFileSync(file, "utf8"), file);
}

export function readCalls(tenantFile: string): Call[] {
    const log = callLogPath(tenantFile);
    if (!existsSync(log)) return [];
    return readFileSync(log, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Call);
}
