import { formatLocation, Guest, isGuid, Problem, sortProblems, withoutUndefined } from "../roster";
import { apostropheProblem, Lookup, LookupFailures } from "./lookup-errors";
import type { NameReads } from "./reads";
import { AssignmentSpec, DEFAULT_ACCESS, Directory, GuestPlan, InvitationInputs, InvitationSpec, MembershipSpec, ServicePrincipalInfo } from "./types";

/** How many lookups run at once: enough to be quick, few enough not to be throttled. */
const LOOKUP_CONCURRENCY = 8;

/** The plan, and what the directory itself answered. */
export interface BuiltPlan extends GuestPlan {
    /**
     * Lookups that failed for a reason that is not in the guest files (no credentials, a
     * permission missing, throttling, anything unknown), each said once and not located.
     */
    directoryErrors: string[];
}

/**
 * The roster -> every resource to register, with directory references resolved up front:
 * one lookup per distinct group name and per distinct app, whatever the number of guests.
 * Without a directory (`entra-guests plan`), references that need a lookup stay as written.
 * `names` is read only for a name the lookup found none or several of, once each, for the
 * error's hint (plan/lookup-hints.ts).
 */
export async function buildPlan(guests: Guest[], directory?: Directory, names?: NameReads): Promise<BuiltPlan> {
    const errors: Problem[] = [];
    const warnings: Problem[] = [];
    const failures = new LookupFailures();
    const groupIds = await resolveGroups(guests, directory, errors, failures);
    const principals = await resolveApps(guests, directory, failures);
    const plan: BuiltPlan = { invitations: [], memberships: [], assignments: [], errors, warnings, directoryErrors: failures.directoryErrors() };
    for (const guest of guests) {
        plan.invitations.push(invitation(guest));
        const groups = new Map<string, MembershipSpec>();
        for (const group of guest.groups) {
            const groupObjectId = isGuid(group) ? group : groupIds.get(groupKey(group));
            const key = groupObjectId ?? group;
            const before = groups.get(key);
            if (before) {
                // "Partners" and its object ID in one list: one membership, not a failed second one.
                warnings.push({ ...guest.source, message: `\`groups\` of ${guest.email} names group ${key} twice (as "${before.group}" and "${group}"); delete one` });
                continue;
            }
            groups.set(key, withoutUndefined({ name: `${guest.email}/${key}`, email: guest.email, group, groupObjectId }));
        }
        plan.memberships.push(...groups.values());
        const apps = new Map<string, AssignmentSpec>();
        for (const access of guest.apps) {
            const principal = principals.get(appKey(access.app));
            const key = principal?.objectId ?? access.app;
            const before = apps.get(key);
            if (before) {
                errors.push({ ...guest.source, message: `\`apps\` of ${guest.email} names the same app twice (as "${before.app}" and "${access.app}"); a guest gets one role per app, keep one` });
                continue;
            }
            const appRoleId = roleId(guest, access.app, access.role, principal, errors);
            apps.set(key, withoutUndefined({ name: `${guest.email}/${key}`, email: guest.email, app: access.app, role: access.role, resourceObjectId: principal?.objectId, appRoleId }));
        }
        plan.assignments.push(...apps.values());
    }
    plan.errors = sortProblems([...errors, ...(await failures.located(names))]);
    plan.warnings = sortProblems(warnings);
    return plan;
}

function invitation(guest: Guest): InvitationSpec {
    const inputs: InvitationInputs = withoutUndefined({
        userEmailAddress: guest.email,
        redirectUrl: guest.redirectUrl,
        userDisplayName: guest.displayName,
        userType: guest.userType,
        message: guest.sendEmail ? messageBlock(guest) : undefined,
    });
    return { name: guest.email, email: guest.email, inputs, retainOnDelete: guest.onRemove === "retain", protect: guest.protect, existingMember: guest.existingMember === true, source: guest.source };
}

/**
 * The provider mails whenever a `message` block exists, and `body` and `language` conflict.
 * With neither given, the language is Graph's default, written out so the block is never empty.
 */
