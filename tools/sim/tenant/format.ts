import { randomUUID } from "crypto";
import { z } from "zod";
import { isGuid } from "../../../roster";

/**
 * The simulated tenant's file (tools/sim/README.md documents it). A seed may leave out IDs and every
 * list; `parseTenant` fills them in, so `{ "groups": [{ "displayName": "Partners" }] }` is a
 * whole tenant. The provider plugin and the tests read and write the same file.
 */
/** Entra object IDs are GUIDs of any version (zod's uuid() checks the version bits). */
const id = z.string().refine(isGuid, "must be a GUID");
/** Graph's DateTimeOffset, always UTC: 2026-11-25T10:00:00Z. */
const isoDate = z.iso.datetime();

const user = z.strictObject({
    id: id.default(() => randomUUID()),
    /** null: a user without a mailbox (a member without Exchange, a service account); Graph returns null too. */
    mail: z.string().min(1).nullable(),
    /** Left out of a seed: named as Entra names the user (`defaultUserPrincipalName`). */
    userPrincipalName: z.string().min(1).optional(),
    /** Further addresses Graph's invitation matches on (tools/sim/tenant/identity.ts). */
    otherMails: z.array(z.string().min(1)).default([]),
    /** "SMTP:ann@fabrikam.com" (primary) or "smtp:…" (secondary), as Exchange writes them. */
    proxyAddresses: z.array(z.string().regex(/^[^:\s]+:\S+$/, 'must be "<type>:<address>", as "SMTP:ann@fabrikam.com"')).default([]),
    displayName: z.string().default(""),
    userType: z.enum(["Guest", "Member"]).default("Member"),
    companyName: z.string().nullable().default(null),
    /** "seed": in the tenant before the stack; "invitation": created by POST /invitations. */
    createdBy: z.enum(["seed", "invitation"]).default("seed"),
    /**
     * Graph's creationType: "Invitation" for an external account made by an invitation, null for
     * a work account (learn.microsoft.com/graph/api/resources/user, creationType). Left out of a
     * seed: "Invitation" for a Guest, null for a Member.
     */
    creationType: z.enum(["Invitation", "LocalAccount", "EmailVerified", "SelfServiceSignUp"]).nullable().optional(),
    accountEnabled: z.boolean().default(true),
    /** Fault: this many reads of the user still answer 404 (not yet replicated). */
    invisibleReads: z.number().int().min(0).default(0),
    /** What `entra-guests status` reads over the HTTP face (tools/sim/graph-server); null: not recorded. */
    createdDateTime: isoDate.nullable().default(null),
    /** Graph's B2B redemption state: "PendingAcceptance" until the guest redeems, null for members. */
    externalUserState: z.enum(["PendingAcceptance", "Accepted"]).nullable().default(null),
    externalUserStateChangeDateTime: isoDate.nullable().default(null),
    /** Graph returns it only when $select names it, and only with AuditLog.Read.All. */
    signInActivity: z.strictObject({ lastSignInDateTime: isoDate.nullable().default(null) }).nullable().default(null),
});

const group = z.strictObject({
    id: id.default(() => randomUUID()),
    displayName: z.string().min(1),
    /** What Graph's `description` returns; null: none written. */
    description: z.string().nullable().default(null),
    /** Graph's `createdDateTime` of the group; null: not recorded. */
    createdDateTime: isoDate.nullable().default(null),
    /** Object IDs of direct members, in the order they were added. */
    members: z.array(id).default([]),
});

const appRole = z.strictObject({
    id: id.default(() => randomUUID()),
    value: z.string().default(""),
    displayName: z.string().default(""),
    description: z.string().default(""),
    allowedMemberTypes: z.array(z.string()).default(["User"]),
    enabled: z.boolean().default(true),
});

const servicePrincipal = z.strictObject({
    id: id.default(() => randomUUID()),
    appId: id.default(() => randomUUID()),
    displayName: z.string().min(1),
    /** What Graph's `description` returns; null: none written. */
    description: z.string().nullable().default(null),
    appRoles: z.array(appRole).default([]),
});

const assignment = z.strictObject({
    id: z.string().min(1).default(() => randomUUID()),
    appRoleId: id,
    principalId: id,
    resourceId: id,
});

const invitation = z.strictObject({
    id: id,
    invitedUserEmailAddress: z.string(),
    invitedUserId: id,
    inviteRedeemUrl: z.string(),
    sendInvitationMessage: z.boolean(),
});

/** A message Graph would have mailed: every invitation sent with sendInvitationMessage. */
const mail = z.strictObject({
    to: z.string(),
    cc: z.array(z.string()),
    body: z.string().nullable(),
    language: z.string().nullable(),
    redeemUrl: z.string(),
});

const graphError = z.strictObject({
    status: z.number().int().min(400).max(599),
    code: z.string().default("Request_BadRequest"),
    message: z.string(),
});

