// Which guests a stack manages, for the `stack` column of `entra-guests status`: the
// stack output managedGuests (the JSON text of email -> { onRemove, invite, ... }, or the map
// itself from stacks an earlier version deployed), read through the pulumi CLI. When
// it cannot be read the column is "unknown", with the reason: never a guess.
import { parseManagedGuests } from "../../../plan";
import { quote } from "../../../roster/problems";
import { pulumiError, runPulumi } from "../../shell/pulumi";
import type { ManagedKnowledge } from "../../shell/guest-status";

/** `pulumi stack output managedGuests --json --stack NAME`, run in the project folder. */
export async function readManagedGuests(stack: string | undefined, project: string, env: NodeJS.ProcessEnv): Promise<ManagedKnowledge> {
    if (stack === undefined) return { known: false, reason: "no --stack was given" };
    const args = ["stack", "output", "managedGuests", "--json", "--stack", stack];
    const run = await runPulumi(args, project, env);
    if (!run.ran) return { known: false, reason: run.missing ? "there is no `pulumi` CLI on PATH to read the stack's managedGuests output" : `pulumi could not run (${run.error.message})` };
    const command = `\`pulumi ${args.join(" ")}\``;
    if (run.code !== 0) return { known: false, reason: `${command} failed: ${pulumiError(run.stderr) ?? `exit code ${run.code}`}` };
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
