import type { DirectoryAssignment, DirectoryReads, DirectoryUser } from "../graph/directory";
import { plural } from "../roster";
import { fingerprint, ManagedGuests } from "./previous";
import { AssignmentSpec, GuestPlan, MembershipSpec } from "./types";

/** What adoption needs of a user the directory returns (graph/directory.ts has the whole shape). */
export type TenantUser = Pick<DirectoryUser, "id" | "mail" | "userType">;

/** An app role assignment as Graph returns it (`/servicePrincipals/{id}/appRoleAssignedTo`). */
export type TenantAssignment = DirectoryAssignment;

/**
 * The tenant reads adoption needs, each batched: one call per 15 addresses, one listing per
 * group and per app, one existence check per 1,000 users, whatever the number of guests.
 * graph/directory.ts implements them over Microsoft Graph; tests mock them.
 */
export interface TenantReads extends Omit<DirectoryReads, "usersByMail"> {
    /** Lower-cased mail -> user; addresses without a user are absent. */
    usersByMail(mails: string[]): Promise<Map<string, TenantUser>>;
}

/** How a planned guest's user is managed in this run. */
export interface GuestUser {
    /**
     * invite: an Invitation resource creates (or already created) the user.
     * adopt: the user existed before the stack; no invitation, no mail.
     */
    mode: "invite" | "adopt";
    /** The user's object ID when known before anything is registered (adopted, or looked up). */
    userId?: string;
    /**
     * Adopted, and `deleteAdoptedUsers` is set (or was, when the stack adopted it): an Invitation
     * without a message block owns the user. Graph answers an invitation of an existing user with
     * that user and sends no mail without the block; the provider still blanks its `companyName`.
     */
    invitationWithoutMail?: boolean;
    /** That Invitation keeps the user when removed: `deleteAdoptedUsers` was switched off since. */
    retainInvitation?: boolean;
    /**
     * The user was deleted outside the stack. "prepare": this run makes its Invitation (and
     * whatever is left of its memberships and assignments) retained, so that no provider delete
     * is ever called for a user that is gone; "now": the next run replaces the Invitation, which
     * invites the address again (see `planAdoption`).
     */
    reinvite?: "prepare" | "now";
    /**
     * Invited by this run (or by a run whose outcome is unknown): its Invitation is created, or
     * kept, retained until a later run has seen its user. A run killed half way publishes nothing
     * (the engine records stack outputs only when a deployment ends), so the next run cannot tell
     * the users it invited from users that were there before, and adopts them: a retained
     * Invitation it no longer registers is forgotten, never deleted with its user.
     */
    provisional?: true;
}

/**
 * A guest no longer declared whose Invitation must be registered once more: its user is gone
 * (`retain`: then dropped without a delete), or it is provisional and must first become deletable
 * (`retain: false`: then deleted by the next run).
 */
export interface Tombstone {
    email: string;
    retain: boolean;
}

export interface Adoption {
    users: Map<string, GuestUser>;
    /** Resource name (spec.name) -> the provider's import ID, for memberships and assignments that exist. */
    imports: Map<string, string>;
    /**
     * The baseline this run publishes (stack output `managedGuests`), before anything is
     * registered: every planned guest, plus the guests this run deletes (`removing`), kept until
     * a later run sees their user gone, so a failed run cannot switch the guard off.
     */
    baseline: ManagedGuests;
    /** Emails of previous `removing` entries whose user still exists: the engine deletes them in this run. */
    stillPresent: Set<string>;
    /** Guests the last deployment invited whose user was deleted outside the stack: no removal of theirs deletes anything. */
    gone: Set<string>;
    /** Guests no longer declared whose user is gone: registered once more, retained, then dropped. */
    tombstones: Tombstone[];
    /** Guests whose user was deleted outside the stack and that this run only prepares: run again. */
    pendingRepairs: string[];
    /** What the run says about adoption (preview and up): who, and why no mail. */
    notes: string[];
    /** What the run says about guests that take a second run (the `pendingRepairs`). */
    warnings: string[];
    /** Graph requests this run spent on lookups, for the log: users, groups, apps. */
    lookups: { users: number; groups: number; apps: number };
}

export interface AdoptionSettings {
    deleteAdoptedUsers: boolean;
}

