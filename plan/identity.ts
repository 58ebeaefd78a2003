import { describeUser, Identity } from "../graph/identity";
import { Location, plural, Problem } from "../roster";
import { accessFingerprint, accessOf, importExisting } from "./imports";
import { fromLegacy } from "./legacy";
import { fingerprint, ManagedGuest, ManagedGuests, Owner } from "./previous";
import type { PlannedUser, TenantReads } from "./reads";
import { GuestPlan, InvitationSpec } from "./types";

export interface IdentityPlan {
    users: Map<string, PlannedUser>;
    /** Resource name (spec.name) -> the provider's import ID, for memberships and assignments that exist already. */
    imports: Map<string, string>;
    /** Addresses that name several users, or a member without `existingMember`: located, nothing is registered. */
    errors: Problem[];
    /** The baseline this run publishes before registering anything (stack output `managedGuests`). */
    baseline: ManagedGuests;
    /** Emails of earlier `removing` entries whose user still exists: deleted in this run. */
    stillPresent: Set<string>;
    /** Guests whose recorded user was deleted outside the stack: no removal of theirs deletes anything. */
    gone: Set<string>;
    /** Declared guests forgotten by this run because their user is gone: the next `pulumi up` invites them. */
    pendingRepairs: string[];
    /** Guests whose `azuread.Invitation` of an earlier version is registered once more, retained (plan/legacy.ts). */
    standIns: string[];
    notes: string[];
    warnings: string[];
}

export interface IdentitySettings {
    deleteAdoptedUsers: boolean;
    /** Where a guest's address is written, with its column (roster/read/locate-email.ts); the entry's line alone without it. */
    locate?: (spec: InvitationSpec) => Location;
    /** The last deployment finished (stack output `runComplete`): what it registered is in the state. */
    lastRunComplete: boolean;
    /** The last deployment was made by a version that kept users in `azuread.Invitation`s (no `runComplete` output). */
    legacy: boolean;
}

type Plan = Pick<GuestPlan, "invitations" | "memberships" | "assignments">;

/**
 * Decides, before anything is registered, who each declared guest is in the tenant and what the
 * stack may do with it. A guest the last deployment recorded is checked to still exist (1,000 to a
 * request); any other is looked up by the identity rule (graph/identity.ts): nobody -> invited,
 * one guest -> adopted, a member -> adopted only with `existingMember`, several users -> an error
 * naming them. The GuestUser's create (provider/) makes the same look right before it acts, and
 * records whether its own invitation created the user: only such a user is ever deleted.
 */
export async function planIdentity(plan: Plan, previous: ManagedGuests | undefined, reads: TenantReads | undefined, settings: IdentitySettings): Promise<IdentityPlan> {
    const prev = settings.legacy ? fromLegacy(previous ?? {}) : (previous ?? {});
    const migrating = settings.legacy || !settings.lastRunComplete;
    const planned = new Set(plan.invitations.map((i) => i.email));
    const need = () => {
        if (!reads) throw new Error("tenant lookups are needed but no directory was given");
        return reads;
    };
    // Recorded users, declared or being removed: do they still exist, and as what?
    const recorded = Object.entries(prev).filter(([, e]) => e.userId !== undefined && e.owner !== undefined);
    const existing = recorded.length > 0 ? await need().existingUsers(recorded.map(([, e]) => e.userId!)) : new Map<string, { userType: string | null }>();
    const gone = new Set(recorded.filter(([, e]) => !existing.has(e.userId!)).map(([email]) => email));
    const removing = Object.entries(prev).filter(([email, e]) => e.removing && !planned.has(email)).map(([email]) => email);
    const unsettled = plan.invitations.filter((i) => prev[i.email]?.owner === undefined).map((i) => i.email);
    const toLookUp = [...unsettled, ...removing.filter((email) => prev[email].owner === undefined)];
    const found = toLookUp.length > 0 ? await need().usersByAddress(toLookUp) : new Map<string, Identity>();

    const { users, errors, adopted, members, mailSkipped, pendingRepairs } = decideUsers(plan, prev, gone, found, migrating, settings);
    const imports = await importExisting(plan, users, prev, settings.lastRunComplete && !settings.legacy, reads);
    const stillPresent = new Set(removing.filter((email) => (prev[email].owner === undefined ? found.get(email)?.kind === "one" : !gone.has(email))));
    // A legacy Invitation still in the state: retained before it is dropped, declared or not; one
    // whose guest is removed and whose user still exists is deleted as that version deleted it.
    const standIns = migrating ? Object.entries(prev).filter(([email, e]) => e.legacyInvitation && (planned.has(email) || gone.has(email))).map(([email]) => email) : [];
    const baseline = earlyBaseline(plan, users, prev, planned, stillPresent, gone, settings, new Set(standIns));
    const notes = identityNotes(plan, imports, { adopted, members, mailSkipped }, settings.deleteAdoptedUsers);
    const warnings = pendingRepairs.map((email) => `the user of ${email} was deleted outside the stack; this run forgets it (nothing is deleted), and the next \`pulumi up\` invites ${email} again (remove its entry to drop it instead)`);
    return { users, imports: imports.ids, errors, baseline, stillPresent, gone, pendingRepairs, standIns, notes, warnings };
}

