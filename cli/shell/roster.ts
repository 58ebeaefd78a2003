// The guest files a command works on, with the stack's settings: shared by every command that reads them.
import { loadRoster, Roster } from "../../roster";
import { checkDate } from "../../roster/rules/fields";
import { today } from "../../roster/rules/guardrails";
import { Settings } from "../../roster/rules/settings";
import { UsageError } from "./errors";
import { EXIT, Io } from "./io";
import { problemLine } from "./output";
import { projectFolder, readProjectSettings } from "./project-config";

export interface Loaded {
    roster: Roster;
    settings: Settings;
    /** The paths read, and the folder they are relative to (messages show them from there). */
    paths: string[];
    cwd: string;
}

/**
 * The roster of the given paths, or of the stack's `guests` setting; an exit code on usage
 * errors. Settings come from the project's Pulumi.yaml wherever the CLI runs; the setting's
 * paths are relative to the project, as in the program, and paths on the command line to the
 * folder it runs in, as in any command.
 */
export async function rosterFor(named: string[], stack: string | undefined, asOf: string | undefined, io: Io, opts: { skipMissing?: boolean } = {}): Promise<Loaded | number> {
    if (asOf !== undefined && !checkDate("--as-of", asOf).ok) throw new UsageError(`--as-of must be a date written YYYY-MM-DD (got "${asOf}")`);
    const project = projectFolder(io.cwd);
    const settings = await readProjectSettings(project, stack);
    if (!settings.ok) {
        io.stderr.write(settings.errors.map((e) => `${e}\n`).join(""));
        return EXIT.usage;
    }
    const [paths, cwd] = named.length > 0 ? [named, io.cwd] : [settings.settings.guests, project];
    const options = { ...settings.settings, asOf: asOf ?? settings.settings.asOf, cwd, within: project, allowMissing: opts.skipMissing };
    return { roster: await loadRoster(paths, options), settings: settings.settings, paths, cwd };
}

/**
 * The roster and the date it is judged on; an exit code when the files have errors (printed to
 * stderr, one line each: a report on a roster with errors would be about the wrong guests).
 */
export async function declaredGuests(paths: string[], stack: string | undefined, asOf: string | undefined, io: Io): Promise<{ roster: Roster; asOf: string } | number> {
    const loaded = await rosterFor(paths, stack, asOf, io);
    if (typeof loaded === "number") return loaded;
    const { roster, settings } = loaded;
    if (roster.errors.length > 0) {
        for (const p of roster.errors) io.stderr.write(`${problemLine(p)}\n`);
        io.stderr.write(`entra-guests: the guest files have errors; fix them (\`npx entra-guests validate\`) and run again\n`);
        return EXIT.failed;
    }
    return { roster, asOf: asOf || settings.asOf || today() };
}
