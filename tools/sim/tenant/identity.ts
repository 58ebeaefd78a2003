import { GraphError } from "./errors";
import { Tenant, User } from "./format";

/**
 * Who an invited address already is, as Graph decides it. "Determine if a user was already
 * invited to your directory" (learn.microsoft.com/entra/external-id/customize-invitation-api)
 * gives the query Graph's own check amounts to:
 *   userPrincipalName eq '{0}' or mail eq '{0}' or proxyAddresses/any(x:x eq 'SMTP:{0}')
 *   or signInNames/any(x:x eq '{0}') or otherMails/any(x:x eq '{0}')
 * signInNames is Azure AD Graph's property, which Microsoft Graph replaced with `identities`
 * (learn.microsoft.com/graph/migrate-azure-ad-graph-property-differences); the tenant keeps neither. Graph compares these strings case-insensitively, and a proxy address
 * matches with its prefix in either case ("SMTP:" primary, "smtp:" secondary).
 */
export function usersMatching(t: Tenant, email: string): User[] {
    const wanted = email.toLowerCase();
    return t.users.filter((u) => addressesOf(u).includes(wanted));
}

/** Every address of a user that an invitation matches on, lower-cased. */
export function addressesOf(u: User): string[] {
    const smtp = u.proxyAddresses.filter((p) => /^smtp:/i.test(p)).map((p) => p.slice("smtp:".length));
    return [u.userPrincipalName, ...(u.mail === null ? [] : [u.mail]), ...smtp, ...u.otherMails].map((a) => a.toLowerCase());
}

/**
 * "Make sure the user's email domain isn't part of your resource tenant's verified domain"
 * (customize-invitation-api, same section): such an address is refused. The page does not say
 * whether a subdomain of a verified domain is refused too; the simulated tenant refuses it, so a
 * client never relies on Graph accepting one. Graph's wording for this refusal is not documented:
 * the message is ours.
 */
export function refuseVerifiedDomain(t: Tenant, email: string): void {
    const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
    const verified = t.verifiedDomains.find((d) => domain === d.toLowerCase() || domain.endsWith(`.${d.toLowerCase()}`));
    if (verified !== undefined) {
        throw new GraphError(400, "BadRequest", `The invited address '${email}' is in the tenant's verified domain '${verified}': invite only addresses outside the tenant's own domains.`);
    }
}
