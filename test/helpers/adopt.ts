import { promises as fs } from "fs";
import * as path from "path";
import { main } from "../../cli/main";
import { startGraphServer } from "../../tools/sim/graph-server";
import { TenantSeed } from "../../tools/sim/tenant/format";
import { writeTenant } from "../../tools/sim/tenant/store";
import { CliRun, tempProjects } from "./cli";

const TOKEN = "adopt-token";
/** The clock of every adopt run: the file's header says 2026-11-25T10:00:00Z. */
export const NOW = new Date("2026-11-25T10:00:00.123Z");

export interface AdoptProject {
    dir: string;
    env: NodeJS.ProcessEnv;
    /** The simulated tenant's file, whose call log says what adopt asked Graph. */
    tenantFile: string;
}

/**
 * Projects with a simulated tenant behind the Graph face, for the tests of one `describe`
 * (call it in the `describe` body): `setup(files, seed)` makes one, removed with its server
 * after each test; `adopt(args, project)` runs the command in it.
 */
export function adoptProjects() {
    const project = tempProjects();
    let server: { url: string; close(): Promise<void> } | undefined;
    afterEach(async () => {
        await server?.close();
        server = undefined;
    });

    /** A project holding `files`, and a tenant seeded with `seed` in it (outside guests/). */
    async function setup(files: Record<string, string>, seed: TenantSeed): Promise<AdoptProject> {
        const dir = await project({ "Pulumi.yaml": "name: t\nruntime: nodejs\n", ...files });
        const tenantFile = path.join(dir, ".sim", "tenant.json");
        await fs.mkdir(path.dirname(tenantFile));
        writeTenant(tenantFile, seed);
        server = await startGraphServer({ tenantFile, token: TOKEN });
        return { dir, env: { ENTRA_GUESTS_GRAPH_URL: server.url, ENTRA_GUESTS_GRAPH_TOKEN: TOKEN }, tenantFile };
    }

    async function adopt(args: string[], { dir, env }: AdoptProject): Promise<CliRun> {
        let stdout = "";
        let stderr = "";
        const code = await main(["adopt", ...args], { cwd: dir, env, now: () => NOW, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
        return { code, stdout, stderr };
    }

    return { setup, adopt };
}