/** Each declared guest's user: the recorded one (or forgotten when gone), the one found, or none yet (invited). */
function decideUsers(plan: Plan, prev: ManagedGuests, gone: Set<string>, found: Map<string, Identity>, migrating: boolean, settings: IdentitySettings) {
    const errors: Problem[] = [];
    const users = new Map<string, PlannedUser>();
    const adopted: string[] = [];
    const members: string[] = [];
    const mailSkipped: string[] = [];
    const pendingRepairs: string[] = [];
    for (const spec of plan.invitations) {
        const before = prev[spec.email];
        if (before?.owner !== undefined) {
            const keep = !gone.has(spec.email) || spec.protect;
            const claim = before.owner === "stack" && before.legacyInvitation && migrating ? { claimUserId: before.userId } : {};
            // A legacy user gone: its memberships are in the state without a GuestUser to go with;
            // registered retained with the old user once more, then replaced when it is invited again.
            const legacyGone = before.legacyInvitation && migrating ? { retainAccessOf: before.userId } : {};
            users.set(spec.email, keep ? { register: true, userId: before.userId, owner: before.owner, ...claim } : { register: false, ...legacyGone });
            if (!keep) pendingRepairs.push(spec.email);
            continue;
        }
        const identity = found.get(spec.email) ?? { kind: "none" };
        const problem = identityProblem(spec, identity);
        if (problem) {
            errors.push({ ...(settings.locate?.(spec) ?? spec.source), message: problem });
            continue;
        }
        if (identity.kind === "one") {
            users.set(spec.email, { register: true, userId: identity.user.id, expectedUserId: identity.user.id, ...(before ? {} : { owner: spec.existingMember ? "member" : "adopted" }) });
            if (!before) (spec.existingMember ? members : adopted).push(spec.email);
            if (!before && spec.inputs.message) mailSkipped.push(spec.email);
        } else {
            users.set(spec.email, { register: true });
        }
    }
    return { users, errors, adopted, members, mailSkipped, pendingRepairs };
}

/** What the run tells the user about users and access it adopts instead of creating. */
function identityNotes(plan: Plan, imports: { ids: Map<string, string>; leftAlone: string[] }, found: { adopted: string[]; members: string[]; mailSkipped: string[] }, deleteAdoptedUsers: boolean): string[] {
    const { adopted, members, mailSkipped } = found;
    const notes: string[] = [];
    if (adopted.length > 0) {
        const keep = deleteAdoptedUsers ? "deleted like invited guests when their entry is removed (`entra-guests:deleteAdoptedUsers`), members never" : "kept when their entry is removed (set `entra-guests:deleteAdoptedUsers` to delete adopted guests)";
        notes.push(`adopting ${plural(adopted.length, "existing user")} instead of inviting them (no invitation, no mail; ${keep}): ${adopted.join(", ")}`);
    }
    if (members.length > 0) notes.push(`managing the access of ${plural(members.length, "existing member")} of the tenant (existingMember; never invited, never deleted): ${members.join(", ")}`);
    if (mailSkipped.length > 0) notes.push(`no invitation mail for ${plural(mailSkipped.length, "guest")} whose file asks for one, because the user already exists: ${mailSkipped.join(", ")}`);
    const newly = new Set([...adopted, ...members]);
    const memberImports = plan.memberships.filter((m) => imports.ids.has(m.name) && newly.has(m.email)).length;
    const assignmentImports = plan.assignments.filter((a) => imports.ids.has(a.name) && newly.has(a.email)).length;
    const parts = [memberImports > 0 ? plural(memberImports, "existing group membership") : "", assignmentImports > 0 ? plural(assignmentImports, "existing app role assignment") : ""].filter(Boolean);
    if (parts.length > 0) notes.push(`adopting ${parts.join(" and ")} (imported, not created)`);
    if (imports.leftAlone.length > 0) notes.push(`left alone: ${imports.leftAlone.join("; ")}`);
    return notes;
}

