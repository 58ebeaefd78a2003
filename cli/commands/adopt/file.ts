// The guest file `entra-guests adopt` writes: YAML (with a header comment saying where it came
// from) or native CSV, and the lines each user takes, so a validation error can be traced back
// to the user it is about.
import { csvCell, isGuid, writeAppList, writeList } from "../../../roster";
import type { AdoptedEntry } from "./entries";

export type AdoptFormat = "yaml" | "csv";

export interface Provenance {
    /** ISO time of the reads, to the second. */
    at: string;
    groups: string[];
    apps: string[];
    includeMembers: boolean;
}

export interface Rendered {
    text: string;
    /** Email -> the first and last line (1-based) of its entry. */
    lines: Map<string, { first: number; last: number }>;
}

export function renderAdopted(entries: AdoptedEntry[], format: AdoptFormat, from: Provenance): Rendered {
    return format === "yaml" ? renderYaml(entries, from) : renderCsv(entries);
}

/** Names as a comment shows them: JSON-quoted, so a line break in a name cannot end the comment. */
const names = (refs: string[]) => refs.map((r) => JSON.stringify(r)).join(", ");

function renderYaml(entries: AdoptedEntry[], from: Provenance): Rendered {
    const out = [
        `# Written by \`npx entra-guests adopt\` at ${from.at} from the tenant's directory:`,
        `# the ${from.includeMembers ? "users" : "guests"} among the direct members of the groups ${names(from.groups)}` + (from.apps.length ? "," : "."),
        ...(from.apps.length ? [`# with their app role assignments of ${names(from.apps)}.`] : []),
        "# These users exist already: `pulumi up` adopts them (no invitation, no mail) and imports",
        "# their memberships and app role assignments. Edit this file like any other guest file.",
        "guests:",
    ];
    const lines = new Map<string, { first: number; last: number }>();
    for (const e of entries) {
        const first = out.length + 1;
        out.push(`  - email: ${scalar(e.email)}`);
        if (e.displayName !== undefined) out.push(`    displayName: ${scalar(e.displayName)}`);
        // A member is adopted as one: the stack manages its access and never deletes it (docs/identity.md).
        if (e.userType === "Member") out.push("    existingMember: true");
        if (e.groups.length) out.push(`    groups: [${e.groups.map(scalar).join(", ")}]`);
        if (e.apps.length) {
            out.push("    apps:");
            for (const a of e.apps) {
                out.push(`      - app: ${scalar(a.app)}`);
                if (a.role !== undefined) out.push(`        role: ${scalar(a.role)}`);
            }
        }
        out.push("    sendEmail: false");
        lines.set(e.email, { first, last: out.length });
    }
    return { text: out.join("\n") + "\n", lines };
}

// Plain when YAML cannot read it as anything but this text, in a block or a flow list.
const PLAIN = /^[\p{L}\p{M}_][\p{L}\p{M}\p{N} ._@()'&/-]*$/u;
const RESERVED = /^(true|false|yes|no|on|off|y|n|null)$/i;
// Escaped inside double quotes: what YAML does not allow raw, and what a reader cannot see.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}"\\]/gu;

function scalar(text: string): string {
    if ((PLAIN.test(text) && !RESERVED.test(text) && !/ $/.test(text)) || isGuid(text)) return text;
    return `"${text.replace(UNPRINTABLE, (c) => (c === '"' ? '\\"' : c === "\\" ? "\\\\" : escape(c)))}"`;
}

function escape(c: string): string {
    const cp = c.codePointAt(0)!;
    return cp > 0xffff ? `\\U${cp.toString(16).padStart(8, "0")}` : `\\u${cp.toString(16).padStart(4, "0")}`;
}

/** The native CSV header, only the columns adoption fills (a subset is a native file too); `existingMember` only when members are written. */
export const CSV_HEADER = ["email", "displayName", "groups", "apps", "sendEmail"];

function renderCsv(entries: AdoptedEntry[]): Rendered {
    const members = entries.some((e) => e.userType === "Member");
    const out = [(members ? [...CSV_HEADER.slice(0, 2), "existingMember", ...CSV_HEADER.slice(2)] : CSV_HEADER).join(",")];
    const lines = new Map<string, { first: number; last: number }>();
    let line = 2;
    for (const e of entries) {
        const member = members ? [e.userType === "Member" ? "true" : "false"] : [];
        const row = [e.email, e.displayName ?? "", ...member, writeList(e.groups), writeAppList(e.apps), "false"].map(csvCell).join(",");
        const count = row.split(/\r\n|\n|\r/).length;
        lines.set(e.email, { first: line, last: line + count - 1 });
        line += count;
        out.push(row);
    }
    return { text: out.join("\n") + "\n", lines };
}
