import { forMarkdown, forTerminal, markdownCode } from "../text/escape";
import { AppAccess, formatLocation, plural } from "../roster";
import { AddedGuest, FieldChange, GuestChange, RemovedGuest, RosterDiff } from "./compare";
import { CutOptions, ICONS, markdownDiff, Sign } from "./markdown";

export type DiffFormat = "text" | "markdown" | "json";

/** A guest soon to lose access, from the head roster's expiry warnings. */
export interface Expiring {
    email: string;
    expires: string;
}

export interface DiffReport {
    base: string;
    diff: RosterDiff;
    expiring: Expiring[];
    /** `--max-removals`, when given: markdown says whether the removals are within it. */
    maxRemovals?: number;
}

/** Escapes one value from a guest file for the output's medium. */
type Escape = (text: string) => string;

export function renderDiff(report: DiffReport, format: DiffFormat, options: CutOptions = {}): string {
    if (format === "json") return JSON.stringify({ base: report.base, ...report.diff, expiring: report.expiring }, null, 2) + "\n";
    const summary = summaryLine(report.diff);
    if (format === "text") {
        const details = detailLines(report, forTerminal);
        return [`Compared with ${forTerminal(report.base)}: ${summary}`, ...details.map((d) => `  ${d.sign} ${d.who} ${d.what}`)].join("\n") + "\n";
    }
    // Values are escaped one by one, so the table's own pipes and our words stay markdown.
    const expiring = report.expiring.length > 0 ? `; ${plural(report.expiring.length, "guest")} expiring soon` : "";
    const head = ["<!-- entra-guests diff -->", `**Guest access compared with ${markdownCode(report.base)}:** ${summary}${expiring}`];
    if (report.maxRemovals !== undefined) head.push("", removalLimit(report.diff.counts.removed, report.maxRemovals));
    const rows = detailLines(report, forMarkdown, true).map((d) => ({ sign: d.sign, text: `| ${ICONS[d.sign]} | ${d.who} | ${d.what} |` }));
    return markdownDiff(head, rows, options);
}

/** Whether the removals pass `--max-removals`, said plainly where the reviewer looks first. */
function removalLimit(removed: number, max: number): string {
    return removed > max
        ? `⛔ **${plural(removed, "guest")} would be removed, more than the limit of ${max}** (\`--max-removals\`): have a reviewer confirm the removals.`
        : `Removals: ${removed}, within the limit of ${max} (\`--max-removals\`).`;
}

export function summaryLine(diff: RosterDiff): string {
    const c = diff.counts;
    const parts: string[] = [];
    if (c.added) parts.push(`${plural(c.added, "guest")} added`);
    if (c.removed) parts.push(`${plural(c.removed, "guest")} removed (${c.deleted} deleted, ${c.retained} retained)`);
    if (c.changed) parts.push(`${plural(c.changed, "guest")} changed`);
    if (c.membershipsAdded || c.membershipsRemoved) parts.push(`memberships +${c.membershipsAdded} -${c.membershipsRemoved}`);
    if (c.assignmentsAdded || c.assignmentsRemoved) parts.push(`app assignments +${c.assignmentsAdded} -${c.assignmentsRemoved}`);
    return parts.length === 0 ? "no change to guest access" : parts.join("; ");
}

interface Detail {
    sign: Sign;
    /** Already escaped for the medium. */
    who: string;
    what: string;
}

function detailLines(report: DiffReport, esc: Escape, markdown = false): Detail[] {
    const lines: Detail[] = [];
    const push = (sign: Detail["sign"], who: string, what: string) => lines.push({ sign, who, what });
    for (const a of report.diff.added) push("+", who(a, esc), added(a, esc, markdown));
    for (const r of report.diff.removed) push("-", who(r, esc), removed(r, esc));
    for (const c of report.diff.changed) push("~", who(c, esc), changed(c, esc));
    for (const e of report.expiring) push("!", esc(e.email), `expires on ${esc(e.expires)}`);
    return lines;
}

function who(g: { email: string; displayName?: string }, esc: Escape): string {
    return g.displayName ? `${esc(g.displayName)} (${esc(g.email)})` : esc(g.email);
}

function added(a: AddedGuest, esc: Escape, markdown: boolean): string {
    // Who gets mail is what a reviewer of a new guest must see first.
    const parts = [a.existingMember ? "is managed as an existing member (never invited)" : a.mailed ? `${markdown ? "✉️ " : ""}is invited and mailed an invitation` : "is invited"];
    if (a.groups.length) parts.push(`joins ${list(a.groups, esc)}`);
    if (a.apps.length) parts.push(`gets ${apps(a.apps, esc)}`);
    if (a.profile) parts.push(`${Object.entries(a.profile).map(([k, v]) => `${k} ${show(v, esc)}`).join(", ")} (user properties, not yet applied)`);
    parts.push(expiry(a.expires, esc), from(a.source, esc));
    return parts.join("; ");
}

function removed(r: RemovedGuest, esc: Escape): string {
    const why = r.expired ? `expired on ${esc(r.expired)}` : "is removed";
    const user = r.user === "deleted" ? "the guest user is deleted" : "the guest user is kept (onRemove: retain)";
    const parts = [`${why}: ${user}`];
    if (r.groups.length) parts.push(`leaves ${list(r.groups, esc)}`);
    if (r.apps.length) parts.push(`loses ${apps(r.apps, esc)}`);
    return parts.join("; ");
}

function changed(c: GuestChange, esc: Escape): string {
    const parts: string[] = [];
    if (c.joins.length) parts.push(`joins ${list(c.joins, esc)}`);
    if (c.leaves.length) parts.push(`leaves ${list(c.leaves, esc)}`);
    if (c.appsAdded.length) parts.push(`gets ${apps(c.appsAdded, esc)}`);
    if (c.appsRemoved.length) parts.push(`loses ${apps(c.appsRemoved, esc)}`);
    for (const f of c.fields) parts.push(field(f, esc));
    // A changed `expires` already shows its new value among the fields.
    if (!c.fields.some((f) => f.field === "expires")) parts.push(expiry(c.expires, esc));
    parts.push(from(c.source, esc));
    return parts.join("; ");
}

function expiry(expires: string | undefined, esc: Escape): string {
    return expires === undefined ? "no expiry" : `expires ${esc(expires)}`;
}

/** The head's file and line, so a reviewer finds the row to comment on. */
function from(source: { file: string; line: number }, esc: Escape): string {
    return `from ${esc(formatLocation(source))}`;
}

function field(f: FieldChange, esc: Escape): string {
    const text = `${f.field} ${show(f.before, esc)} → ${show(f.after, esc)}`;
    if (f.profile) return `${text} (a user property, not yet applied)`;
    return f.effective ? text : `${text} (no effect on an existing guest)`;
}

function list(names: string[], esc: Escape): string {
    return names.map(esc).join(", ");
}

function apps(access: AppAccess[], esc: Escape): string {
    return access.map((a) => (a.role ? `${esc(a.app)} (${esc(a.role)})` : esc(a.app))).join(", ");
}

function show(value: unknown, esc: Escape): string {
    return value === undefined ? "(none)" : esc(JSON.stringify(value));
}
