// `entra-guests validate`: the guest files checked as the program checks them, offline.
import { parseArgs } from "util";
import { buildPlan } from "../../../plan";
import { sortProblems } from "../../../roster";
import { today } from "../../../roster/rules/guardrails";
import { oneOf } from "../../shell/errors";
import { EXIT, Io } from "../../shell/io";
import { renderValidation, ValidateFormat } from "../../shell/output";
import { rosterFor } from "../../shell/roster";

export async function validate(args: string[], io: Io): Promise<number> {
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
    return roster.errors.length > 0 ? EXIT.failed : EXIT.ok;
}
