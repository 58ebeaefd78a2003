import { FileSummary, formatLocation, plural, Problem, quote, Roster } from "../../roster";
import { forAnnotationMessage, forAnnotationProperty, forTerminal } from "../../text/escape";

export type ValidateFormat = "text" | "json" | "github";

/** Everything `validate` prints, in the chosen format; `asOf` is the date expiry was judged on. */
export function renderValidation(roster: Roster, format: ValidateFormat, asOf?: string): string {
    const ok = roster.errors.length === 0;
    if (format === "json") {
        return JSON.stringify({ ok, guests: ok ? roster.guests : [], errors: roster.errors, warnings: roster.warnings, expired: ok ? roster.expired : [], files: roster.files }, null, 2) + "\n";
    }
    const lines =
        format === "github"
            ? [...roster.errors.map((p) => annotation("error", p)), ...roster.warnings.map((p) => annotation("warning", p))]
            : [...roster.errors.map((p) => problemLine(p)), ...roster.warnings.map((p) => problemLine(p, "warning: "))];
    if (ok) for (const f of roster.files) if (f.guests > 0) lines.push(forTerminal(mailLine(f)));
    lines.push(summary(roster, asOf));
    return lines.join("\n") + "\n";
}

/** Who of a file's guests is mailed an invitation, and what decided it: never a silent default. */
export function mailLine(f: FileSummary): string {
    const reasons = f.mail.decidedBy.map((b) => {
        const counts = [b.mailed > 0 ? `${b.mailed} mailed` : "", b.notMailed > 0 ? `${b.notMailed} not` : ""].filter((c) => c !== "").join(" and ");
        switch (b.reason) {
            case "entry":
                return `${counts}, by ${b.column === undefined ? "their own sendEmail" : `its ${quote(b.column)} column`}`;
            case "defaults":
                return `${counts}, by its defaults' sendEmail`;
            case "message":
                return `${counts}, because a message is given`;
            case "unsaid":
                return `${counts}, by default: no sendEmail value and no message`;
            case "member":
                return `${counts}: existing members, never invited`;
        }
    });
    return `${f.file}: ${f.mail.mailed} of ${plural(f.guests, "guest")} mailed when invited (${reasons.join("; ")})`;
}

/** `file:line:col: message`, one terminal line whatever the file name or message holds. */
export function problemLine(p: Problem, kind = ""): string {
    return forTerminal(`${formatLocation(p)}: ${kind}${p.message}`);
}

export function summary(roster: Roster, asOf?: string): string {
    // A file that could not be read (not CSV or YAML, not UTF-8) has no summary but is a file
    // read all the same: never "1 error in 0 files".
    const read = new Set([...roster.files.map((f) => f.file), ...roster.errors.map((p) => p.file)]).size;
    const files = plural(read, "file");
    const warnings = roster.warnings.length > 0 ? `, ${plural(roster.warnings.length, "warning")}` : "";
    if (roster.errors.length > 0) {
        // Where the errors are, of the files read: "3 errors in 1 of 3 files", not "in 3 files".
        const faulty = new Set(roster.errors.map((p) => p.file)).size;
        const where = faulty === read ? files : `${faulty} of ${files}`;
        return `${plural(roster.errors.length, "error")}${warnings} in ${where}; nothing was changed, fix the errors and run again`;
    }
    // Expired guests are left out of the deployment: a reviewer sees how many.
    const expired = roster.expired.length > 0 ? ` (${roster.expired.length} more expired${asOf ? ` by ${asOf}` : ""} and left out)` : "";
    return `${plural(roster.guests.length, "guest")} in ${files} valid${expired}${warnings}`;
}

/** A GitHub Actions workflow command, which shows the message on the offending line of a PR. */
export function annotation(kind: "error" | "warning", p: Problem): string {
    const props = [`file=${forAnnotationProperty(p.file)}`];
    if (p.line !== undefined) props.push(`line=${p.line}`);
    if (p.column !== undefined) props.push(`col=${p.column}`);
    return `::${kind} ${props.join(",")}::${forAnnotationMessage(p.message)}`;
}
