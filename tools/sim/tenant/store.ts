import { createHash, randomUUID } from "crypto";
import { appendFileSync, closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from "fs";
import * as path from "path";
import { AppRoleAssignment, parseTenant, Tenant, TenantSeed, tenantSchema, User } from "./format";

/** One line of the call log: what reached the "tenant", in the order it did. */
export type Call =
    /** `via: "http"`: a request to the HTTP face (tools/sim/graph-server); absent: the provider plugin's. */
    | { kind: "request"; method: string; path: string; status: number; write: boolean; note?: string; via?: "http" }
    /**
     * A `POST /$batch` to the HTTP face: one round trip carrying `requests` Graph requests, each
     * logged as a request of its own after this line (none when the batch itself is refused).
     */
    | { kind: "batch"; status: number; requests: number; note?: string; via: "http" }
    | { kind: "sleep"; seconds: number; reason: string }
    | { kind: "mail"; to: string; cc: string[] };

/**
 * One change to the tenant, as Graph's handlers make it. Each is applied to the tenant in memory
 * and appended to the tenant's journal, so a request costs what it changes, not the tenant's size.
 */
export type Change =
    /** A user added, or replaced whole (matched by ID). */
    | { op: "user"; user: User }
    /** A user deleted, and with it its memberships and app role assignments. */
    | { op: "deleteUser"; id: string }
    | { op: "member"; group: string; member: string; present: boolean }
    | { op: "assignment"; assignment: AppRoleAssignment }
    | { op: "deleteAssignment"; id: string; resourceId: string }
    | { op: "invitation"; invitation: Tenant["invitations"][number] }
    | { op: "mail"; mail: Tenant["mail"][number] }
    /** The fault counters, replaced whole (they are a few small maps). */
    | { op: "faults"; faults: Tenant["faults"] };

/** Applies one change to a tenant in memory: the journal's replay and the live path share it. */
export function applyChange(t: Tenant, c: Change): void {
    switch (c.op) {
        case "user": {
            const user = structuredClone(c.user);
            const i = t.users.findIndex((u) => u.id === user.id);
            if (i < 0) t.users.push(user);
            else Object.assign(t.users[i], user);
            return;
        }
        case "deleteUser": {
            const i = t.users.findIndex((u) => u.id === c.id);
            if (i >= 0) t.users.splice(i, 1);
            for (const g of t.groups) if (g.members.includes(c.id)) g.members = g.members.filter((m) => m !== c.id);
            if (t.appRoleAssignments.some((a) => a.principalId === c.id)) t.appRoleAssignments = t.appRoleAssignments.filter((a) => a.principalId !== c.id);
            return;
        }
        case "member": {
            const g = t.groups.find((x) => x.id === c.group);
            if (!g) return;
            const has = g.members.includes(c.member);
            if (c.present && !has) g.members.push(c.member);
            if (!c.present && has) g.members = g.members.filter((m) => m !== c.member);
            return;
        }
        case "assignment":
            t.appRoleAssignments = t.appRoleAssignments.filter((a) => a.id !== c.assignment.id);
            t.appRoleAssignments.push(structuredClone(c.assignment));
            return;
        case "deleteAssignment":
            t.appRoleAssignments = t.appRoleAssignments.filter((a) => !(a.id === c.id && a.resourceId === c.resourceId));
            return;
        case "invitation":
            t.invitations.push(structuredClone(c.invitation));
            return;
        case "mail":
            t.mail.push(structuredClone(c.mail));
            return;
        case "faults":
            t.faults = structuredClone(c.faults);
            return;
    }
}

/** The call log lives beside the tenant: tenant.json -> tenant.calls.jsonl. */
export function callLogPath(tenantFile: string): string {
    return tenantFile.replace(/(\.json)?$/, ".calls.jsonl");
}

/** tenant.json -> tenant.journal-<12 hex of the snapshot's SHA-1>.jsonl: a journal belongs to one snapshot. */
function journalPath(tenantFile: string, snapshot: string): string {
    const digest = createHash("sha1").update(snapshot).digest("hex").slice(0, 12);
    return `${journalPrefix(tenantFile)}${digest}.jsonl`;
}

const journalPrefix = (tenantFile: string) => tenantFile.replace(/(\.json)?$/, ".journal-");

/**
 * The tenant, shared by every provider process the engine starts (one per command), the HTTP
 * face and the tests. It is two files: a snapshot (tenant.json, the documented format) and the
 * journal of changes made since (one JSON line per change, appended, named after the
 * snapshot's digest). Before each request a store applies the lines other processes appended;
 * each request appends its own changes in one write, even when it then fails (a spent fault
 * counter stays spent). A killed provider loses nothing it answered, and at most leaves a torn
 * last line, which is ignored until it is whole.
 *
 * `edit` (tests and seeding) and `compact` rewrite the snapshot with the journal folded in,
 * which starts a new journal; a store that sees the snapshot change reloads it whole.
 *
 * ENTRA_GUESTS_SIM_VERIFY=1 (set by the test suites) checks after a request that the tenant in
 * memory is exactly the snapshot plus the changes committed: a handler that changed the tenant
 * without committing the change would be lost to every other process. The check serializes the
 * whole tenant twice, so each kind of request (`mutate`'s `kind`) is checked its first
 * VERIFY_FIRST times in a store and every VERIFY_EVERY-th time after: a handler's bug shows on
 * its first calls, and a thousand lookups on a thousand users stay a second's work, not ten.
 */
const VERIFY_FIRST = 20;
const VERIFY_EVERY = 50;

export class TenantStore {
    private data!: Tenant;
    private stamp = "";
    private journal = "";
    private offset = 0;
    /** This store's mark on the journal lines it writes, which it has applied already. */
    private readonly writer = randomUUID();
    private readonly verify = process.env.ENTRA_GUESTS_SIM_VERIFY === "1";
    /** Requests served, by kind, for the verification's sampling. */
    private readonly served = new Map<string, number>();

    constructor(readonly file: string) {
        this.reload();
    }

    /** The tenant now: snapshot and journal. Callers must not change it (use `mutate` or `edit`). */
    current(): Tenant {
        this.catchUp();
        return this.data;
    }

    /**
     * One request's work. `fn` reads the tenant and changes it only through `commit`; the changes
     * are journaled even when `fn` throws. `kind` (a method and a path without IDs) groups
     * requests for ENTRA_GUESTS_SIM_VERIFY's sampling.
     */
    mutate<T>(fn: (t: Tenant, commit: (c: Change) => void) => T, kind = ""): T {
        this.catchUp();
        const lines: string[] = [];
        const committed: Change[] = [];
        const verify = this.verify && this.sampled(kind);
        const before = verify ? JSON.stringify(this.data) : "";
        const commit = (c: Change) => {
            lines.push(JSON.stringify({ w: this.writer, c }));
            if (verify) committed.push(structuredClone(c));
            applyChange(this.data, c);
        };
        try {
            return fn(this.data, commit);
        } finally {
            if (lines.length > 0) appendFileSync(this.journal, `${lines.join("\n")}\n`);
            if (verify) this.check(before, committed);
        }
    }

    private sampled(kind: string): boolean {
        const n = (this.served.get(kind) ?? 0) + 1;
        this.served.set(kind, n);
        return n <= VERIFY_FIRST || n % VERIFY_EVERY === 0;
    }

    /** Any change at all (tests, seeding): the snapshot is rewritten and a new journal begins. */
    edit(fn: (t: Tenant) => void): void {
        this.catchUp();
        fn(this.data);
        this.writeSnapshot(tenantSchema.parse(this.data));
    }

    /** Folds the journal into the snapshot, so tenant.json alone shows the tenant (`npm run sim` does this after each command). */
    compact(): void {
        this.catchUp();
        if (this.offset > 0) this.writeSnapshot(this.data);
    }

    log(call: Call): void {
        appendFileSync(callLogPath(this.file), `${JSON.stringify(call)}\n`);
    }

    private check(before: string, committed: Change[]): void {
        const expected = JSON.parse(before) as Tenant;
        for (const c of committed) applyChange(expected, c);
        if (JSON.stringify(expected) !== JSON.stringify(this.data)) {
            throw new Error("simulated tenant: a handler changed the tenant without committing the change (tools/sim/tenant/store.ts, ENTRA_GUESTS_SIM_VERIFY)");
        }
    }

    private writeSnapshot(tenant: Tenant): void {
        const text = `${JSON.stringify(tenant, null, 2)}\n`;
        const tmp = `${this.file}.${process.pid}.tmp`;
        writeFileSync(tmp, text);
        renameSync(tmp, this.file);
        removeJournals(this.file);
        this.reload();
    }

    private reload(): void {
        const text = readFileSync(this.file, "utf8");
        this.stamp = statStamp(this.file);
        this.data = parseTenant(text, this.file);
        this.journal = journalPath(this.file, text);
        this.offset = 0;
        this.readJournal();
    }

    private catchUp(): void {
        if (statStamp(this.file) !== this.stamp) this.reload();
        else this.readJournal();
    }

    /** Applies the whole lines appended since the last read, skipping this store's own. */
    private readJournal(): void {
        if (!existsSync(this.journal)) return;
        const fd = openSync(this.journal, "r");
        try {
            const size = fstatSync(fd).size;
            if (size <= this.offset) return;
            const bytes = Buffer.alloc(size - this.offset);
            readSync(fd, bytes, 0, bytes.length, this.offset);
            const end = bytes.lastIndexOf(0x0a);
            if (end < 0) return;
            for (const line of bytes.subarray(0, end).toString("utf8").split("\n")) {
                if (line === "") continue;
                const { w, c } = JSON.parse(line) as { w: string; c: Change };
                if (w !== this.writer) applyChange(this.data, c);
            }
            this.offset += end + 1;
        } finally {
            closeSync(fd);
        }
    }
}

function statStamp(file: string): string {
    // Nanosecond times: an edit between two commands of the same size is still seen.
    const s = statSync(file, { bigint: true });
    return `${s.mtimeNs}:${s.ctimeNs}:${s.size}:${s.ino}`;
}

/** A snapshot just written has no changes yet: every journal goes, even one with the same digest. */
function removeJournals(tenantFile: string): void {
    const prefix = path.basename(journalPrefix(tenantFile));
    const dir = path.dirname(tenantFile);
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
        const full = path.join(dir, name);
        if (name.startsWith(prefix) && name.endsWith(".jsonl")) rmSync(full, { force: true });
    }
}

/** Writes a tenant file from a seed (IDs filled in), starting a new journal; returns the whole tenant. */
export function writeTenant(file: string, seed: TenantSeed): Tenant {
    const tenant = tenantSchema.parse(seed);
    const text = `${JSON.stringify(tenant, null, 2)}\n`;
    writeFileSync(file, text);
    removeJournals(file);
    return tenant;
}

/** The tenant now: its snapshot with its journal applied. */
export function readTenant(file: string): Tenant {
    return new TenantStore(file).current();
}

export function readCalls(tenantFile: string): Call[] {
    const log = callLogPath(tenantFile);
    if (!existsSync(log)) return [];
    return readFileSync(log, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Call);
}
