// Who an address names in the tenant: the users Graph's own invitation would hand back for it.
// One rule for the program, its provider and every command that reads Graph.
import { BATCH_LIMIT, GraphClient } from "./client";
import { BATCH_CONCURRENCY, odataString, pool } from "./directory";

/** A user as the identity lookup returns it. */
export interface IdentityUser {
    id: string;
    mail: string | null;
    userPrincipalName: string | null;
    otherMails: string[];
    proxyAddresses: string[];
    userType: "Guest" | "Member" | null;
    displayName: string | null;
    createdDateTime: string | null;
    externalUserState: "PendingAcceptance" | "Accepted" | null;
    externalUserStateChangeDateTime: string | null;
}

/** The user properties the lookup selects. */
export const IDENTITY_SELECT = ["id", "mail", "userPrincipalName", "otherMails", "proxyAddresses", "userType", "displayName", "createdDateTime", "externalUserState", "externalUserStateChangeDateTime"];

/** The properties an address can match a user on, in the order messages name them. */
export type MatchedOn = "mail" | "userPrincipalName" | "otherMails" | "proxyAddresses";

/**
 * What an address names: nobody (the invitation creates a user), one user (the invitation would
 * hand it back, so the stack adopts it), or several (the stack will not pick one).
 */
export type Identity = { kind: "none" } | { kind: "one"; user: IdentityUser; matchedOn: MatchedOn[] } | { kind: "several"; users: { user: IdentityUser; matchedOn: MatchedOn[] }[] };

/**
 * The filter Microsoft documents for "Determine if a user was already invited to your directory"
 * (learn.microsoft.com/entra/external-id/customize-invitation-api): Graph's invitation hands back
 * an existing user found by `userPrincipalName`, `mail`, `proxyAddresses` or `otherMails`, so an
 * address names whoever any of them matches. Its `signInNames` term is Azure AD Graph's name for
 * local-account sign-in names, which B2B guests do not have and Microsoft Graph filters only with
 * the issuer too (`identities`); it is left out. Directory string comparisons are
 * case-insensitive, the `smtp:` prefix included. `or` across these properties is an advanced
 * query: it needs `ConsistencyLevel: eventual` and `$count=true` (learn.microsoft.com/graph/aad-advanced-queries).
 */
export function identityFilter(address: string): string {
    const a = odataString(address);
    return `userPrincipalName eq ${a} or mail eq ${a} or proxyAddresses/any(p:p eq ${odataString(`smtp:${address}`)}) or otherMails/any(m:m eq ${a})`;
}

/** The lookup of one address, as a request (alone, or inside a `POST /$batch`). */
export function identityRequest(address: string): { path: string; query: Record<string, string>; headers: Record<string, string> } {
    return { path: "/users", query: { $filter: identityFilter(address), $select: IDENTITY_SELECT.join(","), $count: "true" }, headers: { ConsistencyLevel: "eventual" } };
}

/**
 * Which users each address names, one lookup an address, 20 to a `POST /$batch`, 2 batches at
 * once. Keyed by the address as given (already normalised: trimmed, NFC, lower-case).
 */
export async function usersByAddress(graph: GraphClient, addresses: string[]): Promise<Map<string, Identity>> {
    const unique = [...new Set(addresses)];
    const batches: string[][] = [];
    for (let i = 0; i < unique.length; i += BATCH_LIMIT) batches.push(unique.slice(i, i + BATCH_LIMIT));
    const lists = await pool(batches, BATCH_CONCURRENCY, (batch) => graph.getAllBatched<IdentityUser>(batch.map(identityRequest)));
    const answers = lists.flat();
    const out = new Map<string, Identity>();
    batches.flat().forEach((address, i) => out.set(address, identify(address, normaliseUsers(answers[i]))));
    return out;
}

/** The users one address names, read alone (the provider's own check right before it invites). */
export async function usersForAddress(graph: GraphClient, address: string): Promise<Identity> {
    const r = identityRequest(address);
    return identify(address, normaliseUsers(await graph.getAll<IdentityUser>(r.path, r.query, r.headers)));
}

/** The answer of a lookup, classified; a user listed twice (on two pages) counts once. */
export function identify(address: string, users: IdentityUser[]): Identity {
    const byId = new Map(users.map((u) => [u.id, u]));
    const matches = [...byId.values()].map((user) => ({ user, matchedOn: matchedOn(user, address) })).filter((m) => m.matchedOn.length > 0);
    if (matches.length === 0) return { kind: "none" };
    if (matches.length === 1) return { kind: "one", ...matches[0] };
    return { kind: "several", users: matches.sort((a, b) => (a.user.id < b.user.id ? -1 : 1)) };
}

/** The properties on which `user` carries `address`, compared as Graph compares them (case-insensitively). */
export function matchedOn(user: IdentityUser, address: string): MatchedOn[] {
    const a = address.toLowerCase();
    const same = (v: string | null | undefined) => typeof v === "string" && v.toLowerCase() === a;
    const out: MatchedOn[] = [];
    if (same(user.mail)) out.push("mail");
    if (same(user.userPrincipalName)) out.push("userPrincipalName");
    if (user.otherMails.some(same)) out.push("otherMails");
    if (user.proxyAddresses.some((p) => /^smtp:/i.test(p) && same(p.slice(5)))) out.push("proxyAddresses");
    return out;
}

/** "<object ID> (Guest, by mail)": a user as a message names it. */
export function describeUser(m: { user: IdentityUser; matchedOn: MatchedOn[] }): string {
    return `${m.user.id} (${m.user.userType ?? "no userType"}, by ${m.matchedOn.join(" and ")})`;
}

function normaliseUsers(users: IdentityUser[] | undefined): IdentityUser[] {
    return (users ?? []).map((u) => ({
        id: u.id,
        mail: u.mail ?? null,
        userPrincipalName: u.userPrincipalName ?? null,
        otherMails: Array.isArray(u.otherMails) ? u.otherMails : [],
        proxyAddresses: Array.isArray(u.proxyAddresses) ? u.proxyAddresses : [],
        userType: u.userType ?? null,
        displayName: u.displayName ?? null,
        createdDateTime: u.createdDateTime ?? null,
        externalUserState: u.externalUserState ?? null,
        externalUserStateChangeDateTime: u.externalUserStateChangeDateTime ?? null,
    }));
}
