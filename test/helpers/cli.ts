import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../cli/main";

export interface CliRun {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs the CLI in process, in `cwd`, capturing what it prints; `env` for the commands it runs. */
export async function runCli(argv: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<CliRun> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, {
        cwd,
        env,
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
    });
    return { code, stdout, stderr };
}

/** A temporary project folder holding `files`; removed by the caller with `fs.rm`. */
export async function tempProject(files: Record<string, string | Uint8Array>): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "entra-guests-"));
    for (const [name, content] of Object.entries(files)) {
        const full = path.join(dir, name);
        await fs.mkdir(path.dirname(full), { recursive: true });
        await fs.writeFile(full, content);
    }
    return dir;
}

/**
 * Temporary projects for the tests of one `describe`: `project(files)` makes one, and each is
 * removed after its test. Call it in the `describe` body.
 */
export function tempProjects(): (files: Record<string, string | Uint8Array>) => Promise<string> {
    let dirs: string[] = [];
    afterEach(async () => {
        await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
        dirs = [];
    });
    return async (files) => {
        const dir = await tempProject(files);
        dirs.push(dir);
        return dir;
    };
}
