// Which guests a stack manages, for the `stack` column of `entra-guests status` (issue 15): the
// stack output managedGuests (the JSON text of email -> { onRemove, invite, ... }, or the map
// itself from stacks deployed before issue 14), read through the pulumi CLI. When
// it cannot be read the column is "unknown", with the reason: never a guess.
import { spawn } from "child_process";
import { parseManagedGuests } from "../../../plan";
import { quote } from "../../../roster/problems";
import type { ManagedKnowledge } from "../../shell/guest-status";

/** `pulumi stack output managedGuests --json --stack NAME`, run in the project folder. */
export async function readManagedGuests(stack: string | undefined, project: string, env: NodeJS.ProcessEnv): Promise<ManagedKnowledge> {
    if (stack === undefined) return { known: false, reason: "no --stack was given" };
    const args = ["stack", "output", "managedGuests", "--json", "--stack", stack];
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string } | "no pulumi" | Error>((resolve) => {
        const child = spawn("pulumi", args, { cwd: project, env, stdio: ["ignore", "pipe", "pipe"] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (d: Buffer) => out.push(d));
        child.stderr.on("data", (d: Buffer) => err.push(d));
        child.on("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ENOENT" ? "no pulumi" : e));
        child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    });
    if (run === "no pulumi") return { known: false, reason: "there is no `pulumi` CLI on PATH to read the stack's managedGuests output" };
    if (run instanceof Error) return { known: false, reason: `pulumi could not run (${run.message})` };
    const command = `\`pulumi ${args.join(" ")}\``;
    if (run.code !== 0) {
        const lines = run.stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
        return { known: false, reason: `${command} failed: ${lines.find((l) => /^error:/i.test(l)) ?? lines[0] ?? `exit code ${run.code}`}` };
    }
    let value: unknown;
    try {
        value = JSON.parse(run.stdout);
    } catch {
        return { known: false, reason: `${command} did not print JSON (got ${quote(run.stdout.slice(0, 77))})` };
    }
    const parsed = parseManagedGuests(value);
    if (!parsed.ok) return { known: false, reason: `the managedGuests output of stack ${stack} ${parsed.problem}` };
    return { known: true, stack, emails: new Set(Object.keys(parsed.guests)) };
}