/**
 * Decides, before anything is registered, which users the stack invites and which it adopts, and
 * which memberships and assignments already exist (adopted through the engine's `import`).
 *
 * Only "unsettled" guests are looked up: guests the last deployment did not manage, and guests
 * it invited without knowing their user yet (invited by that run, which may have failed half
 * way). Once a run has published a guest's user ID, later runs never look it up again.
 *
 * Settled invited guests are checked for a user deleted outside the stack (one request per
 * 1,000 users). Such a guest cannot be repaired in one run: replacing or dropping its Invitation
 * calls the provider's delete, which fails for a user that is gone (invitation_resource.go
 * 245-251 at v3.8.0: DeleteUser of the stored ID, no 404 tolerance), and the engine skips that
 * call only for a resource whose state already says retainOnDelete (pkg/resource/deploy/step.go:630
 * at v3.248.0). So the first run marks it retained (no tenant write), the second replaces it.
 */
export async function planAdoption(plan: Pick<GuestPlan, "invitations" | "memberships" | "assignments">, previous: ManagedGuests | undefined, reads: TenantReads | undefined, settings: AdoptionSettings): Promise<Adoption> {
    const prev = previous ?? {};
    const planned = new Set(plan.invitations.map((i) => i.email));
    const unsettled = plan.invitations.filter((i) => prev[i.email] === undefined || prev[i.email].userId === undefined).map((i) => i.email);
    // Guests an earlier run set out to delete: still in state if that run failed.
    const removing = Object.entries(prev).filter(([email, e]) => e.removing && !planned.has(email)).map(([email]) => email);
    const lookups = { users: 0, groups: 0, apps: 0 };
    // Invited by an earlier run, user ID never published, no longer declared: looked up like the others.
    const unsettledLeaving = Object.entries(prev).filter(([email, e]) => !planned.has(email) && !e.adopted && !e.removing && e.userId === undefined).map(([email]) => email);
    const toLookUp = [...unsettled, ...removing, ...unsettledLeaving];
    let found = new Map<string, TenantUser>();
    if (toLookUp.length > 0) {
        if (!reads) throw new Error("tenant lookups are needed but no directory was given");
        found = await reads.usersByMail(toLookUp);
        lookups.users = Math.ceil(toLookUp.length / 15);
    }

    // Users deleted outside the stack: settled invited guests (declared or being removed) whose ID is gone.
    const settledIds = new Map<string, string>();
    for (const [email, e] of Object.entries(prev)) if (e.userId !== undefined && !e.removing) settledIds.set(email, e.userId);
    let gone = new Set<string>();
    if (settledIds.size > 0) {
        if (!reads) throw new Error("tenant lookups are needed but no directory was given");
        const existing = await reads.existingUserIds([...settledIds.values()]);
        lookups.users += Math.ceil(settledIds.size / 1000);
        gone = new Set([...settledIds].filter(([, id]) => !existing.has(id)).map(([email]) => email));
    }
    // Invited by an earlier run that never published the user's ID, and no user has the address:
    // that run failed before the invitation (then this run invites it), or the user was deleted
    // since (then its Invitation is in the state with an empty user ID after a refresh). Both are
    // handled as a user that is gone: retained first, so the provider's delete is never called.
    for (const [email, e] of Object.entries(prev)) {
        if (!e.adopted && !e.removing && e.userId === undefined && !found.has(email)) gone.add(email);
    }

    const users = new Map<string, GuestUser>();
    const adopted: string[] = [];
    const readopted: string[] = [];
    const mailSkipped: string[] = [];
    for (const spec of plan.invitations) {
        const before = prev[spec.email];
        const user = found.get(spec.email);
        if (before?.adopted && gone.has(spec.email) && !before.invitation) {
            // Adopted, and deleted outside the stack since: no Invitation of ours in the state, so
            // it is simply invited now, like a new guest. Its memberships follow the new user once a
            // refresh has dropped the old ones (run `pulumi refresh` first, as the schedule does).
            users.set(spec.email, { mode: "invite" });
            readopted.push(spec.email);
        } else if (before?.adopted && gone.has(spec.email)) {
            users.set(spec.email, { mode: "invite", reinvite: before.reinvite === "prepared" ? "now" : "prepare" });
        } else if (before?.adopted) {
            // An Invitation registered for it once stays registered: dropping it would delete the user.
            const owned = settings.deleteAdoptedUsers || before.invitation === true;
            users.set(spec.email, { mode: "adopt", userId: before.userId ?? user?.id, ...(owned ? { invitationWithoutMail: true } : {}), ...(owned && !settings.deleteAdoptedUsers ? { retainInvitation: true } : {}) });
        } else if (before && gone.has(spec.email)) {
            users.set(spec.email, { mode: "invite", reinvite: before.reinvite === "prepared" ? "now" : "prepare" });
        } else if (before) {
            // Invited by an earlier run: its Invitation stays, whatever the tenant says now.
            users.set(spec.email, { mode: "invite", userId: before.userId ?? user?.id });
        } else if (user) {
            users.set(spec.email, { mode: "adopt", userId: user.id, ...(settings.deleteAdoptedUsers ? { invitationWithoutMail: true } : {}) });
            adopted.push(spec.email);
            if (spec.inputs.message) mailSkipped.push(spec.email);
        } else {
            users.set(spec.email, { mode: "invite" });
        }
    }
    for (const u of users.values()) if (u.mode === "invite" && u.userId === undefined && u.reinvite !== "prepare") u.provisional = true;
    // A user that is adopted (or stays) with an unknown ID cannot be: the lookup would have found it.
    for (const [email, u] of users) {
        if (u.mode === "adopt" && u.userId === undefined) throw new Error(`the last deployment adopted ${email} but published no user ID for it, and the tenant has no user with that mail`);
    }

    // Memberships and assignments that may exist without being in state: those of users this run
    // learnt about (adopted now, or invited by a run that may have stopped half way).
    const fresh = new Set(unsettled.filter((email) => users.get(email)?.userId !== undefined));
    const imports = new Map<string, string>();
    const leftAlone: string[] = [];
    if (fresh.size > 0 && reads) {
        await importMemberships(plan.memberships.filter((m) => fresh.has(m.email)), users, reads, imports, lookups);
        await importAssignments(plan.assignments.filter((a) => fresh.has(a.email)), users, reads, imports, lookups, leftAlone);
    }

    const stillPresent = new Set(removing.filter((email) => found.has(email)));
    const tombstones: Tombstone[] = [];
    const pendingRepairs: string[] = [];
    const baseline: ManagedGuests = {};
    for (const spec of plan.invitations) {
        const u = users.get(spec.email)!;
        if (u.reinvite === "prepare") {
            baseline[spec.email] = { ...prev[spec.email], reinvite: "prepared" };
            pendingRepairs.push(spec.email);
            continue;
        }
        const keepsUser = u.mode === "adopt" && (!u.invitationWithoutMail || u.retainInvitation === true);
        baseline[spec.email] = {
            onRemove: keepsUser || spec.retainOnDelete ? "retain" : "delete",
            invite: fingerprint(spec.inputs),
            ...(u.userId !== undefined ? { userId: u.userId } : {}),
            ...(u.mode === "adopt" ? { adopted: true as const } : {}),
            ...(u.mode === "adopt" && u.invitationWithoutMail ? { invitation: true as const } : {}),
            ...(u.provisional ? { provisional: true as const } : {}),
        };
    }
    for (const [email, before] of Object.entries(prev)) {
        if (planned.has(email)) continue;
        if (gone.has(email)) {
            // Its user is gone: not a deletion. Registered once more as retained, then forgotten
            // (an adopted user without an Invitation of ours has nothing to register).
            if (before.adopted && !before.invitation) continue;
            // Provisional: if its Invitation is in the state at all, it is retained already, and
            // registering it again would create it when it is not (its invitation failed).
            if (before.provisional) continue;
            if (before.reinvite !== "prepared") {
                tombstones.push({ email, retain: true });
                baseline[email] = { ...before, onRemove: "retain", reinvite: "prepared" };
                pendingRepairs.push(email);
            }
            continue;
        }
        if (before.onRemove === "retain") continue;
        if (before.provisional && !before.leaving) {
            // Removed before any run saw its user: made deletable now, deleted by the next run.
            tombstones.push({ email, retain: false });
            baseline[email] = { ...before, leaving: true };
            pendingRepairs.push(email);
            continue;
        }
        // Deleted by this run (or by an earlier one that may have failed): carried until gone.
        const { provisional: _p, leaving: _l, ...rest } = before;
        if (!before.removing || stillPresent.has(email)) baseline[email] = { ...rest, removing: true };
    }

    const notes: string[] = [];
    if (adopted.length > 0) {
        const keep = settings.deleteAdoptedUsers ? "deleted like invited guests when their entry is removed (`entra-guests:deleteAdoptedUsers`)" : "kept when their entry is removed (set `entra-guests:deleteAdoptedUsers` to delete them)";
        notes.push(`adopting ${plural(adopted.length, "existing user")} instead of inviting them (no invitation, no mail; ${keep}): ${adopted.join(", ")}`);
    }
    if (mailSkipped.length > 0) notes.push(`no invitation mail for ${plural(mailSkipped.length, "guest")} whose file asks for one, because the user already exists: ${mailSkipped.join(", ")}`);
    // Said for adopted users only: for guests the last run invited, an import is a no-op when that
    // run recorded the membership, and a repair when it did not; both need no word.
    const adoptedNow = new Set(adopted);
    const memberImports = plan.memberships.filter((m) => imports.has(m.name) && adoptedNow.has(m.email)).length;
    const assignmentImports = plan.assignments.filter((a) => imports.has(a.name) && adoptedNow.has(a.email)).length;
    const parts = [memberImports > 0 ? plural(memberImports, "existing group membership") : "", assignmentImports > 0 ? plural(assignmentImports, "existing app role assignment") : ""].filter(Boolean);
    if (parts.length > 0) notes.push(`adopting ${parts.join(" and ")} (imported, not created)`);
    if (leftAlone.length > 0) notes.push(`left alone: ${leftAlone.join("; ")}`);
    const warnings: string[] = [];
    for (const email of pendingRepairs) {
        const t = tombstones.find((x) => x.email === email);
        if (t && !t.retain) {
            warnings.push(`${email} is removed before any run saw its user; this run makes its invitation deletable, and the next \`pulumi up\` deletes the user (${email} is counted by the removal guard then)`);
        } else if (t) {
            warnings.push(`the user of ${email} was deleted outside the stack, or never created; this run keeps its invitation from being deleted (the provider's delete fails for a user that is gone), and the next \`pulumi up\` drops it from the stack`);
        } else {
            warnings.push(`the user of ${email} was deleted outside the stack, or never created; this run keeps its invitation, memberships and assignments from being deleted (the provider's delete fails for a user that is gone), and the next \`pulumi up\` invites ${email} again (remove its entry first to drop it instead)`);
        }
    }
    if (readopted.length > 0) notes.push(`inviting ${plural(readopted.length, "adopted guest")} whose user was deleted outside the stack: ${readopted.join(", ")}`);
    const reinvited = [...users].filter(([, u]) => u.reinvite === "now").map(([email]) => email);
    if (reinvited.length > 0) notes.push(`inviting ${plural(reinvited.length, "guest")} again whose user was deleted outside the stack: ${reinvited.join(", ")}`);
    return { users, imports, baseline, stillPresent, gone, tombstones, pendingRepairs, notes, warnings, lookups };
}

