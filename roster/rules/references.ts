import { Checked, fail, isAbsent, ok } from "./fields";
import { quote } from "../problems";
import { readAppList, readList } from "../read/list-cells";

/** References to groups and apps: object IDs, client IDs or display names, as guests list them. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: string): boolean {
    return GUID.test(text);
}

/** An object ID, client ID or name: GUIDs lower-cased so that one reference has one spelling. */
export function normaliseReference(text: string): string {
    const t = text.trim();
    return isGuid(t) ? t.toLowerCase() : t;
}

/** Group references: object IDs or display names, each once; a CSV cell by ../read/list-cells.ts. */
export function checkGroups(value: unknown): Checked<string[] | undefined> {
    if (isAbsent(value)) return ok(undefined);
    const items = typeof value === "string" ? readList(value) : Array.isArray(value) ? value : undefined;
    if (items === undefined) {
        return fail(`\`groups\` must be a list of group names or object IDs (got ${quote(value)}); write a YAML list, or separate names with ";" in a CSV cell`);
    }
    const groups: string[] = [];
    const seen = new Set<string>();
    const warnings: string[] = [];
    for (const item of items) {
        if (typeof item !== "string" || item.trim() === "") {
            return fail(`\`groups\` has an entry that is not a group name or object ID (got ${quote(item)}); write each group's display name or object ID`);
        }
        const ref = normaliseReference(item);
        const key = ref.toLowerCase();
        if (seen.has(key)) {
            warnings.push(`\`groups\` lists ${quote(ref)} twice; it is used once, delete the repeat`);
            continue;
        }
        seen.add(key);
        groups.push(ref);
    }
    return ok(groups, warnings);
}

export interface AppAccess {
    app: string;
    role?: string;
}

/**
 * App access: a client ID or display name, with an optional role value or ID. In a CSV cell
 * "app" or "app:role", separated by ";" (../read/list-cells.ts); in YAML a list of `{ app, role }`
 * or plain names.
 */
export function checkApps(value: unknown): Checked<AppAccess[] | undefined> {
    if (isAbsent(value)) return ok(undefined);
    const items = typeof value === "string" ? readAppList(value) : Array.isArray(value) ? value : undefined;
    if (items === undefined) {
        return fail(`\`apps\` must be a list of apps (got ${quote(value)}); write a YAML list of { app, role }, or "app:role" items separated by ";" in a CSV cell`);
    }
    const apps: AppAccess[] = [];
    const seen = new Map<string, AppAccess>();
    for (const item of items) {
        const entry = typeof item === "string" ? { app: item } : item;
        if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
            return fail(`\`apps\` has an entry that is not an app (got ${quote(item)}); write { app: <client ID or name>, role: <role value> }`);
        }
        const record = entry as Record<string, unknown>;
        const unknown = Object.keys(record).filter((k) => k !== "app" && k !== "role");
        if (unknown.length > 0) {
            return fail(`\`apps\` entry has unknown key \`${unknown[0]}\` (got ${quote(item)}); an entry has only \`app\` and \`role\``);
        }
        if (typeof record.app !== "string" || record.app.trim() === "") {
            return fail(`\`apps\` entry has no \`app\` (got ${quote(item)}); name the app by its client ID or display name`);
        }
        if (!isAbsent(record.role) && typeof record.role !== "string") {
            return fail(`\`apps\` entry has a \`role\` that is not text (got ${quote(record.role)}); write the role's value, like Reader, or its ID`);
        }
        const access: AppAccess = { app: normaliseReference(record.app) };
        if (typeof record.role === "string" && record.role.trim() !== "") access.role = normaliseReference(record.role);
        const key = access.app.toLowerCase();
        const before = seen.get(key);
        if (before) {
            return fail(`\`apps\` lists ${quote(access.app)} twice (roles ${quote(before.role ?? "default")} and ${quote(access.role ?? "default")}); a guest gets one role per app, keep one`);
        }
        seen.set(key, access);
        apps.push(access);
    }
    return ok(apps);
}
