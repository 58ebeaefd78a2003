// The list cells of a CSV guest file, `groups` and `apps`: items separated by ";" or "|", and an
// app item written "app" or "app:role", split at its last ":". A backslash makes the character
// after it part of the name when that character is ";", "|", ":" or "\"; any other backslash is
// text. So a cell without those pairs splits at every ";" and "|", and every name can be written:
// `Sales\; EMEA` is one group, `Portal\:EU:api\:read` is app "Portal:EU" with role "api:read".
// The reader (roster/rules/references.ts) and `adopt`'s writer both use this file.

/** An app and its role as a list cell holds them; no role is the app's default access. */
export interface AppItem {
    app: string;
    role?: string;
}

const BACKSLASH = 0x5c;
/** The characters a backslash escapes: the separators, the role's ":" and itself. */
const ESCAPED = new Set([";", "|", ":", "\\"]);

/** A list cell's items, unescaped and trimmed; empty items are dropped. */
export function readList(cell: string): string[] {
    return splitItems(cell).map(unescape);
}

/** An `apps` cell's items: "app" or "app:role", each part unescaped and trimmed. */
export function readAppList(cell: string): AppItem[] {
    return splitItems(cell).map(readAppItem);
}

/** A list cell holding `names`, each escaped so that `readList` gives it back. */
export function writeList(names: string[]): string {
    return names.map((n) => escape(n, /\\(?=[;|:\\]|$)|[;|]/g)).join(";");
}

/** An `apps` cell holding `apps`, each app and role escaped so that `readAppList` gives it back. */
export function writeAppList(apps: AppItem[]): string {
    const part = (text: string) => escape(text, /\\(?=[;|:\\]|$)|[;|:]/g);
    return apps.map((a) => (a.role === undefined ? part(a.app) : `${part(a.app)}:${part(a.role)}`)).join(";");
}

/** `text` with a backslash before each match of `pattern`. */
function escape(text: string, pattern: RegExp): string {
    return text.replace(pattern, "\\$&");
}

function unescape(text: string): string {
    return text.includes("\\") ? text.replace(/\\([;|:\\])/g, "$1") : text;
}

/** The items of a cell, trimmed and still escaped, split at each ";" or "|" no backslash escapes. */
function splitItems(cell: string): string[] {
    // Without a backslash nothing is escaped: the plain split, and the common case.
    if (!cell.includes("\\")) return cell.split(/[;|]/).map((s) => s.trim()).filter((s) => s !== "");
    const items: string[] = [];
    let start = 0;
    for (let i = 0; i < cell.length; i++) {
        if (isEscape(cell, i)) i++;
        else if (cell[i] === ";" || cell[i] === "|") {
            items.push(cell.slice(start, i));
            start = i + 1;
        }
    }
    items.push(cell.slice(start));
    return items.map((s) => s.trim()).filter((s) => s !== "");
}

/** "Contoso Portal:Reader" -> { app, role }: the last ":" no backslash escapes splits, since GUIDs have none. */
function readAppItem(item: string): AppItem {
    let colon = -1;
    for (let i = 0; i < item.length; i++) {
        if (isEscape(item, i)) i++;
        else if (item[i] === ":") colon = i;
    }
    if (colon <= 0) return { app: unescape(item) };
    const app = unescape(item.slice(0, colon).trim());
    const role = unescape(item.slice(colon + 1).trim());
    return role === "" ? { app } : { app, role };
}

/** Whether the character at `i` is a backslash that escapes the next one. */
function isEscape(text: string, i: number): boolean {
    return text.charCodeAt(i) === BACKSLASH && i + 1 < text.length && ESCAPED.has(text[i + 1]);
}