async function importMemberships(specs: MembershipSpec[], users: Map<string, GuestUser>, reads: TenantReads, imports: Map<string, string>, lookups: Adoption["lookups"]): Promise<void> {
    const groups = [...new Set(specs.map((m) => m.groupObjectId!))];
    const members = new Map<string, Set<string>>();
    await eachLimited(groups, async (g) => {
        members.set(g, await reads.groupMemberIds(g));
    });
    lookups.groups += groups.length;
    for (const m of specs) {
        const userId = users.get(m.email)!.userId!;
        // The provider's import ID is its resource ID, `{group}/member/{member}` (group_member_resource.go:37-40).
        if (members.get(m.groupObjectId!)?.has(userId)) imports.set(m.name, `${m.groupObjectId}/member/${userId}`);
    }
}

async function importAssignments(specs: AssignmentSpec[], users: Map<string, GuestUser>, reads: TenantReads, imports: Map<string, string>, lookups: Adoption["lookups"], leftAlone: string[]): Promise<void> {
    const apps = [...new Set(specs.map((a) => a.resourceObjectId!))];
    const assigned = new Map<string, TenantAssignment[]>();
    await eachLimited(apps, async (sp) => {
        assigned.set(sp, await reads.appRoleAssignedTo(sp));
    });
    lookups.apps += apps.length;
    for (const a of specs) {
        const userId = users.get(a.email)!.userId!;
        const mine = (assigned.get(a.resourceObjectId!) ?? []).filter((x) => x.principalId === userId);
        const same = mine.find((x) => x.appRoleId === a.appRoleId);
        // The import ID is the resource ID (app_role_assignment_resource.go:39-47).
        if (same) imports.set(a.name, `/servicePrincipals/${a.resourceObjectId}/appRoleAssignedTo/${same.id}`);
        else if (mine.length > 0) leftAlone.push(`${a.email} already has ${plural(mine.length, "other role")} of app ${a.app} (${mine.map((x) => x.appRoleId).join(", ")}), which the stack does not manage; the role in the file is assigned beside it`);
    }
}

/** A few listings at once: enough to be quick, few enough not to be throttled. */
async function eachLimited<T>(items: T[], work: (item: T) => Promise<void>, limit = 4): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) await work(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
