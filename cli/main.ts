import { parseArgs } from "util";
import { promises as fs } from "fs";
import * as path from "path";
import { compareRosters, CutOptions, DiffFormat, GitError, markdownLines, renderDiff, sourcesAtRef } from "../diff";
import { buildPlan, checkRemovals, ManagedGuests, parseManagedGuests } from "../plan";
import { buildRoster, loadRoster, MissingPathError, plural, Roster, sortProblems } from "../roster";
import { quote } from "../roster/problems";
import { expiresSoon, today } from "../roster/rules/guardrails";
import { checkDate } from "../roster/rules/fields";
import { Settings } from "../roster/rules/settings";
import { access } from "./commands/access/index";
import { resend } from "./commands/resend/index";
import { status } from "./commands/status/index";
import { adopt } from "./commands/adopt/index";
import { ArgumentFileError, oneOf, UsageError } from "./shell/errors";
import { PlanFormat, renderPlan } from "./commands/plan/output";
import { renderValidation, ValidateFormat } from "./shell/output";
import { projectFolder, readProjectSettings } from "./shell/project-config";
import { TEMPLATES, TemplateFormat } from "./commands/template/templates";
import { USAGE } from "./shell/usage";

export { USAGE };

export interface Io {
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown };
    cwd: string;
    /** The environment of commands the CLI runs (`pulumi`); process.env when left out. */
    env?: NodeJS.ProcessEnv;
    /** How Graph retries wait (status, resend, adopt); tests record the seconds instead of waiting. */
    sleep?: (seconds: number) => Promise<void>;
    /** The clock; tests fix it (adopt writes the time into its file). */
    now?: () => Date;
}

/** Exit codes: 0 valid, 1 invalid declarations, 2 usage error, 3 diff past --max-removals. */
export const EXIT = { ok: 0, invalid: 1, usage: 2, tooManyRemovals: 3 } as const;


/** Runs one CLI command; never throws for user mistakes, returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
    try {
        const [command, ...rest] = argv;
        switch (command) {
            case "validate":
                return await validate(rest, io);
            case "plan":
                return await plan(rest, io);
            case "diff":
                return await diff(rest, io);
            case "template":
                return template(rest, io);
            case "access":
                return await access(rest, io);
            case "status":
                return await status(rest, io);
            case "resend":
                return await resend(rest, io);
            case "adopt":
                return await adopt(rest, io);
            case undefined:
            case "help":
            case "--help":
            case "-h":
                io.stdout.write(USAGE);
                return command === undefined ? EXIT.usage : EXIT.ok;
            default:
                throw new UsageError(`unknown command "${command}"`);
        }
    } catch (err) {
        if (err instanceof UsageError || isParseArgsError(err)) {
            io.stderr.write(`entra-guests: ${(err as Error).message}\n\n${USAGE}`);
            return EXIT.usage;
        }
        if (err instanceof ArgumentFileError) {
            io.stderr.write(`entra-guests: ${err.message}\n`);
            return EXIT.usage;
        }
        if (err instanceof MissingPathError) {
            io.stderr.write(`entra-guests: ${err.message}; name existing guest files or folders\n`);
            return EXIT.usage;
        }
        throw err;
    }
}

async function validate(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { format: { type: "string", default: "text" }, stack: { type: "string" }, "as-of": { type: "string" } },
    });
    const format = oneOf(values.format, ["text", "json", "github"] as const, "--format");
    const loaded = await rosterFor(positionals, values.stack, values["as-of"], io);
    if (typeof loaded === "number") return loaded;
    const { settings } = loaded;
    // The plan's offline checks too (a group name the provider cannot look up, one app twice):
    // validate passes only what `plan` and the program accept.
    const offline = await buildPlan(loaded.roster.guests);
    const roster = { ...loaded.roster, errors: sortProblems([...loaded.roster.errors, ...offline.errors]), warnings: sortProblems([...loaded.roster.warnings, ...offline.warnings]) };
    io.stdout.write(renderValidation(roster, format as ValidateFormat, values["as-of"] || settings.asOf || today()));
    return roster.errors.length > 0 ? EXIT.invalid : EXIT.ok;
}

async function plan(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { format: { type: "string", default: "text" }, stack: { type: "string" }, "as-of": { type: "string" }, previous: { type: "string" }, summary: { type: "boolean" } },
    });
    const format = oneOf(values.format, ["text", "json"] as const, "--format");
    const previous = values.previous === undefined ? undefined : await readPrevious(values.previous, io.cwd);
    const loaded = await rosterFor(positionals, values.stack, values["as-of"], io);
    if (typeof loaded === "number") return loaded;
    const { roster, settings } = loaded;
    // No directory: offline, so references that need a lookup are shown as written.
    const guestPlan = roster.errors.length === 0 ? await buildPlan(roster.guests) : undefined;
    if (guestPlan && previous) {
        const removals = checkRemovals(previous, guestPlan, settings);
        const at = { file: values.previous! };
        if (removals.error) guestPlan.errors.push({ ...at, message: removals.error });
        for (const w of removals.warnings) guestPlan.warnings.push({ ...at, message: w });
        for (const email of removals.retained) guestPlan.warnings.push({ ...at, message: `${email} is no longer declared; its user is retained (onRemove: retain), its memberships and app assignments are removed` });
        for (const email of removals.deleted) guestPlan.warnings.push({ ...at, message: `${email} is no longer declared; \`pulumi up\` deletes the guest user, its memberships and app assignments` });
    }
    io.stdout.write(renderPlan(roster, guestPlan, format as PlanFormat, { summary: values.summary === true }));
    return roster.errors.length > 0 || (guestPlan?.errors.length ?? 0) > 0 ? EXIT.invalid : EXIT.ok;
}

async function diff(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
            base: { type: "string" },
            format: { type: "string", default: "text" },
            "max-removals": { type: "string" },
            stack: { type: "string" },
            "as-of": { type: "string" },
            "max-bytes": { type: "string" },
            "output-full": { type: "string" },
            "rest-in": { type: "string" },
        },
    });
    const format = oneOf(values.format, ["text", "markdown", "json"] as const, "--format");
    const cut = cutOptions(values, format);
    if (values.base === undefined || values.base === "") throw new UsageError("diff needs --base <git ref>, like --base origin/main");
    const maxRemovals = values["max-removals"] === undefined ? undefined : Number(values["max-removals"]);
    if (maxRemovals !== undefined && !(Number.isInteger(maxRemovals) && maxRemovals >= 0)) {
        throw new UsageError(`--max-removals must be a whole number (got "${values["max-removals"]}")`);
    }
    // A pull request may delete a whole folder of guests: a path gone from the work tree is empty.
    const loaded = await rosterFor(positionals, values.stack, values["as-of"], io, { skipMissing: true });
    if (typeof loaded === "number") return loaded;
    const { roster: head, settings, paths, cwd } = loaded;
    if (head.errors.length > 0) {
        const errors = renderValidation(head, format === "json" ? "json" : "text");
        // A PR comment shows the errors as written, not as markdown (issue 11).
        if (format !== "markdown") io.stdout.write(errors);
        else await writeMarkdown((options) => markdownLines(errors, options), cut, io);
        return EXIT.invalid;
    }
    const asOf = values["as-of"] || settings.asOf || today();
    let baseSources;
    try {
        baseSources = await sourcesAtRef(values.base, paths, cwd);
    } catch (err) {
        if (err instanceof GitError) throw new UsageError(`--base: ${err.message}`);
        throw err;
    }
    // The base is what is deployed (or was proposed): its guests as parsed, whatever its problems.
    const base = buildRoster(baseSources, { ...settings, asOf });
    const expiring = head.guests
        .filter((g) => expiresSoon(g, { asOf, expiryWarningDays: settings.expiryWarningDays }) !== undefined)
        .map((g) => ({ email: g.email, expires: g.expires! }));
    const report = { base: values.base, diff: compareRosters(base, head), expiring, maxRemovals };
    if (format !== "markdown") io.stdout.write(renderDiff(report, format as DiffFormat));
    else await writeMarkdown((options) => renderDiff(report, "markdown", options), cut, io);
    if (maxRemovals !== undefined && report.diff.counts.removed > maxRemovals) {
        io.stderr.write(`entra-guests: ${plural(report.diff.counts.removed, "guest")} would be removed, more than --max-removals ${maxRemovals}; have a reviewer confirm the removals\n`);
        return EXIT.tooManyRemovals;
    }
    return EXIT.ok;
}

/** The options that cut the markdown diff to a size (issue 13): markdown only. */
type Cut = CutOptions & { outputFull?: string };
function cutOptions(values: { "max-bytes"?: string; "output-full"?: string; "rest-in"?: string }, format: string): Cut {
    const given = values["max-bytes"] !== undefined || values["output-full"] !== undefined || values["rest-in"] !== undefined;
    if (given && format !== "markdown") throw new UsageError("--max-bytes, --output-full and --rest-in go with --format markdown");
    const maxBytes = values["max-bytes"] === undefined ? undefined : Number(values["max-bytes"]);
    // Below this, not even the summary and the line saying what was left out would fit.
    if (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes >= 1000)) {
        throw new UsageError(`--max-bytes must be a whole number of at least 1000 (got "${values["max-bytes"]}")`);
    }
    return { maxBytes, restIn: values["rest-in"], outputFull: values["output-full"] };
}

