import { promises as fs } from "fs";
import * as path from "path";
import { main } from "../../cli/main";
import { startGraphServer } from "../../tools/sim/graph-server";
import { TenantSeed } from "../../tools/sim/tenant/format";
import { Call, readCalls, writeTenant } from "../../tools/sim/tenant/store";
import { CliRun, tempProject } from "./cli";

export const TOKEN = "status-token";

export interface GraphProject {
    root: string;
    tenantFile: string;
    env: NodeJS.ProcessEnv;
    /** Seconds each Graph retry would have waited (the CLI's sleep, injected). */
    sleeps: number[];
    run(argv: string[], env?: NodeJS.ProcessEnv): Promise<CliRun>;
    /** "METHOD path status" of every request to the simulated Graph. */
    requests(): string[];
    calls(): Call[];
    close(): Promise<void>;
}

/**
 * A project holding `files`, a simulated Graph over `seed` (tools/sim/graph-server), and the
 * environment that points the CLI at it: ENTRA_GUESTS_GRAPH_URL and its token, no Azure
 * variables. The CLI runs in process with a sleep that records instead of waiting.
 */
export async function graphProject(files: Record<string, string>, seed: TenantSeed): Promise<GraphProject> {
    const root = await tempProject({ "Pulumi.yaml": "name: entra-guests\nruntime: nodejs\n", ...files });
    const tenantFile = path.join(root, "tenant.json");
    writeTenant(tenantFile, seed);
    const server = await startGraphServer({ tenantFile, token: TOKEN });
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ARM_|AZURE_|ENTRA_GUESTS_)/.test(k)));
    Object.assign(env, { ENTRA_GUESTS_GRAPH_URL: server.url, ENTRA_GUESTS_GRAPH_TOKEN: TOKEN });
    const sleeps: number[] = [];
    return {
        root,
        tenantFile,
        env,
        sleeps,
        run: async (argv, runEnv = env) => {
            let stdout = "";
            let stderr = "";
            const code = await main(argv, {
                cwd: root,
                env: runEnv,
                sleep: async (s) => void sleeps.push(s),
                stdout: { write: (t: string) => (stdout += t) },
                stderr: { write: (t: string) => (stderr += t) },
            });
            return { code, stdout, stderr };
        },
        requests: () => readCalls(tenantFile).flatMap((c) => (c.kind === "request" ? [`${c.method} ${c.path} ${c.status}`] : [])),
        calls: () => readCalls(tenantFile),
        close: async () => {
            await server.close();
            await fs.rm(root, { recursive: true, force: true });
        },
    };
}
