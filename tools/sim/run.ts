// `npm run sim -- <pulumi arguments>`: the real pulumi CLI on this project, against the simulated
// tenant, with its state, secrets and tenant in one folder (.sim/, or ENTRA_GUESTS_SIM_DIR).
import { spawn } from "child_process";
import { randomUUID } from "crypto";
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, Stats, symlinkSync } from "fs";
import * as path from "path";
import { readProjectSettings } from "../../cli/shell/project-config";
import { EngineError, ensureEngine, Engine } from "../engine/ensure";
import { loadRoster } from "../../roster";
import { projectRoot } from "../../roster/read/project";
import { installSimProvider, simEnv, simFolders, SimFolders } from "./environment";
import { startGraphServer } from "./graph-server";
import { seedFromGuests } from "./seed";
import { parseTenant } from "./tenant/format";
import { TenantStore, writeTenant } from "./tenant/store";

const STACK = "sim";
const say = (line: string) => process.stderr.write(`[sim] ${line}\n`);

async function main(args: string[]): Promise<number> {
    const root = projectRoot();
    const dir = path.resolve(process.env.ENTRA_GUESTS_SIM_DIR || path.join(root, ".sim"));
    const folders = simFolders(dir);
    for (const d of [dir, folders.home, folders.state]) mkdirSync(d, { recursive: true });
    const engine = await ensureEngine((l) => say(l));
    say(`pulumi ${engine.version} (${engine.source === "path" ? "from PATH" : `built from Go modules, ${engine.bin}`}); simulated tenant ${folders.tenant}; state in ${folders.state}`);
    await installSimProvider(engine, folders, root);
    const work = workspace(root, dir);
    await pulumi(engine, ["stack", "select", "--create", STACK, "--secrets-provider", "passphrase"], work, simEnv(engine, folders), true);
    await seedTenant(root, work, folders);
    if (args.length === 0) {
        say("no pulumi arguments given: try `npm run sim -- preview` or `npm run sim -- up --yes`");
        return 0;
    }
    // The program's own Graph reads go to the same tenant over HTTP, for as long as the command runs.
    const token = randomUUID();
    const graph = await startGraphServer({ tenantFile: folders.tenant, token });
    try {
        const env = simEnv(engine, folders, undefined, { url: graph.url, token });
        if (args[0] === "entra-guests") return await entraGuests(root, args.slice(1), work, env);
        return await pulumi(engine, args, work, env, false);
    } finally {
        await graph.close();
        // The journal folded in: .sim/tenant.json alone shows the tenant after each command.
        new TenantStore(folders.tenant).compact();
    }
}

/**
 * `npm run sim -- entra-guests <command>`: this checkout's CLI on the sim stack, its Graph reads
 * (status, resend, adopt) answered by the simulated tenant, `pulumi` (access, status's stack
 * column) the engine's, in the sim project folder where Pulumi.sim.yaml is. `diff` compares git
 * refs, so it runs in the checkout, with the checkout's own settings; `template` needs no stack.
 */
function entraGuests(root: string, args: string[], work: string, env: Record<string, string>): Promise<number> {
    const inCheckout = args[0] === "diff";
    const cwd = inCheckout ? root : work;
    const stack = args[0] !== "template" && !inCheckout && !args.includes("--stack") ? ["--stack", STACK] : [];
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(root, "bin", "entra-guests.js"), ...args, ...stack], { cwd, env, stdio: "inherit" });
        child.on("error", reject);
        child.on("close", (code) => resolve(code ?? 1));
    });
}

/**
 * The tenant: ENTRA_GUESTS_SIM_SEED (the documented format) on first use; otherwise every group,
 * app and role that the sim stack's guest files name is added when missing, on every run.
 */
async function seedTenant(root: string, work: string, folders: SimFolders): Promise<void> {
    const seedFile = process.env.ENTRA_GUESTS_SIM_SEED;
    if (!existsSync(folders.tenant)) {
        if (seedFile) {
            writeTenant(folders.tenant, parseTenant(readFileSync(seedFile, "utf8"), seedFile));
            say(`tenant seeded from ${seedFile}`);
            return;
        }
        writeTenant(folders.tenant, {});
    }
    if (seedFile) return;
    // The sim stack's own settings (Pulumi.sim.yaml beside the copied Pulumi.yaml); paths are the project's.
    const settings = await readProjectSettings(work, STACK);
    if (!settings.ok) return;
    const roster = await loadRoster(settings.settings.guests, { ...settings.settings, cwd: root }).catch(() => undefined);
    if (!roster) return;
    const store = new TenantStore(folders.tenant);
    // Tried on a copy first: the tenant is rewritten only when something is missing.
    if (sum(seedFromGuests(structuredClone(store.current()), roster.guests)) === 0) return;
    let added = { groups: [], apps: [], roles: [] } as ReturnType<typeof seedFromGuests>;
    store.edit((tenant) => void (added = seedFromGuests(tenant, roster.guests)));
    const parts = [...added.groups.map((g) => `group "${g}"`), ...added.apps.map((a) => `app "${a}"`), ...added.roles.map((r) => `role ${r}`)];
    say(`added to the tenant what the guest files name: ${parts.join(", ")}`);
}

const sum = (r: ReturnType<typeof seedFromGuests>) => r.groups.length + r.apps.length + r.roles.length;

/**
 * The stack's own project folder inside the sim folder: Pulumi.yaml and package.json copied, the
 * build, node_modules, bin/ (the entra-guests provider's plugin, Pulumi.yaml `plugins`) and the
 * guest files linked (the CLI reads them there, beside Pulumi.sim.yaml). The program finds the guest files from its real location
 * (dist/ resolves to this checkout), and Pulumi.sim.yaml stays out of the work tree.
 */
function workspace(root: string, dir: string): string {
    const work = path.join(dir, "project");
    mkdirSync(work, { recursive: true });
    for (const f of ["Pulumi.yaml", "package.json"]) copyFileSync(path.join(root, f), path.join(work, f));
    // Re-pointed when the folder was made by another checkout (ENTRA_GUESTS_SIM_DIR shared), so
    // the program that runs is always this checkout's build.
    for (const link of ["dist", "node_modules", "bin", "guests"]) {
        const at = path.join(work, link);
        const target = path.join(root, link);
        if (lstatOrUndefined(at)?.isSymbolicLink() && readlinkSync(at) === target) continue;
        rmSync(at, { force: true, recursive: false });
        symlinkSync(target, at);
    }
    return work;
}

function lstatOrUndefined(p: string): Stats | undefined {
    try {
        return lstatSync(p);
    } catch {
        return undefined;
    }
}

function pulumi(engine: Engine, args: string[], cwd: string, env: Record<string, string>, quiet: boolean): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn(engine.pulumi, args, { cwd, env, stdio: quiet ? ["ignore", "ignore", "pipe"] : "inherit" });
        let stderr = "";
        child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("error", reject);
        child.on("close", (code) => {
            if (quiet && code !== 0) return reject(new Error(`pulumi ${args.join(" ")} failed: ${stderr.trim()}`));
            resolve(code ?? 1);
        });
    });
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
        say(err instanceof EngineError ? `engine: ${err.message}` : `${(err as Error).message ?? err}`);
        if (process.env.ENTRA_GUESTS_DEBUG) console.error(err);
        process.exit(1);
    },
);
