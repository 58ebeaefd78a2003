// `entra-guests status` in its four formats. Every value read from the tenant or a guest file is
// untrusted text: escaped for the terminal, for markdown, and in CSV kept from
// running as a spreadsheet formula.
import { csvCell, plural } from "../../../roster";
import { forMarkdown, forTerminal } from "../../../text/escape";
import { pendingDays, StatusReport, StatusRow } from "../../shell/guest-status";

export type StatusFormat = "text" | "json" | "markdown" | "csv";

export function renderStatus(report: StatusReport, format: StatusFormat): string {
    switch (format) {
        case "json":
            return JSON.stringify(report, null, 2) + "\n";
        case "csv":
            return renderCsv(report);
        case "markdown":
            return renderMarkdown(report);
        case "text":
            return renderText(report);
    }
}

const date = (iso: string | null) => (iso === null ? "" : new Date(iso).toISOString().slice(0, 10));

function stateCell(r: StatusRow, asOf: string): string {
    if (r.state === "missing") return "missing from the tenant";
    if (r.state === "ambiguous") return `names ${plural(r.matches?.length ?? 0, "user")}: ${(r.matches ?? []).join(", ")}`;
    if (r.state === "unknown") return "no redemption state";
    const days = pendingDays(r, asOf);
    if (r.state === "pending") return days === undefined ? "pending" : `pending ${plural(days, "day")}`;
    return "accepted";
}

function signInCell(r: StatusRow, report: StatusReport): string {
    if (!report.signIn.available) return "n/a";
    if (r.state === "missing") return "";
    return r.lastSignIn === null ? "never" : date(r.lastSignIn);
}

function stackCell(r: StatusRow): string {
    return r.managed === null ? "unknown" : r.managed ? "managed" : "not managed";
}

function expiresCell(r: StatusRow): string {
    return r.expires === null ? "" : r.expired ? `${r.expires} (expired)` : r.expires;
}

const HEADINGS = ["guest", "state", "since", "invited", "last sign-in", "expires", "stack"];

function cells(r: StatusRow, report: StatusReport): string[] {
    return [r.email || `(no mail, user ${r.userId})`, stateCell(r, report.asOf), date(r.since), date(r.invited), signInCell(r, report), expiresCell(r), stackCell(r)];
}

/** The lines under the table: counts, and why a column is unknown. */
export function summaryLines(report: StatusReport): string[] {
    const c = report.counts;
    const parts = [`${c.accepted} accepted`, `${c.pending} pending`, `${c.missing} missing from the tenant`];
    if (c.unknown > 0) parts.push(`${c.unknown} with no redemption state`);
    if (c.ambiguous > 0) parts.push(`${c.ambiguous} naming several users (the stack acts on none of them; see docs/identity.md)`);
    const expired = c.expired > 0 ? `; ${c.expired} expired and still in the tenant (the next \`pulumi up\` removes them)` : "";
    const lines = [`${plural(c.declared, "declared guest")}: ${parts.join(", ")}${expired}; ${plural(c.unmanaged, "guest")} in the tenant that no file declares (as of ${report.asOf})`];
    if (!report.signIn.available) lines.push(`last sign-in: ${report.signIn.reason}`);
    lines.push(report.managed.known ? `stack: managed means in the managedGuests output of stack ${report.managed.stack}` : `stack: unknown, ${report.managed.reason}`);
    const f = report.filters;
    const given = [f.pendingFor !== undefined ? `--pending-for ${f.pendingFor}d` : "", f.inactiveFor !== undefined ? `--inactive-for ${f.inactiveFor}d` : "", f.unmanaged ? "--unmanaged" : ""].filter(Boolean);
    if (given.length > 0) lines.push(`shown: ${plural(report.rows.length, "guest")} matching ${given.join(" ")}`);
    return lines;
}

function renderText(report: StatusReport): string {
    const table = [HEADINGS.map((h) => h.toUpperCase()), ...report.rows.map((r) => cells(r, report).map((v) => forTerminal(v)))];
    const widths = HEADINGS.map((_, i) => Math.max(...table.map((row) => row[i].length)));
    const lines = report.rows.length === 0 ? [] : table.map((row) => row.map((v, i) => (i === row.length - 1 ? v : v.padEnd(widths[i]))).join("  "));
    const unmanagedAt = report.rows.findIndex((r) => r.kind === "unmanaged");
    // A line between the declared guests and those of no file, so the two read apart.
    if (unmanagedAt > 0) lines.splice(unmanagedAt + 1, 0, "-- in the tenant, in no guest file --");
    return [...lines, ...summaryLines(report).map(forTerminal)].map((l) => `${l}\n`).join("");
}

/** For a GitHub job summary: a heading, the summary as a list, then one table. */
function renderMarkdown(report: StatusReport): string {
    const out = [`### Guest status as of ${report.asOf}`, "", ...summaryLines(report).map((l) => `- ${forMarkdown(l)}`), ""];
    if (report.rows.length > 0) {
        out.push(`| ${[...HEADINGS, "file"].join(" | ")} |`, `| ${[...HEADINGS, "file"].map(() => "---").join(" | ")} |`);
        for (const r of report.rows) {
            const file = r.source ? `${r.source.file}:${r.source.line}` : r.kind === "unmanaged" ? "in no file" : "";
            out.push(`| ${[...cells(r, report), file].map((v) => forMarkdown(v)).join(" | ")} |`);
        }
        out.push("");
    }
    return out.join("\n");
}

const CSV_HEADINGS = ["email", "displayName", "kind", "state", "since", "invited", "lastSignIn", "expires", "expired", "managed", "userId", "file", "line"];

/**
 * RFC 4180 with CRLF line ends; each cell by `csvCell`, the guest files' own rule, so a display
 * name like `=HYPERLINK(...)` shows as text instead of running in a spreadsheet.
 */
function renderCsv(report: StatusReport): string {
    const lastSignIn = (r: StatusRow) => (report.signIn.available ? (r.lastSignIn ?? "") : "n/a");
    const rows = report.rows.map((r) => [
        r.email, r.displayName ?? "", r.kind, r.state, r.since ?? "", r.invited ?? "", lastSignIn(r), r.expires ?? "", String(r.expired),
        r.managed === null ? "unknown" : String(r.managed), r.userId ?? "", r.source?.file ?? "", r.source ? String(r.source.line) : "",
    ]);
    return [CSV_HEADINGS, ...rows].map((row) => row.map(csvCell).join(",") + "\r\n").join("");
}
