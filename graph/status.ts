// The reads and writes behind `entra-guests status` and `entra-guests resend`: every
// guest of the tenant in pages of 999, sign-in activity when the tenant and the identity allow
// it, and invitations sent again.
import { GraphClient, GraphRequestError } from "./client";
import { Directory, DirectoryUser } from "./directory";
import { identify, Identity, IdentityUser, usersByAddress } from "./identity";

/** Whether the last sign-in could be read, and if not, why: one sentence for a column or a summary. */
export type SignInAvailability = { available: true } | { available: false; reason: string };

export interface TenantGuests {
    /** Every user with `userType eq 'Guest'`, all pages. */
    guests: DirectoryUser[];
    /**
     * Each declared address -> the users it names by the identity rule (graph/identity.ts): matched
     * among the listed guests on mail, userPrincipalName, otherMails and proxyAddresses, and looked
     * up one by one when no guest carries it (a member, or no user at all).
     */
    identities: Map<string, Identity>;
    /** The users the identities name that are not among `guests` (members), by ID. */
    others: Map<string, DirectoryUser>;
    signIn: SignInAvailability;
}

/**
 * Graph's answer when the tenant has no Entra ID P1 licence and signInActivity is selected: 403
 * `Authentication_RequestFromNonPremiumTenantOrB2CTenant`, "Neither tenant is B2C or tenant
 * doesn't have premium license" (microsoftgraph/microsoft-graph-docs#12772).
 */
export const NO_PREMIUM = "Authentication_RequestFromNonPremiumTenantOrB2CTenant";

/**
 * The tenant's guests with signInActivity, which needs AuditLog.Read.All and an Entra ID P1
 * licence (learn.microsoft.com/graph/api/resources/signinactivity); when Graph refuses it with
 * 403 the list is read again without it and `signIn` says why. Any other failure, on any page, is
 * thrown: a partial list is never returned. `declared` addresses no listed guest carries are looked
 * up by the identity rule (graph/identity.ts `usersByAddress`: one request an address, 20 to a
 * `POST /$batch`), so a guest invited as a Member is not reported missing.
 * `signInActivity: false` skips it (resend needs none).
 */
export async function readTenantGuests(graph: GraphClient, declared: string[], options: { signInActivity?: boolean } = {}): Promise<TenantGuests> {
    const directory = new Directory(graph);
    let guests: DirectoryUser[];
    let signIn: SignInAvailability = { available: true };
    if (options.signInActivity === false) {
        guests = await directory.listGuests();
        signIn = { available: false, reason: "not read" };
    } else {
        try {
            guests = await directory.listGuests({ signInActivity: true });
        } catch (err) {
            if (!(err instanceof GraphRequestError) || err.status !== 403) throw err;
            signIn = { available: false, reason: signInRefusal(err) };
            guests = await directory.listGuests();
        }
    }
    const index = identityIndex(guests);
    const identities = new Map<string, Identity>();
    const unmatched: string[] = [];
    for (const address of new Set(declared)) {
        const candidates = index.get(address) ?? [];
        if (candidates.length > 0) identities.set(address, identify(address, candidates));
        else unmatched.push(address);
    }
    const others = new Map<string, DirectoryUser>();
    if (unmatched.length > 0) {
        for (const [address, identity] of await usersByAddress(graph, unmatched)) {
            identities.set(address, identity);
            const users = identity.kind === "one" ? [identity.user] : identity.kind === "several" ? identity.users.map((u) => u.user) : [];
            for (const u of users) if (!others.has(u.id)) others.set(u.id, asDirectoryUser(u));
        }
    }
    return { guests, identities, others, signIn };
}

/** Why the last sign-in is missing, from Graph's refusal. */
export function signInRefusal(err: GraphRequestError): string {
    if (err.code === NO_PREMIUM) return `not available: the tenant has no Microsoft Entra ID P1 licence (Graph: ${err.code})`;
    return `not available: reading it needs the Microsoft Graph permission AuditLog.Read.All (Graph: ${err.status} ${err.code})`;
}

/** An invitation sent again: what `POST /invitations` takes for one declared guest. */
export interface Reinvitation {
    email: string;
    redirectUrl: string;
    displayName?: string;
    userType: "Guest" | "Member";
    message?: string;
    language?: string;
    cc?: string;
    /** With a user ID: reset the redemption, so the guest redeems again (a lost home account). */
    resetUserId?: string;
}

/**
 * `POST /invitations` with sendInvitationMessage true, so Graph mails the guest again. A reset
 * sets `resetRedemption: true`, which requires the `invitedUser` relationship with the user's
 * ID (learn.microsoft.com/graph/api/resources/invitation, property resetRedemption; the user
 * keeps its object ID, groups and app assignments: learn.microsoft.com/entra/external-id/
 * reset-redemption-status). Throws GraphRequestError.
 */
export async function sendInvitation(graph: GraphClient, r: Reinvitation): Promise<{ id: string; status?: string }> {
    const info = r.message !== undefined || r.language !== undefined || r.cc !== undefined;
    return graph.post<{ id: string; status?: string }>("/invitations", {
        invitedUserEmailAddress: r.email,
        inviteRedirectUrl: r.redirectUrl,
        ...(r.displayName !== undefined ? { invitedUserDisplayName: r.displayName } : {}),
        invitedUserType: r.userType,
        sendInvitationMessage: true,
        ...(info
            ? {
                  invitedUserMessageInfo: {
                      ...(r.message !== undefined ? { customizedMessageBody: r.message } : {}),
                      ...(r.language !== undefined ? { messageLanguage: r.language } : {}),
                      ...(r.cc !== undefined ? { ccRecipients: [{ emailAddress: { address: r.cc } }] } : {}),
                  },
              }
            : {}),
        ...(r.resetUserId !== undefined ? { resetRedemption: true, invitedUser: { id: r.resetUserId } } : {}),
    });
}

/** Every address a listed guest carries (mail, UPN, otherMails, smtp: proxy addresses), lower-cased -> the guests. */
function identityIndex(guests: DirectoryUser[]): Map<string, IdentityUser[]> {
    const index = new Map<string, IdentityUser[]>();
    for (const g of guests) {
        const user = asIdentityUser(g);
        const keys = new Set([user.mail, user.userPrincipalName, ...user.otherMails, ...user.proxyAddresses.filter((p) => /^smtp:/i.test(p)).map((p) => p.slice(5))].filter((k): k is string => typeof k === "string" && k !== "").map((k) => k.toLowerCase()));
        for (const k of keys) index.set(k, [...(index.get(k) ?? []), user]);
    }
    return index;
}

function asIdentityUser(u: DirectoryUser): IdentityUser {
    return {
        id: u.id,
        mail: u.mail ?? null,
        userPrincipalName: u.userPrincipalName ?? null,
        otherMails: u.otherMails ?? [],
        proxyAddresses: u.proxyAddresses ?? [],
        userType: u.userType ?? null,
        displayName: u.displayName ?? null,
        createdDateTime: u.createdDateTime ?? null,
        externalUserState: u.externalUserState ?? null,
        externalUserStateChangeDateTime: u.externalUserStateChangeDateTime ?? null,
    };
}

function asDirectoryUser(u: IdentityUser): DirectoryUser {
    return { ...u, mail: u.mail ?? "", userType: u.userType ?? "Member", displayName: u.displayName ?? "" };
}
