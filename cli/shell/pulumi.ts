import { spawn } from "child_process";

/** What a `pulumi` run gave, or why it could not run. */
export type PulumiRun = { ran: true; code: number | null; stdout: string; stderr: string } | { ran: false; missing: true } | { ran: false; missing: false; error: Error };

/** `pulumi <args>` with the `pulumi` on PATH, in `cwd` (a file backend finds a stack by the project there). */
export function runPulumi(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<PulumiRun> {
    return new Promise((resolve) => {
        const child = spawn("pulumi", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (d: Buffer) => out.push(d));
        child.stderr.on("data", (d: Buffer) => err.push(d));
        child.on("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ENOENT" ? { ran: false, missing: true } : { ran: false, missing: false, error: e }));
        child.on("close", (code) => resolve({ ran: true, code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    });
}

/** The line of pulumi's stderr that says what went wrong: its `error:` line, else its first. */
export function pulumiError(stderr: string): string | undefined {
    const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
    return lines.find((l) => /^error:/i.test(l)) ?? lines[0];
}
