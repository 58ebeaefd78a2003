import { execFile } from "child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { promisify } from "util";
import { parse } from "yaml";
import { projectRoot as checkoutRoot } from "../../roster/read/project";
import { Engine } from "../engine/ensure";
import { PROVIDER_VERSION } from "./provider/provider";

const run = promisify(execFile);

/** The passphrase of simulated stacks: it guards only simulated secrets (redeem URLs of a fake tenant). */
export const SIM_PASSPHRASE = "entra-guests-simulated-tenant";

export interface SimFolders {
    /** PULUMI_HOME: the engine's plugin cache (with the simulated provider) and workspace settings. */
    home: string;
    /** The file backend's folder. */
    state: string;
    /** The tenant file (tools/sim/README.md); calls are logged beside it. */
    tenant: string;
}

export function simFolders(dir: string): SimFolders {
    return { home: path.join(dir, "home"), state: path.join(dir, "state"), tenant: path.join(dir, "tenant.json") };
}

/**
 * The environment in which the real `pulumi` CLI runs against the simulated tenant: the engine
 * first on PATH (so its own language host is found beside it, not another on PATH), a file
 * backend, a passphrase, no update check and no plugin downloads (REFERENCE.md section 5);
 * `graph`: the simulated Graph over HTTP (tools/sim/graph-server) on the same tenant file.
 */
export function simEnv(engine: Engine, folders: SimFolders, timeScale?: number, graph?: { url: string; token: string }): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    // Only the simulated Graph (tools/sim/graph-server) answers for the simulated tenant: an inherited
    // ENTRA_GUESTS_GRAPH_URL would point the program's own Graph reads at another directory.
    delete env.ENTRA_GUESTS_GRAPH_URL;
    delete env.ENTRA_GUESTS_GRAPH_TOKEN;
    // The v3.68.0 language host (tools/engine/README.md) predates runtime options passed over gRPC, so
    // it drops Pulumi.yaml's nodeargs; NODE_OPTIONS restores them. Without --stack-trace-limit=0 a
    // failing program spends about 16 s formatting stack traces before it exits.
    const nodeOptions = engine.source === "path" ? env.NODE_OPTIONS : [env.NODE_OPTIONS, projectNodeArgs()].filter(Boolean).join(" ");
    return {
        ...env,
        ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
        PATH: `${engine.bin}${path.delimiter}${env.PATH ?? ""}`,
        PULUMI_HOME: folders.home,
        PULUMI_BACKEND_URL: `file://${folders.state}`,
        PULUMI_CONFIG_PASSPHRASE: env.ENTRA_GUESTS_SIM_PASSPHRASE || SIM_PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        ENTRA_GUESTS_SIM_TENANT: folders.tenant,
        ...(timeScale !== undefined ? { ENTRA_GUESTS_SIM_TIME_SCALE: String(timeScale) } : {}),
        // The entra-guests provider polls a new user every 2 s (provider/guest-user.ts); the
        // simulated tenant answers at once, so its polls are scaled like the simulated provider's waits.
        ENTRA_GUESTS_POLL_SECONDS: String(2 * (timeScale ?? 0.001)),
        // The program's own Graph reads (graph/credentials.ts) go to the HTTP face of the same tenant.
        ...(graph ? { ENTRA_GUESTS_GRAPH_URL: graph.url, ENTRA_GUESTS_GRAPH_TOKEN: graph.token } : {}),
    };
}

/**
 * Installs the simulated provider into the PULUMI_HOME plugin cache as azuread v6.9.1, the way
 * `pulumi plugin install --file` installs any local plugin, so the engine loads it in place of
 * the real one for exactly the version @pulumi/azuread asks for. The wrapper names this
 * checkout's compiled provider; it is reinstalled when that changes.
 */
export async function installSimProvider(engine: Engine, folders: SimFolders, projectRoot: string): Promise<void> {
    const main = path.join(projectRoot, "dist", "tools", "sim", "provider", "main.js");
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
    const wrapper = `#!/bin/sh\n# The simulated Entra tenant (entra-guests sim/), not the real azuread provider.\nexec "${process.execPath}" "${main}" "$@"\n`;
    const installed = path.join(folders.home, "plugins", `resource-azuread-v${PROVIDER_VERSION}`, "pulumi-resource-azuread");
    if (existsSync(installed) && readFileSync(installed, "utf8") === wrapper) return;
    const staging = path.join(folders.home, "sim-plugin");
    mkdirSync(staging, { recursive: true });
    const file = path.join(staging, "pulumi-resource-azuread");
    writeFileSync(file, wrapper, { mode: 0o755 });
    await run(engine.pulumi, ["plugin", "install", "resource", "azuread", PROVIDER_VERSION, "--file", file, "--reinstall"], { env: simEnv(engine, folders) });
}

/** runtime.options.nodeargs of this checkout's Pulumi.yaml. */
function projectNodeArgs(): string {
    const root = checkoutRoot(__dirname);
    const project = parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { runtime?: { options?: { nodeargs?: string } } };
    return project.runtime?.options?.nodeargs ?? "";
}
