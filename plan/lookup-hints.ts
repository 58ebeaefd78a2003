// What to write instead of a group or app name the azuread provider could not resolve: the IDs
// of every object that has the name, or a close name. Read from Graph after the failure, one
// request per failed name (graph/name-hints.ts); names and descriptions from Graph are untrusted
// text, quoted here, and the output boundary (text/escape.ts forTerminal) escapes what is left.
import type { NamedKind, NamedObject } from "../graph/name-hints";
import { isGuid } from "../roster";
import { compareText, quote } from "../roster/problems";
import { closest } from "../roster/suggest";
import type { NameReads } from "./reads";

/** How many objects a hint lists by ID; the rest are counted. */
export const LISTED = 10;

/** Which failure a hint is for: the provider found several objects with the name, or none. */
export type HintedFailure = "several" | "not-found";

/**
 * The fix that replaces `fallback` (today's fix) in a failed lookup's message, or undefined to
 * keep it: when Graph now lists fewer than two objects with the name (several), or no name is
 * close (not found). Rejects when the read fails; the caller keeps `fallback` then.
 */
export async function hintFix(reads: NameReads, what: NamedKind, name: string, kind: HintedFailure, fallback: string): Promise<string | undefined> {
    if (kind === "several") {
        const { objects, more } = await reads.objectsNamed(what, name);
        return severalFix(what, name, objects, more);
    }
    const hit = closeName(name, await reads.similarNames(what, name));
    return hit === undefined ? undefined : `did you mean ${JSON.stringify(hit)}? ${fallback}`;
}

/**
 * "write one of these object IDs: <id> ("<description>", created 2025-03-01), …, and 3 more",
 * sorted by ID, the first LISTED of them; client IDs for apps. Only objects that do have the
 * name (Graph compares it case-insensitively) are listed.
 */
export function severalFix(what: NamedKind, name: string, found: NamedObject[], more: boolean): string | undefined {
    const same = found.filter((o) => o.displayName.toLowerCase() === name.toLowerCase());
    if (same.length < 2) return undefined;
    const sorted = [...same].sort((a, b) => compareText(a.ref.toLowerCase(), b.ref.toLowerCase()) || compareText(a.ref, b.ref));
    const shown = sorted.slice(0, LISTED).map(describe);
    const rest = sorted.length - shown.length;
    const tail = rest > 0 || more ? `, and ${more ? "at least " : ""}${rest} more` : "";
    return `write one of these ${what === "group" ? "object IDs" : "client IDs"}: ${shown.join(", ")}${tail}`;
}

/** `<id> ("<description>", created 2025-03-01)`: an ID that is no GUID, and every text from Graph, quoted. */
function describe(o: NamedObject): string {
    const id = isGuid(o.ref) ? o.ref : quote(o.ref);
    const description = o.description === null || o.description === "" ? "no description" : quote(o.description);
    const day = /^\d{4}-\d{2}-\d{2}(?=T|$)/.exec(o.createdDateTime ?? "")?.[0];
    return `${id} (${description}${day ? `, created ${day}` : ""})`;
}

/**
 * The candidate closest to `name` by edit distance (roster/suggest.ts), if it is close: at most a
 * third of the name's length in edits, at least one, so "HR" never suggests "IT". A candidate
 * equal to the name but for case is not a suggestion (Entra would have found it). Ties go to the
 * first in sorted order, whatever order Graph answered in.
 */
export function closeName(name: string, candidates: string[]): string | undefined {
    const others = [...new Set(candidates)].filter((c) => c.toLowerCase() !== name.toLowerCase());
    others.sort((a, b) => compareText(a.toLowerCase(), b.toLowerCase()) || compareText(a, b));
    return closest(name, others, Math.max(1, Math.floor(name.length / 3)));
}
