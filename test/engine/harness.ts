import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "fs";
import { execFile, spawn } from "child_process";
import { randomUUID } from "crypto";
import * as os from "os";
import { promisify } from "util";
import * as path from "path";
import { CommandError, ConfigMap, EngineEvent, LocalWorkspace, OutputMap, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { Engine, ensureEngine } from "../../tools/engine/ensure";
import { installSimProvider, simEnv, SimFolders } from "../../tools/sim/environment";
import { GraphServer, startGraphServer } from "../../tools/sim/graph-server";
import { Tenant, TenantSeed } from "../../tools/sim/tenant/format";
import { Call, readCalls, readTenant, TenantStore, writeTenant, callLogPath } from "../../tools/sim/tenant/store";

const runFile = promisify(execFile);

/** The checkout: dist/test/engine -> three levels up. */
const ROOT = path.resolve(__dirname, "../../..");

/** One resource step as the engine reported it (resourcePreEvent). */
export interface Step {
    op: string;
    type: string;
    /** The logical name, e.g. guests/ann@fabrikam.com. */
    name: string;
}

export interface Diagnostic {
    severity: string;
    message: string;
}

export interface RunResult {
    ok: boolean;
    /** Steps on the guests' resources only (GuestUser, azuread), in the order the engine started them. */
    steps: Step[];
    diagnostics: Diagnostic[];
    /** The CLI's stderr and stdout, when the command failed. */
    failure: string;
}

let shared: { engine: Engine; home: string; root: string } | undefined;

/** The engine (built when its cache is empty) and one PULUMI_HOME with the simulated provider. */
export async function engineForTests(): Promise<{ engine: Engine; home: string; root: string }> {
    if (shared) return shared;
    const engine = await ensureEngine((l) => process.stderr.write(`      ${l}\n`));
    const root = mkdtempSync(path.join(os.tmpdir(), "entra-guests-engine-"));
    const home = path.join(root, "home");
    mkdirSync(home);
    await installSimProvider(engine, { home, state: path.join(root, "unused"), tenant: path.join(root, "unused.json") }, ROOT);
    shared = { engine, home, root };
    return shared;
}

/** The simulated Graph of every SimStack not yet disposed. */
const graphServers = new Set<GraphServer>();

export async function cleanUpEngineTests(): Promise<void> {
    await Promise.all([...graphServers].map((g) => g.close()));
    graphServers.clear();
    if (shared) rmSync(shared.root, { recursive: true, force: true });
    shared = undefined;
}

/**
 * One stack, its own project folder (a copy of the program and the guest files the test writes),
 * its own file backend and its own tenant file, driven through the Automation API.
 */
export class SimStack {
    private constructor(
        readonly dir: string,
        readonly project: string,
        readonly folders: SimFolders,
        readonly stack: Stack,
        /** The simulated Graph over HTTP on this stack's tenant file, for the program's own Graph reads. */
        readonly graph: { url: string; token: string },
    ) {}

    /**
     * `legacyLayout`: a file backend in the layout of states made before Pulumi had projects
     * (`.pulumi/meta.yaml` version 0, stacks at `.pulumi/stacks/<stack>.json`), as the CLI keeps
     * for any existing state of that kind (pkg/backend/diy/meta.go:65-102 at v3.248.0).
     */
    static async create(guests: Record<string, string>, seed: TenantSeed = {}, config: Record<string, string> = {}, options: { legacyLayout?: boolean } = {}): Promise<SimStack> {
        const { engine, home, root } = await engineForTests();
        const dir = mkdtempSync(path.join(root, "stack-"));
        const project = path.join(dir, "project");
        const folders: SimFolders = { home, state: path.join(dir, "state"), tenant: path.join(dir, "tenant.json") };
        mkdirSync(folders.state, { recursive: true });
        if (options.legacyLayout) {
            mkdirSync(path.join(folders.state, ".pulumi"));
            writeFileSync(path.join(folders.state, ".pulumi", "meta.yaml"), "version: 0\n");
        }
        // The compiled program is copied, not linked: it finds the guest files next to its Pulumi.yaml.
        mkdirSync(project);
        for (const f of ["Pulumi.yaml", "package.json"]) cpSync(path.join(ROOT, f), path.join(project, f));
        // The whole build but the tests: the program may import any of it.
        cpSync(path.join(ROOT, "dist"), path.join(project, "dist"), { recursive: true, filter: (src) => src !== path.join(ROOT, "dist", "test") });
        symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"));
        // The entra-guests provider's plugin (Pulumi.yaml `plugins`), which runs ../dist from there.
        cpSync(path.join(ROOT, "bin"), path.join(project, "bin"), { recursive: true });
        writeTenant(folders.tenant, seed);
        const token = randomUUID();
        const server = await startGraphServer({ tenantFile: folders.tenant, token });
        graphServers.add(server);
        const graph = { url: server.url, token };
        const sim = new SimStack(dir, project, folders, undefined as unknown as Stack, graph);
        sim.writeGuests(guests);
        const pulumiCommand = await PulumiCommand.get({ root: engine.root });
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName: "test", workDir: project },
            { pulumiCommand, pulumiHome: home, envVars: simEnv(engine, folders, undefined, graph), secretsProvider: "passphrase" },
        );
        const all: ConfigMap = { "entra-guests:asOf": { value: "2026-11-25" } };
        for (const [k, v] of Object.entries(config)) all[k] = { value: v };
        await stack.setAllConfig(all);
        return new SimStack(dir, project, folders, stack, graph);
    }

    /** Stops this stack's simulated Graph; cleanUpEngineTests stops those left running. */
    async dispose(): Promise<void> {
        const server = [...graphServers].find((g) => g.url === this.graph.url);
        if (!server) return;
        graphServers.delete(server);
        await server.close();
    }

    /**
     * The program the stack runs: `source` (a whole JavaScript program, for a stack that an
     * earlier version deployed) in place of this checkout's compiled index.js, or this checkout's
     * again when undefined.
     */
    useProgram(source: string | undefined): void {
        const main = path.join(this.project, "dist", "index.js");
        writeFileSync(main, source ?? readFileSync(path.join(ROOT, "dist", "index.js"), "utf8"));
    }

    /** Replaces the guests/ folder with these files (path under guests/ -> text). */
    writeGuests(files: Record<string, string>): void {
        const guests = path.join(this.project, "guests");
        rmSync(guests, { recursive: true, force: true });
        mkdirSync(guests);
        for (const [name, text] of Object.entries(files)) writeFileSync(path.join(guests, name), text);
    }

    async setConfig(key: string, value: string): Promise<void> {
        await this.stack.setConfig(key, { value });
    }

    async preview(): Promise<RunResult> {
        return this.run((onEvent) => this.stack.preview({ onEvent }));
    }

    /** `pulumi up`; with `refresh`, `pulumi up --refresh` (each resource read back first). */
    async up(options: { refresh?: boolean } = {}): Promise<RunResult> {
        return this.run((onEvent) => this.stack.up({ onEvent, ...(options.refresh ? { refresh: true } : {}) }));
    }

    /**
     * `pulumi up --yes --skip-preview` as a runner would start it, killed (SIGKILL, the CLI and
     * every plugin it started) as soon as `when` holds for the tenant: a machine lost half way.
     * The kill lands between two checkpoint writes: the processes are frozen (SIGSTOP) and killed
     * only when no write of the file backend is under way (no temporary file, no empty `.attrs`
     * sidecar), else thawed and tried again; a file backend killed inside a write is left
     * unreadable ("failed to load checkpoint: EOF"), which is the backend's problem, not this test's.
     */
    async upKilled(when: (t: Tenant) => boolean): Promise<{ killed: boolean }> {
        const { engine } = await engineForTests();
        const child = spawn(engine.pulumi, ["up", "--yes", "--skip-preview", "--stack", "test"], { cwd: this.project, env: simEnv(engine, this.folders, undefined, this.graph), detached: true, stdio: "ignore" });
        let exited = false;
        const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        void gone.then(() => (exited = true));
        let killed = false;
        const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
        while (!exited && !killed) {
            if (existsSync(this.folders.tenant) && when(readTenant(this.folders.tenant))) {
                process.kill(-child.pid!, "SIGSTOP");
                const files = walk(path.join(this.folders.state, ".pulumi"));
                const writing = files.some((f) => f.endsWith(".tmp") || (f.endsWith(".attrs") && statSync(f).size === 0));
                if (writing) {
                    process.kill(-child.pid!, "SIGCONT");
                    await sleep(5);
                } else {
                    process.kill(-child.pid!, "SIGKILL");
                    killed = true;
                }
            } else {
                await sleep(50);
            }
        }
        await gone;
        return { killed };
    }

    async refresh(): Promise<RunResult> {
        return this.run((onEvent) => this.stack.refresh({ onEvent }));
    }

    async destroy(): Promise<RunResult> {
        return this.run((onEvent) => this.stack.destroy({ onEvent }));
    }

    async outputs(): Promise<OutputMap> {
        return this.stack.outputs();
    }

    /** The stack's resources in state (type and logical name), and what the state holds for each. */
    async state(): Promise<{ type: string; name: string; outputs: Record<string, unknown>; retainOnDelete?: boolean; protect?: boolean; deletedWith?: string }[]> {
        const deployment = await this.stack.exportStack();
        const resources = (deployment.deployment.resources ?? []) as { urn: string; type: string; outputs?: Record<string, unknown>; retainOnDelete?: boolean; protect?: boolean; deletedWith?: string }[];
        return resources
            .filter((r) => isGuestResource(r.type))
            .map((r) => ({ type: r.type, name: nameOf(r.urn), outputs: r.outputs ?? {}, retainOnDelete: r.retainOnDelete, protect: r.protect, deletedWith: r.deletedWith }));
    }

    /**
     * Changes the stack's state through `pulumi stack export` and `pulumi stack import`, the
     * engine's own tools: here to make the state an earlier version of the program left.
     */
    async editDeployment(edit: (deployment: { resources?: { type: string; outputs?: Record<string, unknown> }[] }) => void): Promise<void> {
        const exported = await this.stack.exportStack();
        edit(exported.deployment as { resources?: { type: string; outputs?: Record<string, unknown> }[] });
        await this.stack.importStack(exported);
    }

    /** The raw checkpoint file of the file backend, as stored on disk. */
    checkpointText(): string {
        const stacks = path.join(this.folders.state, ".pulumi", "stacks");
        const files = walk(stacks).filter((f) => /test\.json$/.test(f));
        if (files.length !== 1) throw new Error(`expected one checkpoint under ${stacks}, found ${files.join(", ") || "none"}`);
        return readFileSync(files[0], "utf8");
    }

    /** The pulumi CLI itself on this stack, as a user would run it; returns stdout. */
    async cli(...args: string[]): Promise<string> {
        const { engine } = await engineForTests();
        const { stdout } = await runFile(engine.pulumi, [...args, "--stack", "test"], { cwd: this.project, env: simEnv(engine, this.folders, undefined, this.graph) });
        return stdout;
    }

    /** This checkout's `entra-guests` on this stack, run in its project with the engine's pulumi on PATH; returns stdout. */
    async entraGuests(...args: string[]): Promise<string> {
        const { engine } = await engineForTests();
        const { stdout } = await runFile(process.execPath, [path.join(ROOT, "bin", "entra-guests.js"), ...args, "--stack", "test"], { cwd: this.project, env: simEnv(engine, this.folders) });
        return stdout;
    }

    tenant(): Tenant {
        return readTenant(this.folders.tenant);
    }

    /** Changes the tenant between commands, as the portal or a script would. */
    editTenant(edit: (t: Tenant) => void): void {
        new TenantStore(this.folders.tenant).edit(edit);
    }

    calls(): Call[] {
        return readCalls(this.folders.tenant);
    }

    /** Writes that reached the tenant, as "METHOD path" (status), from the call log. */
    writes(): string[] {
        return this.calls()
            .filter((c): c is Extract<Call, { kind: "request" }> => c.kind === "request" && c.write)
            .map((c) => `${c.method} ${c.path} ${c.status}`);
    }

    clearCalls(): void {
        rmSync(callLogPath(this.folders.tenant), { force: true });
    }

    private async run(command: (onEvent: (e: EngineEvent) => void) => Promise<unknown>): Promise<RunResult> {
        const steps: Step[] = [];
        const diagnostics: Diagnostic[] = [];
        const onEvent = (e: EngineEvent) => {
            const m = e.resourcePreEvent?.metadata;
            if (m && isGuestResource(m.type)) steps.push({ op: m.op, type: m.type, name: nameOf(m.urn) });
            if (e.diagnosticEvent) diagnostics.push({ severity: e.diagnosticEvent.severity, message: e.diagnosticEvent.message });
        };
        try {
            await command(onEvent);
            return { ok: true, steps, diagnostics, failure: "" };
        } catch (err) {
            if (!(err instanceof CommandError)) throw err;
            return { ok: false, steps, diagnostics, failure: err.message };
        }
    }
}

/** The resources a stack's guests are made of: the entra-guests provider's GuestUser and azuread's. */
export function isGuestResource(type: string): boolean {
    return type.startsWith("azuread:index/") || type.startsWith("entraguests:index:");
}

/** The logical name: the last part of the URN. */
export function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

/** "op Type name" lines, sorted, for exact assertions; `only` keeps those ops. */
export function ops(result: RunResult, ...only: string[]): string[] {
    return result.steps
        .filter((s) => only.length === 0 || only.includes(s.op))
        .map((s) => `${s.op} ${shortType(s.type)} ${s.name}`)
        .sort();
}

/** azuread:index/groupMember:GroupMember -> GroupMember */
export function shortType(type: string): string {
    return type.split(":").pop() ?? type;
}

export const warnings = (r: RunResult) => r.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message.trim());

function walk(dir: string): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** A stack deployed from these files by one `up`; fails the test if it does. The call log starts empty. */
export async function deployed(guests: Record<string, string>, seed: TenantSeed = {}, config: Record<string, string> = {}): Promise<SimStack> {
    const sim = await SimStack.create(guests, seed, config);
    const up = await sim.up();
    if (!up.ok) throw new Error(`the up failed:\n${up.failure}`);
    sim.clearCalls();
    return sim;
}
