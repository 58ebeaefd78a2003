// What `entra-guests status` reports, built from the roster and the tenant's guests
// without any I/O, so that tests give it tables. Dates are judged in whole UTC days against
// `asOf`, as expiry is (roster/rules/guardrails.ts).
import type { DirectoryUser, SignInAvailability } from "../../graph";
import type { Identity } from "../../graph/identity";
import { UsageError } from "./errors";
import type { Guest } from "../../roster";
import { daysBetween } from "../../roster/rules/guardrails";

/**
 * pending: invited, not redeemed; accepted: redeemed; missing: declared, no user in the tenant;
 * unknown: Graph has no redemption state (a member); ambiguous: the address names several users
 * (graph/identity.ts), so the stack acts on none of them.
 */
export type GuestState = "pending" | "accepted" | "missing" | "unknown" | "ambiguous";

export interface StatusRow {
    /** The declared address, or the tenant user's mail ("" when it has none). */
    email: string;
    displayName: string | null;
    /** declared: in a guest file; unmanaged: a guest of the tenant that no file declares. */
    kind: "declared" | "unmanaged";
    state: GuestState;
    /** When the redemption state last changed (externalUserStateChangeDateTime). */
    since: string | null;
    /** When the user was created by the invitation (createdDateTime). */
    invited: string | null;
    /** null: never signed in, or not available (the report's `signIn` says which). */
    lastSignIn: string | null;
    /** From the guest file. */
    expires: string | null;
    /** Declared, but its `expires` has come: the next `pulumi up` removes it. */
    expired: boolean;
    /** In the stack's managedGuests; null when that could not be read. */
    managed: boolean | null;
    userId: string | null;
    /** The users an ambiguous address names, by object ID. */
    matches?: string[];
    source: { file: string; line: number } | null;
}

export type ManagedKnowledge = { known: true; stack: string; emails: Set<string> } | { known: false; reason: string };

export interface StatusFilters {
    /** Pending for at least this many days. */
    pendingFor?: number;
    /** No sign-in (or, never signed in, no invitation) for at least this many days. */
    inactiveFor?: number;
    /** Only the tenant's guests that no file declares. */
    unmanaged?: boolean;
}

export interface StatusCounts {
    declared: number;
    accepted: number;
    pending: number;
    missing: number;
    /** Declared guests in the tenant with no redemption state. */
    unknown: number;
    /** Declared addresses that name several users. */
    ambiguous: number;
    /** Declared guests whose expiry has come and that are still in the tenant. */
    expired: number;
    unmanaged: number;
}

export interface StatusReport {
    asOf: string;
    signIn: SignInAvailability;
    managed: { known: true; stack: string } | { known: false; reason: string };
    filters: StatusFilters;
    counts: StatusCounts;
    /** The rows the filters keep: declared guests by email, then unmanaged ones by email. */
    rows: StatusRow[];
}

export interface StatusInput {
    guests: Guest[];
    /** Declared guests left out because their `expires` has come. */
    expired: Guest[];
    tenantGuests: DirectoryUser[];
    /** What each declared address names (graph/identity.ts); an address left out names nobody. */
    identities: Map<string, Identity>;
    /** Users the identities name that are not among tenantGuests (members), by object ID. */
    others: Map<string, DirectoryUser>;
    signIn: SignInAvailability;
    managed: ManagedKnowledge;
    asOf: string;
    filters: StatusFilters;
}