/** The markdown cut to `--max-bytes` on stdout, and the whole of it in `--output-full`. */
async function writeMarkdown(render: (options: CutOptions) => string, cut: Cut, io: Io): Promise<void> {
    if (cut.outputFull !== undefined) {
        const file = cut.outputFull;
        await fs.writeFile(path.resolve(io.cwd, file), render({})).catch((err: Error) => {
            throw new ArgumentFileError(`--output-full: cannot write ${file} (${err.message.split(":")[0]}); name a file in a folder that exists`);
        });
    }
    io.stdout.write(render(cut));
}

/** `pulumi stack output managedGuests --json`, saved to a file; anything else is refused. */
async function readPrevious(file: string, cwd: string): Promise<ManagedGuests> {
    const save = `save it with \`pulumi stack output managedGuests --json > ${file}\``;
    const text = await fs.readFile(path.resolve(cwd, file), "utf8").catch(() => {
        throw new ArgumentFileError(`--previous: cannot read ${file}; ${save}`);
    });
    const expected = `expected the JSON that \`pulumi stack output managedGuests --json\` prints, ${save}`;
    if (text.trim() === "") throw new ArgumentFileError(`--previous: ${file} is empty; ${expected}`);
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        throw new ArgumentFileError(`--previous: ${file} is not JSON (got ${quote(text)}); ${expected}`);
    }
    const parsed = parseManagedGuests(value);
    if (!parsed.ok) throw new ArgumentFileError(`--previous: ${file} ${parsed.problem}; ${expected}`);
    return parsed.guests;
}

interface Loaded {
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

function template(args: string[], io: Io): number {
    const { values } = parseArgs({ args, options: { format: { type: "string", default: "yaml" } } });
    const format = oneOf(values.format, ["portal", "native", "yaml"] as const, "--format");
    io.stdout.write(TEMPLATES[format as TemplateFormat]);
    return EXIT.ok;
}

function isParseArgsError(err: unknown): boolean {
    const code = (err as { code?: string })?.code;
    return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