function messageBlock(guest: Guest): InvitationInputs["message"] {
    return withoutUndefined({
        body: guest.message,
        language: guest.message === undefined ? (guest.language ?? "en-US") : undefined,
        additionalRecipients: guest.cc,
    });
}

async function resolveGroups(guests: Guest[], directory: Directory | undefined, errors: Problem[], failures: LookupFailures): Promise<Map<string, string>> {
    // Entra compares display names case-insensitively: "Partners" and "partners" are one lookup.
    const users = usages(guests, (g) => g.groups.filter((ref) => !isGuid(ref)), groupKey);
    const ids = new Map<string, string>();
    const lookups: Lookup[] = [];
    for (const uses of users.values()) {
        const lookup = lookupOf("group", uses);
        // Refused offline too, before any lookup: the provider cannot look such a name up.
        const refused = apostropheProblem(lookup);
        if (refused) errors.push(refused);
        else lookups.push(lookup);
    }
    if (!directory) return ids;
    await forEachLimited(lookups, failures, async (lookup) => {
        try {
            ids.set(groupKey(lookup.name), await directory.groupByName(lookup.name));
        } catch (err) {
            failures.add(lookup, err);
        }
    });
    return ids;
}

async function resolveApps(guests: Guest[], directory: Directory | undefined, failures: LookupFailures): Promise<Map<string, ServicePrincipalInfo>> {
    const users = usages(guests, (g) => g.apps.map((a) => a.app), appKey);
    const principals = new Map<string, ServicePrincipalInfo>();
    if (!directory) return principals;
    await forEachLimited([...users.values()].map((uses) => lookupOf("app", uses)), failures, async (lookup) => {
        const app = lookup.name;
        try {
            principals.set(appKey(app), await directory.servicePrincipal(lookup.byClientId ? { clientId: app } : { displayName: app }));
        } catch (err) {
            failures.add(lookup, err);
        }
    });
    return principals;
}

function roleId(guest: Guest, app: string, role: string | undefined, principal: ServicePrincipalInfo | undefined, errors: Problem[]): string | undefined {
    if (role === undefined) return DEFAULT_ACCESS;
    if (isGuid(role)) return role;
    if (!principal) return undefined;
    const id = principal.appRoleIds[role];
    if (id === undefined) {
        const roles = Object.keys(principal.appRoleIds).sort();
        const list = roles.length > 0 ? `its roles are ${roles.join(", ")}` : "it defines no roles, leave `role` out for default access";
        errors.push({ ...guest.source, message: `app "${app}" has no role "${role}" (for ${guest.email}); ${list}` });
    }
    return id;
}

function groupKey(group: string): string {
    return group.toLowerCase();
}

/** Apps compare by client ID or, for names, case-insensitively. */
function appKey(app: string): string {
    return isGuid(app) ? app : app.toLowerCase();
}

interface Usage {
    written: string;
    source: { file: string; line: number };
}

/** Distinct references (by key) -> the guests that use them, in roster order. */
function usages(guests: Guest[], refs: (g: Guest) => string[], key: (ref: string) => string): Map<string, Usage[]> {
    const map = new Map<string, Usage[]>();
    for (const guest of guests) {
        for (const written of refs(guest)) {
            const k = key(written);
            const list = map.get(k);
            if (list) list.push({ written, source: guest.source });
            else map.set(k, [{ written, source: guest.source }]);
        }
    }
    return map;
}

function where(uses: Usage[]): string {
    const places = [...new Set(uses.map((u) => formatLocation(u.source)))];
    return places.length > 5 ? `${places.slice(0, 5).join(", ")} and ${places.length - 5} more` : places.join(", ");
}

function lookupOf(what: Lookup["what"], uses: Usage[]): Lookup {
    const name = uses[0].written;
    return { what, name, byClientId: what === "app" && isGuid(name), at: uses[0].source, uses: where(uses) };
}

/** Runs `work` on each item, a few at once, and starts no more once the directory itself failed. */
async function forEachLimited(items: Lookup[], failures: LookupFailures, work: (item: Lookup) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const item = items[next++];
            if (failures.stops(item.what)) return;
            await work(item);
        }
    };
    await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, items.length) }, worker));
}
