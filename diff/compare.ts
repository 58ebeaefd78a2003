import { AppAccess, Guest, Profile, PROFILE_FIELDS, Roster } from "../roster";

/** Fields Graph uses only when it creates the user: edits have no effect on an existing guest. */
export const INVITE_TIME_FIELDS = ["displayName", "redirectUrl", "sendEmail", "message", "language", "cc", "userType"] as const;
/** Fields whose edits change what the program does for an existing guest. */
export const EFFECTIVE_FIELDS = ["expires", "onRemove", "protect", "existingMember"] as const;

export interface FieldChange {
    field: string;
    before?: unknown;
    after?: unknown;
    /** False for invite-time fields: the program ignores them for existing guests. */
    effective: boolean;
    /** A user property: read and checked, not yet applied to the user. */
    profile?: true;
}

/** Where a guest of the head is declared, and until when: what a reviewer checks. */
interface Declared {
    expires?: string;
    source: { file: string; line: number };
}

export interface GuestChange extends Declared {
    email: string;
    displayName?: string;
    fields: FieldChange[];
    joins: string[];
    leaves: string[];
    appsAdded: AppAccess[];
    appsRemoved: AppAccess[];
}

export interface AddedGuest extends Declared {
    email: string;
    displayName?: string;
    /** Mailed an invitation when invited: `sendEmail`, and not an existing member (never invited). */
    mailed: boolean;
    existingMember?: true;
    groups: string[];
    apps: AppAccess[];
    profile?: Profile;
}

export interface RemovedGuest {
    email: string;
    displayName?: string;
    /** What happens to the user: deleted, or retained (onRemove: retain as deployed). */
    user: "deleted" | "retained";
    /** Removed because its `expires` date has come, not because its entry went. */
    expired?: string;
    groups: string[];
    apps: AppAccess[];
}

export interface RosterDiff {
    added: AddedGuest[];
    removed: RemovedGuest[];
    changed: GuestChange[];
    counts: {
        added: number;
        removed: number;
        deleted: number;
        retained: number;
        changed: number;
        membershipsAdded: number;
        membershipsRemoved: number;
        assignmentsAdded: number;
        assignmentsRemoved: number;
    };
}

/**
 * Who gains and loses access between two rosters. Guests compare by email only, so a guest
 * moved to another file or format is no change; groups and apps compare as references
 * (case-insensitive), offline: a name swapped for its object ID shows as a leave and a join.
 *
 * The base stands for what is deployed, so every guest it declares counts, its expired ones
 * too: a deployment made before a guest's `expires` holds that guest, and the next `pulumi up`
 * (judging the head as of today) deletes it. Judging the base as of the same date
 * would hide that removal on the very day it happens. A guest left expired in the files is thus
 * shown as a removal until its entry is deleted, as `validate` warns.
 */
export function compareRosters(base: Pick<Roster, "guests" | "expired">, head: Pick<Roster, "guests" | "expired">): RosterDiff {
    const before = new Map([...base.guests, ...base.expired].map((g) => [g.email, g]));
    const after = new Map(head.guests.map((g) => [g.email, g]));
    const expired = new Map(head.expired.map((g) => [g.email, g]));
    const diff: RosterDiff = { added: [], removed: [], changed: [], counts: { added: 0, removed: 0, deleted: 0, retained: 0, changed: 0, membershipsAdded: 0, membershipsRemoved: 0, assignmentsAdded: 0, assignmentsRemoved: 0 } };
    for (const [email, g] of after) {
        const old = before.get(email);
        if (!old) {
            const entry: AddedGuest = declared(withName({ email, mailed: g.sendEmail && !g.existingMember, groups: g.groups, apps: g.apps }, g), g);
            if (g.existingMember) entry.existingMember = true;
            if (g.profile) entry.profile = g.profile;
            diff.added.push(entry);
            continue;
        }
        const change = compareGuest(old, g);
        if (change) diff.changed.push(change);
    }
    for (const [email, old] of before) {
        if (after.has(email)) continue;
        const removed: RemovedGuest = withName({ email, user: old.onRemove === "retain" ? "retained" : "deleted", groups: old.groups, apps: old.apps }, old);
        const gone = expired.get(email);
        if (gone?.expires) removed.expired = gone.expires;
        diff.removed.push(removed);
    }
    const c = diff.counts;
    c.added = diff.added.length;
    c.removed = diff.removed.length;
    c.deleted = diff.removed.filter((r) => r.user === "deleted").length;
    c.retained = c.removed - c.deleted;
    c.changed = diff.changed.length;
    c.membershipsAdded = sum(diff.added, (a) => a.groups.length) + sum(diff.changed, (ch) => ch.joins.length);
    c.membershipsRemoved = sum(diff.removed, (r) => r.groups.length) + sum(diff.changed, (ch) => ch.leaves.length);
    c.assignmentsAdded = sum(diff.added, (a) => a.apps.length) + sum(diff.changed, (ch) => ch.appsAdded.length);
    c.assignmentsRemoved = sum(diff.removed, (r) => r.apps.length) + sum(diff.changed, (ch) => ch.appsRemoved.length);
    return diff;
}

function compareGuest(old: Guest, now: Guest): GuestChange | undefined {
    const fields: FieldChange[] = [];
    for (const field of [...INVITE_TIME_FIELDS, ...EFFECTIVE_FIELDS]) {
        if (!same(old[field], now[field])) {
            fields.push({ field, before: old[field], after: now[field], effective: (EFFECTIVE_FIELDS as readonly string[]).includes(field) });
        }
    }
    for (const field of PROFILE_FIELDS) {
        const [before, after] = [old.profile?.[field], now.profile?.[field]];
        if (before !== after) fields.push({ field, before, after, effective: false, profile: true });
    }
    const key = (s: string) => s.toLowerCase();
    const oldGroups = new Set(old.groups.map(key));
    const newGroups = new Set(now.groups.map(key));
    const joins = now.groups.filter((g) => !oldGroups.has(key(g)));
    const leaves = old.groups.filter((g) => !newGroups.has(key(g)));
    // An app whose role changed is a removal plus an addition: the assignment is replaced.
    const appKey = (a: AppAccess) => `${key(a.app)}\u0000${key(a.role ?? "")}`;
    const oldApps = new Set(old.apps.map(appKey));
    const newApps = new Set(now.apps.map(appKey));
    const appsAdded = now.apps.filter((a) => !oldApps.has(appKey(a)));
    const appsRemoved = old.apps.filter((a) => !newApps.has(appKey(a)));
    if (fields.length + joins.length + leaves.length + appsAdded.length + appsRemoved.length === 0) return undefined;
    return declared(withName({ email: now.email, fields, joins, leaves, appsAdded, appsRemoved }, now), now);
}

function same(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

function sum<T>(items: T[], f: (item: T) => number): number {
    return items.reduce((n, i) => n + f(i), 0);
}

function withName<T extends { email: string }>(entry: T, guest: Guest): T & { displayName?: string } {
    return guest.displayName === undefined ? entry : { ...entry, displayName: guest.displayName };
}

function declared<T extends object>(entry: T, guest: Guest): T & Declared {
    return guest.expires === undefined ? { ...entry, source: guest.source } : { ...entry, expires: guest.expires, source: guest.source };
}
