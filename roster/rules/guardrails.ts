import { z } from "zod";
import { Declared } from "../read/declared";
import { brokenDomainRule, DomainRule } from "./policy";
import { isGuid, normaliseReference } from "./references";
import { formatLocation, Location, plural, Problems, quote } from "../problems";
import { Guest } from "./schema";
import { didYouMean } from "../suggest";

/** A catalog file's `catalog`: aliases for the groups and apps guests may be given. */
export const CatalogDeclaration = z.strictObject({
    /** alias -> group object ID or display name. */
    groups: z.record(z.string(), z.string().trim().min(1)).optional(),
    /** alias -> app client ID or display name. */
    apps: z.record(z.string(), z.string().trim().min(1)).optional(),
});

export interface CatalogEntry {
    target: string;
    at: Location;
}

/** Aliases by lower-cased name. */
export interface Catalog {
    groups: Map<string, CatalogEntry>;
    apps: Map<string, CatalogEntry>;
    files: string[];
}

export interface GuardrailSettings {
    allowedDomains: string[];
    blockedDomains: string[];
    restrictToCatalog: boolean;
    allowMemberInvites: boolean;
    /** YYYY-MM-DD: "today" for expiry. */
    asOf: string;
    expiryWarningDays: number;
}

/** Days from `from` to `to`, both YYYY-MM-DD. */
export function daysBetween(from: string, to: string): number {
    return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function today(): string {
    return new Date().toISOString().slice(0, 10);
}

/** Reads one file's catalog into `catalog`, reporting bad entries and aliases defined twice. */
export function addCatalog(declared: Declared, catalog: Catalog, problems: Problems): void {
    const result = CatalogDeclaration.safeParse(declared.values);
    if (!result.success) {
        for (const issue of result.error.issues) {
            const where = declared.locate(issue.path, issue.code === "unrecognized_keys");
            if (issue.code === "unrecognized_keys") {
                for (const key of issue.keys) problems.error(declared.locate([...issue.path, key], true), `unknown key \`${key}\` in \`catalog\`; ${didYouMean(key, ["groups", "apps"])}a catalog has \`groups\` and \`apps\``);
            } else {
                problems.error(where, `\`catalog.${issue.path.join(".")}\` must map aliases to a name or object ID (got ${quote(lookup(declared.values, issue.path))}); write "alias: <display name or ID>"`);
            }
        }
        return;
    }
    catalog.files.push(declared.at.file);
    for (const kind of ["groups", "apps"] as const) {
        for (const [alias, target] of Object.entries(result.data[kind] ?? {})) {
            const at = declared.locate([kind, alias], true);
            const before = catalog[kind].get(alias.toLowerCase());
            if (before) {
                problems.error(at, `catalog alias \`${alias}\` for ${kind} is defined twice (${formatLocation(before.at)} and ${formatLocation(at)}); rename or delete one`);
                continue;
            }
            catalog[kind].set(alias.toLowerCase(), { target: normaliseReference(target), at });
        }
    }
}

function lookup(values: unknown, path: PropertyKey[]): unknown {
    return path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), values);
}

/**
 * Replaces catalog aliases with their targets; with `restrictToCatalog`, refuses any other
 * reference. Returns the references to use, reporting at `at`.
 */
export function throughCatalog(kind: "groups" | "apps", refs: string[], catalog: Catalog, restrict: boolean, email: string, at: () => Location, problems: Problems): string[] {
    return refs.map((ref) => {
        const entry = catalog[kind].get(ref.toLowerCase());
        if (entry) return entry.target;
        if (restrict) {
            const aliases = [...catalog[kind].keys()];
            const where = catalog.files.length > 0 ? `add it to ${catalog.files[0]}` : "add a catalog file (a YAML file with `catalog:`)";
            const hint = didYouMean(ref, aliases);
            const what = kind === "groups" ? "group" : "app";
            const own = isGuid(ref) ? " ID" : "";
            problems.error(at(), `${what}${own} ${quote(ref)} of ${email} is not in the catalog, and \`entra-guests:restrictToCatalog\` is on; ${hint}use a catalog alias${aliases.length > 0 ? ` (${aliases.join(", ")})` : ""}, or ${where}`);
        }
        return ref;
    });
}

