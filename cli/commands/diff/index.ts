// `entra-guests diff`: who gains and loses access compared with a git ref, for a pull request.
import { promises as fs } from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { compareRosters, CutOptions, DiffFormat, GitError, markdownLines, renderDiff, sourcesAtRef } from "../../../diff";
import { buildRoster, plural } from "../../../roster";
import { expiresSoon, today } from "../../../roster/rules/guardrails";
import { ArgumentFileError, oneOf, UsageError } from "../../shell/errors";
import { EXIT, Io } from "../../shell/io";
import { renderValidation } from "../../shell/output";
import { rosterFor } from "../../shell/roster";

export async function diff(args: string[], io: Io): Promise<number> {
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
        // A PR comment shows the errors as written, not as markdown.
        if (format !== "markdown") io.stdout.write(errors);
        else await writeMarkdown((options) => markdownLines(errors, options), cut, io);
        return EXIT.failed;
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

/** The options that cut the markdown diff to a size: markdown only. */
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
