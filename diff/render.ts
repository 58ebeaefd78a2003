import { AppAccess, plural } from "../roster";
import { AddedGuest, FieldChange, GuestChange, RemovedGuest, RosterDiff } from "./compare";

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
}

/** Above this many detail lines, markdown folds the detail into a <details> block. */
const FOLD_AFTER = 15;

export function renderDiff(report: DiffReport, format: DiffFormat): string {
    if (format === "json") return JSON.stringify({ base: report.base, ...report.diff, expiring: report.expiring }, null, 2) + "\n";
    const summary = summaryLine(report.diff);
    const details = detailLines(report);
    if (format === "text") return [`Compared with ${report.base}: ${summary}`, ...details.map((d) => `  ${d.sign} ${d.text}`)].join("\n") + "\n";
    const out = ["<!-- entra-guests diff -->", `**Guest access compared with \`${report.base}\`:** ${summary}`];
    if (details.length > 0) {
        const table = ["", "| | guest | change |", "| --- | --- | --- |", ...details.map((d) => `| ${d.sign === "+" ? "➕" : d.sign === "-" ? "➖" : d.sign === "!" ? "⏳" : "✏️"} | ${escape(d.who)} | ${escape(d.what)} |`)];
        if (details.length > FOLD_AFTER) out.push("", `<details><summary>${details.length} changes</summary>`, ...table, "", "</details>");
        else out.push(...table);
    }
    return out.join("\n") + "\n";
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
    sign: "+" | "-" | "~" | "!";
    who: string;
    what: string;
    text: string;
}

function detailLines(report: DiffReport): Detail[] {
    const lines: Detail[] = [];
    const push = (sign: Detail["sign"], who: string, what: string) => lines.push({ sign, who, what, text: `${who} ${what}` });
    for (const a of report.diff.added) push("+", who(a), added(a));
    for (const r of report.diff.removed) push("-", who(r), removed(r));
    for (const c of report.diff.changed) push("~", who(c), changed(c));
    for (const e of report.expiring) push("!", e.email, `expires on ${e.expires}`);
    return lines;
}

function who(g: { email: string; displayName?: string }): string {
    return g.displayName ? `${g.displayName} (${g.email})` : g.email;
}

function added(a: AddedGuest): string {
    const parts = ["is invited"];
    if (a.groups.length) parts.push(`joins ${a.groups.join(", ")}`);
    if (a.apps.length) parts.push(`gets ${apps(a.apps)}`);
    return parts.join("; ");
}

function removed(r: RemovedGuest): string {
    const why = r.expired ? `expired on ${r.expired}` : "is removed";
    const user = r.user === "deleted" ? "the guest user is deleted" : "the guest user is kept (onRemove: retain)";
    const parts = [`${why}: ${user}`];
    if (r.groups.length) parts.push(`leaves ${r.groups.join(", ")}`);
    if (r.apps.length) parts.push(`loses ${apps(r.apps)}`);
    return parts.join("; ");
}

function changed(c: GuestChange): string {
    const parts: string[] = [];
    if (c.joins.length) parts.push(`joins ${c.joins.join(", ")}`);
    if (c.leaves.length) parts.push(`leaves ${c.leaves.join(", ")}`);
    if (c.appsAdded.length) parts.push(`gets ${apps(c.appsAdded)}`);
    if (c.appsRemoved.length) parts.push(`loses ${apps(c.appsRemoved)}`);
    for (const f of c.fields) parts.push(field(f));
    return parts.join("; ");
}

function field(f: FieldChange): string {
    const text = `${f.field} ${show(f.before)} → ${show(f.after)}`;
    return f.effective ? text : `${text} (no effect on an existing guest)`;
}

function apps(list: AppAccess[]): string {
    return list.map((a) => (a.role ? `${a.app} (${a.role})` : a.app)).join(", ");
}

function show(value: unknown): string {
    return value === undefined ? "(none)" : JSON.stringify(value);
}


/** Table cells: pipes and line breaks would break the markdown table. */
function escape(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
