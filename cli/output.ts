import { formatLocation, plural, Problem, Roster } from "../roster";

export type ValidateFormat = "text" | "json" | "github";

/** Everything `validate` prints, in the chosen format. */
export function renderValidation(roster: Roster, format: ValidateFormat): string {
    const ok = roster.errors.length === 0;
    if (format === "json") {
        return JSON.stringify({ ok, guests: ok ? roster.guests : [], errors: roster.errors, warnings: roster.warnings, expired: ok ? roster.expired : [] }, null, 2) + "\n";
    }
    const lines =
        format === "github"
            ? [...roster.errors.map((p) => annotation("error", p)), ...roster.warnings.map((p) => annotation("warning", p))]
            : [...roster.errors.map((p) => `${formatLocation(p)}: ${p.message}`), ...roster.warnings.map((p) => `${formatLocation(p)}: warning: ${p.message}`)];
    lines.push(summary(roster));
    return lines.join("\n") + "\n";
}

export function summary(roster: Roster): string {
    // A file that could not be read (not CSV or YAML, not UTF-8) has no summary but is a file
    // read all the same: never "1 error in 0 files" (issue 11).
    const files = plural(new Set([...roster.files.map((f) => f.file), ...roster.errors.map((p) => p.file)]).size, "file");
    const warnings = roster.warnings.length > 0 ? `, ${plural(roster.warnings.length, "warning")}` : "";
    if (roster.errors.length > 0) {
        return `${plural(roster.errors.length, "error")}${warnings} in ${files}; nothing was changed, fix the errors and run again`;
    }
    return `${plural(roster.guests.length, "guest")} in ${files} valid${warnings}`;
}


/** A GitHub Actions workflow command, which shows the message on the offending line of a PR. */
export function annotation(kind: "error" | "warning", p: Problem): string {
    const props = [`file=${escapeProperty(p.file)}`];
    if (p.line !== undefined) props.push(`line=${p.line}`);
    if (p.column !== undefined) props.push(`col=${p.column}`);
    return `::${kind} ${props.join(",")}::${escapeData(p.message)}`;
}

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
function escapeData(s: string): string {
    return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
    return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