export function buildStatus(input: StatusInput): StatusReport {
    const byId = new Map<string, DirectoryUser>(input.others);
    for (const u of input.tenantGuests) byId.set(u.id, u);
    const claimed = new Set<string>();
    const managed = (email: string) => (input.managed.known ? input.managed.emails.has(email) : null);
    const declared = new Set<string>();
    const rows: StatusRow[] = [];
    for (const [guest, expired] of [...input.guests.map((g) => [g, false] as const), ...input.expired.map((g) => [g, true] as const)]) {
        declared.add(guest.email);
        const identity = input.identities.get(guest.email) ?? { kind: "none" };
        const ids = identity.kind === "one" ? [identity.user.id] : identity.kind === "several" ? identity.users.map((m) => m.user.id) : [];
        for (const id of ids) claimed.add(id);
        const user = identity.kind === "one" ? byId.get(identity.user.id) : undefined;
        // An expired guest gone from the tenant is what its expiry asked for: nothing to report.
        if (identity.kind === "none" && expired) continue;
        rows.push({
            ...(identity.kind === "several" ? { state: "ambiguous" as const, since: null, invited: null, lastSignIn: null, userId: null, matches: ids } : userFields(user, input.signIn)),
            email: guest.email,
            displayName: guest.displayName ?? user?.displayName ?? null,
            kind: "declared",
            expires: guest.expires ?? null,
            expired,
            managed: managed(guest.email),
            source: guest.source,
        });
    }
    for (const user of input.tenantGuests) {
        const email = (user.mail ?? "").toLowerCase();
        if (claimed.has(user.id)) continue;
        rows.push({ ...userFields(user, input.signIn), email, displayName: user.displayName ?? null, kind: "unmanaged", expires: null, expired: false, managed: email === "" ? false : managed(email), source: null });
    }
    const order = (r: StatusRow) => (r.kind === "declared" ? 0 : 1);
    rows.sort((a, b) => order(a) - order(b) || compare(a.email, b.email) || compare(a.userId ?? "", b.userId ?? ""));
    const own = rows.filter((r) => r.kind === "declared");
    const counts: StatusCounts = {
        declared: input.guests.length,
        accepted: own.filter((r) => r.state === "accepted").length,
        pending: own.filter((r) => r.state === "pending").length,
        missing: own.filter((r) => r.state === "missing").length,
        unknown: own.filter((r) => r.state === "unknown").length,
        ambiguous: own.filter((r) => r.state === "ambiguous").length,
        expired: own.filter((r) => r.expired).length,
        unmanaged: rows.length - own.length,
    };
    const managedSummary = input.managed.known ? { known: true as const, stack: input.managed.stack } : input.managed;
    return { asOf: input.asOf, signIn: input.signIn, managed: managedSummary, filters: input.filters, counts, rows: rows.filter((r) => keeps(r, input.filters, input.asOf)) };
}

function userFields(user: DirectoryUser | undefined, signIn: SignInAvailability): Pick<StatusRow, "state" | "since" | "invited" | "lastSignIn" | "userId"> {
    if (!user) return { state: "missing", since: null, invited: null, lastSignIn: null, userId: null };
    const state = user.externalUserState === "PendingAcceptance" ? "pending" : user.externalUserState === "Accepted" ? "accepted" : "unknown";
    return {
        state,
        since: user.externalUserStateChangeDateTime ?? null,
        invited: user.createdDateTime ?? null,
        lastSignIn: signIn.available ? (user.signInActivity?.lastSignInDateTime ?? null) : null,
        userId: user.id,
    };
}

/** Whole UTC days from an ISO date-time to `asOf` (YYYY-MM-DD). */
export function daysSince(isoDateTime: string, asOf: string): number {
    return daysBetween(new Date(isoDateTime).toISOString().slice(0, 10), asOf);
}

/** Days a pending guest has waited: since its state changed, else since it was invited. */
export function pendingDays(r: StatusRow, asOf: string): number | undefined {
    const from = r.since ?? r.invited;
    return r.state === "pending" && from !== null ? daysSince(from, asOf) : undefined;
}

/** Days without a sign-in: since the last one, or since the invitation when there was none. */
export function inactiveDays(r: StatusRow, asOf: string): number | undefined {
    const from = r.lastSignIn ?? r.invited;
    return r.state !== "missing" && from !== null ? daysSince(from, asOf) : undefined;
}

/** The filters combine: a row is kept when it meets every one given. */
export function keeps(r: StatusRow, f: StatusFilters, asOf: string): boolean {
    if (f.unmanaged && r.kind !== "unmanaged") return false;
    if (f.pendingFor !== undefined && !((pendingDays(r, asOf) ?? -1) >= f.pendingFor)) return false;
    if (f.inactiveFor !== undefined && !((inactiveDays(r, asOf) ?? -1) >= f.inactiveFor)) return false;
    return true;
}

/** `14d` -> 14; undefined for anything else (the caller names the flag). */
export function parseDays(text: string): number | undefined {
    const m = /^(\d{1,5})d$/.exec(text.trim());
    return m ? Number(m[1]) : undefined;
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** `14d` as a number of days; a usage error naming the flag otherwise. */
export function days(value: string | undefined, flag: string): number | undefined {
    if (value === undefined) return undefined;
    const n = parseDays(value);
    if (n === undefined) throw new UsageError(`${flag} must be a number of days like 14d (got "${value}")`);
    return n;
}
