import { createHash } from "crypto";
import { plural } from "../roster";
import type { PlannedUser, TenantReads } from "./reads";
import { ManagedGuests } from "./previous";
import { AssignmentSpec, GuestPlan, MembershipSpec } from "./types";
import { appRoleKey } from "./guest-user";

/** A few listings at once: enough to be quick, few enough not to be throttled. */
const LISTINGS_AT_ONCE = 4;

type Plan = Pick<GuestPlan, "invitations" | "memberships" | "assignments">;

/** Each guest's group object IDs and app role keys, as its GuestUser records them (sorted). */
export function accessOf(plan: Pick<GuestPlan, "memberships" | "assignments">): Map<string, { groups: string[]; appRoles: string[] }> {
    const out = new Map<string, { groups: string[]; appRoles: string[] }>();
    const of = (email: string) => {
        let a = out.get(email);
        if (!a) out.set(email, (a = { groups: [], appRoles: [] }));
        return a;
    };
    for (const m of plan.memberships) if (m.groupObjectId) of(m.email).groups.push(m.groupObjectId);
    for (const a of plan.assignments) if (a.resourceObjectId && a.appRoleId) of(a.email).appRoles.push(appRoleKey(a.resourceObjectId, a.appRoleId));
    for (const a of out.values()) {
        a.groups.sort();
        a.appRoles.sort();
    }
    return out;
}

/** A short, stable digest of a guest's groups and app roles: a change means its access may exist in the tenant unrecorded. */
export function accessFingerprint(groups: string[], appRoles: string[]): string {
    return createHash("sha256").update(JSON.stringify([[...groups].sort(), [...appRoles].sort()])).digest("hex").slice(0, 16);
}

export interface Imports {
    /** Resource name (spec.name) -> the provider's import ID. */
    ids: Map<string, string>;
    /** Other roles of the same app that a guest holds beside the declared one: left alone, said once. */
    leftAlone: string[];
}

/**
 * Memberships and app role assignments that exist in the tenant but may not be in the state, to be
 * adopted through the engine's `import` option instead of failing their create ("already exists",
 * group_member_resource.go:85-88 and app_role_assignment_resource.go:140-143 at v3.8.0). That is
 * the access of a guest found now, of a guest whose groups or apps changed since the last
 * deployment (one added by hand in the portal and then written into the file), and, after a run
 * that did not finish (a read-back that missed, a retried POST that had landed), of every guest.
 * An import of what the state already holds is no import to the engine (the same ID,
 * step_generator.go:992-1001 at v3.248.0). One listing per group and per app, whatever the number
 * of guests.
 */
export async function importExisting(plan: Plan, users: Map<string, PlannedUser>, prev: ManagedGuests, lastRunComplete: boolean, reads: TenantReads | undefined): Promise<Imports> {
    const access = accessOf(plan);
    const involved = new Set<string>();
    for (const [email, u] of users) {
        if (!u.register || u.userId === undefined) continue;
        const before = prev[email];
        const a = access.get(email) ?? { groups: [], appRoles: [] };
        if (!lastRunComplete || before?.owner === undefined || before.access !== accessFingerprint(a.groups, a.appRoles)) involved.add(email);
    }
    const ids = new Map<string, string>();
    const leftAlone: string[] = [];
    if (involved.size === 0 || !reads) return { ids, leftAlone };
    await importMemberships(plan.memberships.filter((m) => involved.has(m.email)), users, reads, ids);
    await importAssignments(plan.assignments.filter((a) => involved.has(a.email)), users, reads, ids, leftAlone);
    return { ids, leftAlone };
}

async function importMemberships(specs: MembershipSpec[], users: Map<string, PlannedUser>, reads: TenantReads, ids: Map<string, string>): Promise<void> {
    const groups = [...new Set(specs.map((m) => m.groupObjectId!))];
    const members = new Map<string, Set<string>>();
    await eachLimited(groups, async (g) => void members.set(g, await reads.groupMemberIds(g)));
    for (const m of specs) {
        const userId = users.get(m.email)!.userId!;
        // The provider's import ID is its resource ID, `{group}/member/{member}` (group_member_resource.go:37-40).
        if (members.get(m.groupObjectId!)?.has(userId)) ids.set(m.name, `${m.groupObjectId}/member/${userId}`);
    }
}

async function importAssignments(specs: AssignmentSpec[], users: Map<string, PlannedUser>, reads: TenantReads, ids: Map<string, string>, leftAlone: string[]): Promise<void> {
    const apps = [...new Set(specs.map((a) => a.resourceObjectId!))];
    const assigned = new Map<string, Awaited<ReturnType<TenantReads["appRoleAssignedTo"]>>>();
    await eachLimited(apps, async (sp) => void assigned.set(sp, await reads.appRoleAssignedTo(sp)));
    for (const a of specs) {
        const userId = users.get(a.email)!.userId!;
        const mine = (assigned.get(a.resourceObjectId!) ?? []).filter((x) => x.principalId === userId);
        const same = mine.find((x) => x.appRoleId === a.appRoleId);
        // The import ID is the resource ID (app_role_assignment_resource.go:39-47).
        if (same) ids.set(a.name, `/servicePrincipals/${a.resourceObjectId}/appRoleAssignedTo/${same.id}`);
        else if (mine.length > 0) leftAlone.push(`${a.email} already has ${plural(mine.length, "other role")} of app ${a.app} (${mine.map((x) => x.appRoleId).join(", ")}), which the stack does not manage; the role in the file is assigned beside it`);
    }
}

async function eachLimited<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) await work(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(LISTINGS_AT_ONCE, items.length) }, worker));
}
