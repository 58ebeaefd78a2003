// The reads and writes behind `entra-guests status` and `entra-guests resend` (issue 15): every
// guest of the tenant in pages of 999, sign-in activity when the tenant and the identity allow
// it, and invitations sent again.
import { GraphClient, GraphRequestError } from "./client";
import { Directory, DirectoryUser } from "./directory";

/** Whether the last sign-in could be read, and if not, why: one sentence for a column or a summary. */
export type SignInAvailability = { available: true } | { available: false; reason: string };

export interface TenantGuests {
    /** Every user with `userType eq 'Guest'`, all pages. */
    guests: DirectoryUser[];
    /** Addresses asked for that are no guest, found as users all the same (invited as `userType: Member`), by lower-cased mail. */
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
 * thrown: a partial list is never returned. `declared` addresses that are no guest are looked up
 * by mail (15 a request), so a guest invited as a Member is not reported missing.
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
    const known = new Set(guests.flatMap((g) => (g.mail ? [g.mail.toLowerCase()] : [])));
    const unknown = declared.filter((e) => !known.has(e));
    const others = unknown.length > 0 ? await directory.usersByMail(unknown) : new Map<string, DirectoryUser>();
    return { guests, others, signIn };
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
