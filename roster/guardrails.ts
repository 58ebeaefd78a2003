import { z } from "zod";
import { Declared } from "./declared";
import { isGuid, normaliseReference } from "./fields";
import { formatLocation, Location, Problems, quote } from "./problems";
import { Guest } from "./schema";
import { didYouMean } from "./suggest";

// "fabrikam.com" or "*.fabrikam.com" (its subdomains, not fabrikam.com itself).
const DOMAIN_PATTERN = /^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*$/;

export const domainList = z.array(
    z
        .string()
        .trim()
        .toLowerCase()
        .refine((d) => DOMAIN_PATTERN.test(d), { message: "is not a domain; write fabrikam.com, or *.fabrikam.com for its subdomains" }),
);

/** A YAML file's `policy`: it applies to the guests of that file. */
export const PolicyDeclaration = z.strictObject({
    /** The only domains this file may invite from. */
    allowedDomains: domainList.optional(),
    /** Domains this file may never invite from. */
    blockedDomains: domainList.optional(),
});

/** A catalog file's `catalog`: aliases for the groups and apps guests may be given. */
export const CatalogDeclaration = z.strictObject({
    /** alias -> group object ID or display name. */
    groups: z.record(z.string(), z.string().trim().min(1)).optional(),
    /** alias -> app client ID or display name. */
    apps: z.record(z.string(), z.string().trim().min(1)).optional(),
});

/** A domain rule and where it was set: a file's `policy`, or the stack's config. */
export interface DomainRule {
    kind: "allowedDomains" | "blockedDomains";
    domains: string[];
    setBy: string;
}

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

export function domainMatches(domain: string, pattern: string): boolean {
    return pattern.startsWith("*.") ? domain.endsWith(pattern.slice(1)) : domain === pattern;
}

/** The rule `email` breaks, if any: blocked anywhere, or outside an allow-list that applies. */
export function brokenDomainRule(email: string, rules: DomainRule[]): DomainRule | undefined {
    const domain = email.slice(email.lastIndexOf("@") + 1);
    return (
        rules.find((r) => r.kind === "blockedDomains" && r.domains.some((p) => domainMatches(domain, p))) ??
        rules.find((r) => r.kind === "allowedDomains" && !r.domains.some((p) => domainMatches(domain, p)))
    );
}

export function stackRules(settings: GuardrailSettings): DomainRule[] {
    const rules: DomainRule[] = [];
    if (settings.allowedDomains.length > 0) rules.push({ kind: "allowedDomains", domains: settings.allowedDomains, setBy: "the stack's config `entra-guests:allowedDomains`" });
    if (settings.blockedDomains.length > 0) rules.push({ kind: "blockedDomains", domains: settings.blockedDomains, setBy: "the stack's config `entra-guests:blockedDomains`" });
    return rules;
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

/** Splits expired guests off and warns about those expiring soon. */
export function checkExpiry(guest: Guest, at: () => Location, settings: GuardrailSettings, problems: Problems): "active" | "expired" {
    if (guest.expires === undefined) return "active";
    const left = daysBetween(settings.asOf, guest.expires);
    if (left <= 0) {
        const effect = guest.onRemove === "retain" ? "stops managing the user (onRemove: retain) and removes its memberships and app assignments" : "deletes the guest user, its memberships and app assignments";
        problems.warn(at(), `${guest.email} expired on ${guest.expires}: it is left out, so the next \`pulumi up\` ${effect}; delete the entry, or move \`expires\` later to keep access`);
        return "expired";
    }
    if (left <= settings.expiryWarningDays) {
        problems.warn(at(), `${guest.email} expires on ${guest.expires}, in ${left} day${left === 1 ? "" : "s"}; move \`expires\` later if the access should go on`);
    }
    return "active";
}
