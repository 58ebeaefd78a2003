// `entra-guests access`: each guest's user object ID, groups, app assignments and redeem URL,
// read from the stack's state: as per-guest stack outputs they would cost the program most of
// its time over the SDK's own.
import { parseArgs } from "util";
import { plural } from "../../../roster";
import { checkEmail } from "../../../roster/rules";
import { ArgumentFileError, oneOf, UsageError } from "../../shell/errors";
import { forTerminal } from "../../../text/escape";
import { EXIT, Io } from "../../shell/io";
import { projectFolder } from "../../shell/project-config";
import { pulumiError, runPulumi } from "../../shell/pulumi";
import { ExportError, GuestAccess, HIDDEN, readStackAccess, StackAccess } from "./stack-state";

/** `pulumi stack export` could not run, or the stack could not be read: one line, exit 1. */
class StackReadError extends Error {}

export async function access(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { stack: { type: "string" }, format: { type: "string", default: "text" }, "show-secrets": { type: "boolean" } },
    });
    const format = oneOf(values.format, ["text", "json"] as const, "--format");
    const showSecrets = values["show-secrets"] === true;
    // The roster's normalisation: `Ann@Fabrikam.com` finds the guest named ann@fabrikam.com.
    const wanted = positionals.map((p) => {
        const email = checkEmail(p, "EMAIL");
        if (!email.ok) throw new UsageError(forTerminal(email.message));
        return email.value;
    });
    const stackName = values.stack === undefined ? "the selected stack" : `stack ${values.stack}`;
    let state: StackAccess;
    try {
        const text = await stackExport(values.stack, showSecrets, io);
        let exported: unknown;
        try {
            exported = JSON.parse(text);
        } catch {
            throw new ExportError(`the export is not JSON (got ${JSON.stringify(text.slice(0, 77))})`);
        }
        state = readStackAccess(exported, showSecrets);
    } catch (err) {
        if (err instanceof StackReadError) io.stderr.write(`entra-guests: ${forTerminal(err.message)}\n`);
        else if (err instanceof ExportError) io.stderr.write(`entra-guests: cannot read ${forTerminal(stackName)}: ${forTerminal(err.message)}\n`);
        else throw err;
        return EXIT.failed;
    }
    const emails = wanted.length === 0 ? Object.keys(state.guests) : [...new Set(wanted)].filter((e) => e in state.guests);
    const unknown = [...new Set(wanted)].filter((e) => !(e in state.guests));
    const shown: Record<string, GuestAccess> = {};
    for (const e of emails) shown[e] = state.guests[e];
    // A problem of another guest is none of this question's business; one of no known guest always is.
    const problems = state.problems.filter((p) => wanted.length === 0 || p.email === undefined || wanted.includes(p.email)).map((p) => p.message);
    if (format === "json") {
        io.stdout.write(JSON.stringify({ stack: values.stack ?? null, guests: shown, unknown, problems }, null, 2) + "\n");
    } else {
        io.stdout.write(renderText(shown, emails));
        for (const p of problems) io.stderr.write(`entra-guests: ${forTerminal(p)}\n`);
        for (const e of unknown) io.stderr.write(`entra-guests: ${forTerminal(stackName)} has no guest ${forTerminal(e)} (it has ${plural(Object.keys(state.guests).length, "guest")}); check the address, or name the stack with --stack\n`);
        const hidden = !showSecrets && emails.some((e) => shown[e].redeemUrl === HIDDEN) ? "; redeem URLs are secret, --show-secrets shows them" : "";
        io.stdout.write(`${plural(emails.length, "guest")} in ${forTerminal(stackName)}${hidden}\n`);
    }
    return unknown.length > 0 || problems.length > 0 ? EXIT.failed : EXIT.ok;
}

const OWNERSHIP = {
    invited: "invited by this stack (removing the guest deletes the user unless onRemove: retain)",
    adopted: "adopted: it existed before the stack (kept when the guest is removed, unless deleteAdoptedUsers)",
    member: "an existing member whose access the files manage (never deleted)",
} as const;

/** Every value from the state is untrusted text: one terminal line each. */
function renderText(guests: Record<string, GuestAccess>, emails: string[]): string {
    const t = forTerminal;
    const lines: string[] = [];
    for (const email of emails) {
        const g = guests[email];
        lines.push(g.displayName === undefined ? t(email) : `${t(email)} (${t(g.displayName)})`);
        const user = g.userId === null ? "(no guest user in the state)" : g.userId === "" ? "(none: the user is gone from the directory)" : t(g.userId);
        lines.push(`  user ID     ${user}`);
        if (g.ownership !== null) lines.push(`  user        ${OWNERSHIP[g.ownership]}`);
        lines.push(`  groups      ${g.groups.length === 0 ? "(none)" : g.groups.map(t).join(", ")}`);
        lines.push(`  apps        ${g.apps.length === 0 ? "(none)" : g.apps.map((a) => `${t(a.app)} role ${t(a.role)}`).join(", ")}`);
        lines.push(`  redeem URL  ${g.redeemUrl === null ? "(none)" : t(g.redeemUrl)}`);
    }
    return lines.map((l) => `${l}\n`).join("");
}

/**
 * `pulumi stack export [--stack NAME] [--show-secrets]`, run by the `pulumi` on PATH in the
 * project's folder (a file backend finds the stack by the project's name). Its stdout, or a
 * StackReadError with pulumi's own error line; no pulumi at all is an ArgumentFileError (exit 2).
 */
async function stackExport(stack: string | undefined, showSecrets: boolean, io: Io): Promise<string> {
    const args = ["stack", "export", ...(stack === undefined ? [] : ["--stack", stack]), ...(showSecrets ? ["--show-secrets"] : [])];
    const run = await runPulumi(args, projectFolder(io.cwd), io.env ?? process.env);
    if (!run.ran && run.missing) throw new ArgumentFileError("access reads the stack's state with the pulumi CLI, and there is no `pulumi` on PATH; install it (https://www.pulumi.com/docs/install/) and log in to the stack's backend");
    if (!run.ran) throw new StackReadError(`cannot run pulumi (${run.error.message})`);
    if (run.code !== 0) throw new StackReadError(`\`pulumi ${args.join(" ")}\` failed: ${pulumiError(run.stderr) ?? `it exited with code ${run.code}`}`);
    return run.stdout;
}