/** Days until the guest's access ends, when that is within the warning window and not yet past. */
export function expiresSoon(guest: Guest, settings: Pick<GuardrailSettings, "asOf" | "expiryWarningDays">): number | undefined {
    if (guest.expires === undefined) return undefined;
    const left = daysBetween(settings.asOf, guest.expires);
    return left > 0 && left <= settings.expiryWarningDays ? left : undefined;
}

/** Splits expired guests off and warns about those expiring soon. */
export function checkExpiry(guest: Guest, at: () => Location, settings: GuardrailSettings, problems: Problems): "active" | "expired" {
    if (guest.expires === undefined) return "active";
    const left = daysBetween(settings.asOf, guest.expires);
    if (left <= 0) {
        const effect = guest.onRemove === "retain" ? "stops managing the user (onRemove: retain) and removes its memberships and app assignments" : "deletes the guest user, its memberships and app assignments";
        problems.warn(at(), `${guest.email} expired on ${guest.expires}: it is left out, so the next \`pulumi up\` ${effect}; delete the entry, or move \`expires\` later to keep access`);
        return "expired";
    }
    if (expiresSoon(guest, settings) !== undefined) {
        problems.warn(at(), `${guest.email} expires on ${guest.expires}, in ${plural(left, "day")}; move \`expires\` later if the access should go on`);
    }
    return "active";
}

/** Domain policy, member invites, the catalog and expiry: each reported where it was written. */
export interface GuardrailContext {
    settings: GuardrailSettings;
    catalog: Catalog;
    /** The domain rules of the guest's file, then the stack's. */
    rules: DomainRule[];
    problems: Problems;
}

/** The domain policy of the guest's file and the stack; also run for a guest whose other fields are wrong. */
export function checkDomain(email: string, at: () => Location, rules: DomainRule[], problems: Problems): void {
    const broken = brokenDomainRule(email, rules);
    if (!broken) return;
    const verb = broken.kind === "blockedDomains" ? "is blocked by" : "is not allowed by";
    problems.error(at(), `${email} ${verb} \`${broken.kind}\` [${broken.domains.join(", ")}] set by ${broken.setBy}; invite this guest from a file whose policy allows the domain, or correct the address`);
}

export function applyGuardrails(guest: Guest, at: (key: "email" | "userType" | "groups" | "apps" | "expires") => Location, context: GuardrailContext): "active" | "expired" {
    const { settings, problems } = context;
    checkDomain(guest.email, () => at("email"), context.rules, problems);
    if (guest.userType === "Member" && !settings.allowMemberInvites) {
        problems.error(at("userType"), `\`userType\` Member invites ${guest.email} as a member of the tenant, which \`entra-guests:allowMemberInvites\` does not allow (got "Member"); write Guest, or have an administrator set allowMemberInvites to true`);
    }
    const { catalog } = context;
    if (guest.groups.length > 0 && (catalog.groups.size > 0 || settings.restrictToCatalog)) {
        guest.groups = dedupe(throughCatalog("groups", guest.groups, catalog, settings.restrictToCatalog, guest.email, () => at("groups"), problems));
    }
    if (guest.apps.length > 0 && (catalog.apps.size > 0 || settings.restrictToCatalog)) {
        const apps = throughCatalog("apps", guest.apps.map((a) => a.app), catalog, settings.restrictToCatalog, guest.email, () => at("apps"), problems);
        guest.apps = guest.apps.map((a, i) => ({ ...a, app: apps[i] }));
    }
    return guest.expires === undefined ? "active" : checkExpiry(guest, () => at("expires"), settings, problems);
}

/** An alias and its target written side by side are one reference. */
function dedupe(refs: string[]): string[] {
    const seen = new Set<string>();
    return refs.filter((r) => !seen.has(r.toLowerCase()) && seen.add(r.toLowerCase()) !== undefined);
}
