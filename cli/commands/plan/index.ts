// `entra-guests plan`: every resource the program would register, offline, without credentials.
import { promises as fs } from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { buildPlan, checkRemovals, ManagedGuests, parseManagedGuests } from "../../../plan";
import { quote } from "../../../roster/problems";
import { ArgumentFileError, oneOf } from "../../shell/errors";
import { EXIT, Io } from "../../shell/io";
import { rosterFor } from "../../shell/roster";
import { PlanFormat, renderPlan } from "./output";

export async function plan(args: string[], io: Io): Promise<number> {
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
    return roster.errors.length > 0 || (guestPlan?.errors.length ?? 0) > 0 ? EXIT.failed : EXIT.ok;
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