/** Faults on demand; each counter is spent as the tenant answers, and saved. */
const faults = z.strictObject({
    /** The next `requests` Graph requests answer 429 with Retry-After `retryAfterSeconds`. */
    throttle: z.strictObject({ requests: z.number().int().min(0), retryAfterSeconds: z.number().int().min(0).default(1) }).optional(),
    /** email -> reads of a newly invited user that answer 404 (replication lag). */
    invisibleAfterInvite: z.record(z.string(), z.number().int().min(0)).default({}),
    /** email -> read-backs of a membership just added for this user that miss it. */
    memberReadBackMisses: z.record(z.string(), z.number().int().min(0)).default({}),
    /**
     * email -> the provider's read right after creating a membership or an assignment for this
     * user answers 403 Authorization_RequestDenied, which the SDK does not retry: the create fails
     * with its ID set (an init error).
     */
    readBackErrors: z.record(z.string(), z.number().int().min(0)).default({}),
    /** email -> the provider's read right after creating an assignment for this user answers 404. */
    assignmentReadBackMisses: z.record(z.string(), z.number().int().min(0)).default({}),
    /** email -> a POST of an assignment for this user lands, but its answer is a 504 the SDK retries. */
    assignmentPostLanded: z.record(z.string(), z.number().int().min(0)).default({}),
    /** email -> the error POST /invitations answers for this address. */
    failInvitation: z.record(z.string(), graphError).default({}),
    /**
     * Every request whose path starts with `pathPrefix` answers this error, never spent: a
     * permission missing (403 Authorization_RequestDenied) or a token Graph refuses (401).
     */
    deny: graphError.extend({ pathPrefix: z.string().default("") }).optional(),
    /** The next N requests to the HTTP face (tools/sim/graph-server) answer 401: the bearer token has expired. */
    expiredToken: z.number().int().min(0).optional(),
    /** Lists on the HTTP face whose path starts with `pathPrefix` answer a next link to the page just read, forever; never spent. */
    loopingNextLink: z.strictObject({ pathPrefix: z.string() }).optional(),
});

/** The counters a seed leaves out, as the faults' defaults fill them in. */
const NO_FAULTS = { invisibleAfterInvite: {}, memberReadBackMisses: {}, readBackErrors: {}, assignmentReadBackMisses: {}, assignmentPostLanded: {}, failInvitation: {} };

const tenantShape = z.strictObject({
    tenantId: id.default("00000000-0000-0000-0000-00000000e1d0"),
    /**
     * The tenant's verified domains, the initial (`*.onmicrosoft.com`) one first: Graph refuses to
     * invite an address in any of them (tools/sim/tenant/identity.ts).
     */
    verifiedDomains: z.array(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, "must be a domain name")).min(1).default(["contoso.onmicrosoft.com"]),
    users: z.array(user).default([]),
    groups: z.array(group).default([]),
    servicePrincipals: z.array(servicePrincipal).default([]),
    appRoleAssignments: z.array(assignment).default([]),
    invitations: z.array(invitation).default([]),
    mail: z.array(mail).default([]),
    faults: faults.default(NO_FAULTS),
});

/**
 * The name Entra gives a user a seed leaves unnamed. A B2B guest's UPN carries #EXT#
 * (learn.microsoft.com/entra/external-id/user-properties, "User Principal Name"): the address
 * with its `@` made `_`, then `#EXT#@` and the initial domain, so `ann@fabrikam.com` is
 * `ann_fabrikam.com#EXT#@contoso.onmicrosoft.com`. A member is named by its mail, and one
 * without a mail by its ID in the initial domain.
 */
export function defaultUserPrincipalName(u: { id: string; mail: string | null; userType: string }, initialDomain: string): string {
    if (u.mail === null) return `${u.id}@${initialDomain}`;
    return u.userType === "Guest" ? externalUserPrincipalName(u.mail, initialDomain) : u.mail;
}

/** `ann@fabrikam.com` -> `ann_fabrikam.com#EXT#@<initial domain>`: how Entra names a user made by an invitation. */
export function externalUserPrincipalName(mail: string, initialDomain: string): string {
    return `${mail.replace("@", "_")}#EXT#@${initialDomain}`;
}

export const tenantSchema = tenantShape.transform((t) => ({
    ...t,
    users: t.users.map((u) => ({
        ...u,
        userPrincipalName: u.userPrincipalName ?? defaultUserPrincipalName(u, t.verifiedDomains[0]),
        creationType: u.creationType !== undefined ? u.creationType : u.userType === "Guest" ? ("Invitation" as const) : null,
    })),
}));

export type Tenant = z.infer<typeof tenantSchema>;
export type TenantSeed = z.input<typeof tenantSchema>;
export type User = Tenant["users"][number];
export type Group = Tenant["groups"][number];
export type ServicePrincipal = Tenant["servicePrincipals"][number];
export type AppRoleAssignment = Tenant["appRoleAssignments"][number];

/** A tenant from JSON text, or every problem with its path: a seed is hand-written input. */
export function parseTenant(text: string, file: string): Tenant {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (err) {
        throw new Error(`${file}: not JSON (${(err as Error).message}); see tools/sim/README.md for the tenant format`);
    }
    const parsed = tenantSchema.safeParse(json);
    if (!parsed.success) {
        const lines = parsed.error.issues.map((i) => `${file}: \`${i.path.join(".") || "(top)"}\`: ${i.message}`);
        throw new Error(`${lines.join("\n")}\nsee tools/sim/README.md for the tenant format`);
    }
    return parsed.data;
}
