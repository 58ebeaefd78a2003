// `entra-guests adopt`, the pure part: what the directory holds for the groups and apps asked
// for -> one entry per user, in the roster's terms. No Graph, no disk (cli/adopt.ts does both).
import type { MemberUser, ServicePrincipalRef } from "../../../graph/adoption-reads";
import type { DirectoryAssignment } from "../../../graph/directory";
import { AppAccess, Guest, isGuid } from "../../../roster";
import { checkEmail } from "../../../roster/rules";

/** Graph's ID of an app's default access: an assignment with no role (appRoleAssignment docs). */
export const DEFAULT_ACCESS_ID = "00000000-0000-0000-0000-000000000000";

/** A group asked for: as the command line wrote it (what the file will say) and what it is. */
export interface ResolvedGroup {
    ref: string;
    id: string;
    displayName: string;
}

export interface ResolvedApp {
    ref: string;
    principal: ServicePrincipalRef;
}

/** One user to declare. */
export interface AdoptedEntry {
    email: string;
    userId: string;
    /** Every address the user is known by, lower-cased: a guest file declaring any of them names it. */
    addresses: string[];
    displayName?: string;
    userType: "Guest" | "Member";
    groups: string[];
    apps: AppAccess[];
}

/** A user that is not written, and why; `who` is the mail, or the object ID and name. */
export interface Skipped {
    who: string;
    reason: string;
}

export interface Collected {
    entries: AdoptedEntry[];
    skipped: Skipped[];
    /** Members of the tenant (userType other than Guest) left out without --include-members. */
    membersLeftOut: number;
    /** Things written differently from the tenant, or not at all, said in the summary. */
    notes: string[];
}

/** A user for a message: its mail, or its object ID and display name when it has no usable mail. */
const userLabel = (u: MemberUser) => (u.mail ? u.mail : `user ${u.id}${u.displayName ? ` (${JSON.stringify(u.displayName)})` : ""}`);

/**
 * One entry per user among the groups' direct members (guests only unless `includeMembers`),
 * with the groups as the command line wrote them and the app access they hold. Users without a
 * mail, or whose mail the roster refuses, are skipped with the reason.
 */
export function collectEntries(groups: { group: ResolvedGroup; members: MemberUser[] }[], apps: { app: ResolvedApp; assignments: DirectoryAssignment[] }[], options: { includeMembers: boolean }): Collected {
    const byId = new Map<string, AdoptedEntry>();
    const byEmail = new Map<string, AdoptedEntry>();
    const skipped = new Map<string, Skipped>();
    const members = new Set<string>();
    const notes: string[] = [];
    for (const { group, members: users } of groups) {
        for (const u of users) {
            const isGuest = u.userType === "Guest";
            if (!isGuest && !options.includeMembers) {
                members.add(u.id);
                continue;
            }
            if (skipped.has(u.id)) continue;
            let entry = byId.get(u.id);
            if (!entry) {
                if (!u.mail) {
                    skipped.set(u.id, { who: userLabel(u), reason: "it has no mail, so it cannot be declared by email" });
                    continue;
                }
                const email = checkEmail(u.mail);
                if (!email.ok) {
                    skipped.set(u.id, { who: userLabel(u), reason: email.message });
                    continue;
                }
                const twin = byEmail.get(email.value);
                if (twin) {
                    skipped.set(u.id, { who: userLabel(u), reason: `user ${twin.userId} has the same mail, and a guest file declares one user per address; adopt one of them by hand` });
                    continue;
                }
                entry = { email: email.value, userId: u.id, addresses: addressesOf(u), userType: isGuest ? "Guest" : "Member", groups: [], apps: [] };
                if (u.displayName) entry.displayName = u.displayName;
                byId.set(u.id, entry);
                byEmail.set(email.value, entry);
            }
            if (!entry.groups.includes(group.ref)) entry.groups.push(group.ref);
        }
    }
    for (const { app, assignments } of apps) {
        const roles = new Map(app.principal.appRoles.map((r) => [r.id.toLowerCase(), r]));
        for (const a of assignments) {
            const entry = byId.get(a.principalId);
            if (!entry) continue; // a user outside the groups, a group or a service principal
            const roleId = a.appRoleId.toLowerCase();
            let access: AppAccess;
            if (roleId === DEFAULT_ACCESS_ID) {
                access = { app: app.ref };
            } else {
                const role = roles.get(roleId);
                if (!role) {
                    notes.push(`${entry.email} holds role ${roleId} of app ${JSON.stringify(app.ref)}, which the app no longer defines; not written`);
                    continue;
                }
                access = { app: app.ref, role: role.value ? role.value : role.id };
            }
            const before = entry.apps.find((x) => x.app === app.ref);
            if (before) {
                // The roster gives a guest one role per app; the other assignment stays, unmanaged.
                notes.push(`${entry.email} holds ${describeAccess(before)} and ${describeAccess(access)} of app ${JSON.stringify(app.ref)}; a guest file gives one role per app, so only the first is written and the other is left alone`);
                continue;
            }
            entry.apps.push(access);
        }
    }
    const entries = [...byId.values()].sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
    return { entries, skipped: [...skipped.values()], membersLeftOut: members.size, notes };
}

/** The addresses a user is known by, as the identity rule matches them (graph/identity.ts), lower-cased. */
export function addressesOf(u: MemberUser): string[] {
    const all = [u.mail, u.userPrincipalName, ...(u.otherMails ?? []), ...(u.proxyAddresses ?? []).filter((p) => /^smtp:/i.test(p)).map((p) => p.slice(5))];
    return [...new Set(all.filter((a): a is string => typeof a === "string" && a !== "").map((a) => a.toLowerCase()))];
}

const describeAccess = (a: AppAccess) => (a.role === undefined ? "default access" : `role ${JSON.stringify(a.role)}`);

/**
 * What a declared guest lacks of what the tenant holds for the groups and apps asked for: one
 * note, or undefined when the declaration already covers it. The declaration is not changed.
 */
export function declaredDifference(declared: Guest, entry: AdoptedEntry, groups: ResolvedGroup[], apps: ResolvedApp[]): string | undefined {
    const missingGroups = entry.groups.filter((ref) => {
        const g = groups.find((x) => x.ref === ref)!;
        return !declared.groups.some((d) => (isGuid(d) ? d.toLowerCase() === g.id.toLowerCase() : d.toLowerCase() === g.displayName.toLowerCase() || d === ref));
    });
    const missingApps = entry.apps.filter((access) => {
        const p = apps.find((x) => x.ref === access.app)!.principal;
        return !declared.apps.some((d) => (isGuid(d.app) ? d.app.toLowerCase() === p.appId.toLowerCase() : d.app.toLowerCase() === p.displayName.toLowerCase() || d.app === access.app));
    });
    if (missingGroups.length + missingApps.length === 0) return undefined;
    const parts = [
        ...missingGroups.map((g) => `group ${JSON.stringify(g)}`),
        ...missingApps.map((a) => `app ${JSON.stringify(a.app)}${a.role === undefined ? "" : ` (role ${JSON.stringify(a.role)})`}`),
    ];
    return `${entry.email} is declared at ${declared.source.file}:${declared.source.line} without ${parts.join(", ")}, which the tenant gives it; not changed: add ${parts.length > 1 ? "them" : "it"} there to manage ${parts.length > 1 ? "them" : "it"}, or leave ${parts.length > 1 ? "them" : "it"} unmanaged`;
}