/** Why the program will not register this guest as it is declared; undefined when it may. */
export function identityProblem(spec: Pick<InvitationSpec, "email" | "existingMember">, identity: Identity): string | undefined {
    if (identity.kind === "several") {
        return `\`email\` ${spec.email} names ${identity.users.length} users in the tenant: ${identity.users.map(describeUser).join(", ")}; the stack will not pick one. Remove the address from all but one of them in Entra (mail, otherMails, proxyAddresses), or declare the guest by another address`;
    }
    if (identity.kind === "one" && identity.user.userType === "Member" && !spec.existingMember) {
        return `\`email\` ${spec.email} is a member of this tenant, not a guest (user ${describeUser(identity)}); to manage this member's groups and apps from the file, set \`existingMember: true\` on the entry (the stack never deletes a member), otherwise delete the entry`;
    }
    if (identity.kind === "one" && identity.user.userType !== "Member" && spec.existingMember) {
        return `\`existingMember\` is true for ${spec.email}, but the user is a guest (user ${describeUser(identity)}); delete \`existingMember\` to manage it as a guest`;
    }
    if (identity.kind === "none" && spec.existingMember) {
        return `\`existingMember\` is true for ${spec.email}, but no user in the tenant has this address; correct the address, or delete \`existingMember\` to invite a guest`;
    }
    return undefined;
}

/** What removing the guest does with its user, as the provider would decide it with what is known now. */
export function removalOutcome(spec: Pick<InvitationSpec, "retainOnDelete" | "protect">, owner: Owner | undefined, deleteAdoptedUsers: boolean): "delete" | "retain" {
    if (spec.retainOnDelete || owner === "member") return "retain";
    if (owner === "adopted") return deleteAdoptedUsers ? "delete" : "retain";
    // The stack's own, or not known yet: the removal guard counts it as a deletion.
    return "delete";
}

/**
 * The baseline published before anything is registered: every guest this run registers, what is
 * known of its user, and the guests it deletes (`removing`), kept until a later run sees their user
 * gone, so a failed run cannot switch the guard off. The run's final outputs replace it with what
 * the GuestUsers recorded (components/entra-guests.ts).
 */
function earlyBaseline(plan: Plan, users: Map<string, PlannedUser>, prev: ManagedGuests, planned: Set<string>, stillPresent: Set<string>, gone: Set<string>, settings: IdentitySettings, standIns: Set<string>): ManagedGuests {
    const baseline: ManagedGuests = {};
    const access = accessOf(plan);
    for (const spec of plan.invitations) {
        const u = users.get(spec.email);
        if (!u?.register) continue;
        const a = access.get(spec.email) ?? { groups: [], appRoles: [] };
        baseline[spec.email] = { ...guestEntry(spec, u, a, settings.deleteAdoptedUsers), ...(standIns.has(spec.email) ? { legacyInvitation: true as const } : {}) };
    }
    for (const [email, before] of Object.entries(prev)) {
        if (standIns.has(email) && !planned.has(email)) {
            baseline[email] = { ...before, onRemove: "retain" };
            continue;
        }
        if (planned.has(email) || gone.has(email) || before.onRemove === "retain") continue;
        if (before.removing && !stillPresent.has(email)) continue;
        const { provisional: _p, leaving: _l, ...rest } = before;
        baseline[email] = { ...rest, removing: true };
    }
    return baseline;
}

export function guestEntry(spec: InvitationSpec, u: Pick<PlannedUser, "userId" | "owner">, access: { groups: string[]; appRoles: string[] }, deleteAdoptedUsers: boolean): ManagedGuest {
    return {
        onRemove: removalOutcome(spec, u.owner, deleteAdoptedUsers),
        invite: fingerprint(spec.inputs),
        ...(u.userId !== undefined && u.owner !== undefined ? { userId: u.userId } : {}),
        ...(u.owner !== undefined ? { owner: u.owner } : {}),
        access: accessFingerprint(access.groups, access.appRoles),
    };
}

/** A guest's entry as its GuestUser recorded it: the provider's own answer to whose user it is. */
export function finalEntry(early: ManagedGuest | undefined, spec: InvitationSpec, userId: string, createdByStack: boolean, deleteAdoptedUsers: boolean): ManagedGuest {
    const owner: Owner = spec.existingMember ? "member" : createdByStack ? "stack" : "adopted";
    const { legacyInvitation: _l, ...rest } = early ?? { onRemove: "delete" as const, invite: fingerprint(spec.inputs) };
    return { ...rest, onRemove: removalOutcome(spec, owner, deleteAdoptedUsers), userId, owner };
}
