import { randomUUID } from "crypto";
import { z } from "zod";
import { isGuid } from "../../roster";

/**
 * The simulated tenant's file (sim/README.md documents it). A seed may leave out IDs and every
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
    displayName: z.string().default(""),
    userType: z.enum(["Guest", "Member"]).default("Member"),
    companyName: z.string().nullable().default(null),
    /** "seed": in the tenant before the stack; "invitation": created by POST /invitations. */
    createdBy: z.enum(["seed", "invitation"]).default("seed"),
    /** Fault: this many reads of the user still answer 404 (not yet replicated). */
    invisibleReads: z.number().int().min(0).default(0),
    /** What `entra-guests status` reads over the HTTP face (sim/graph-server); null: not recorded. */
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
    /** email -> the error POST /invitations answers for this address. */
    failInvitation: z.record(z.string(), graphError).default({}),
    /**
     * Every request whose path starts with `pathPrefix` answers this error, never spent: a
     * permission missing (403 Authorization_RequestDenied) or a token Graph refuses (401).
     */
    deny: graphError.extend({ pathPrefix: z.string().default("") }).optional(),
    /** The next N requests to the HTTP face (sim/graph-server) answer 401: the bearer token has expired. */
    expiredToken: z.number().int().min(0).optional(),
    /** Lists on the HTTP face whose path starts with `pathPrefix` answer a next link to the page just read, forever; never spent. */
    loopingNextLink: z.strictObject({ pathPrefix: z.string() }).optional(),
});

export const tenantSchema = z.strictObject({
    tenantId: id.default("00000000-0000-0000-0000-00000000e1d0"),
    users: z.array(user).default([]),
    groups: z.array(group).default([]),
    servicePrincipals: z.array(servicePrincipal).default([]),
    appRoleAssignments: z.array(assignment).default([]),
    invitations: z.array(invitation).default([]),
    mail: z.array(mail).default([]),
    faults: faults.default({ invisibleAfterInvite: {}, memberReadBackMisses: {}, failInvitation: {} }),
});

export type Tenant = z.infer<typeof tenantSchema>;
export type TenantSeed = z.input<typeof tenantSchema>;
export type User = Tenant["users"][number];
export type Group = Tenant["groups"][number];
export type ServicePrincipal = Tenant["servicePrincipals"][number];
export type AppRoleAssignment = Tenant["appRoleAssignments"][number];
export type GraphErrorSpec = z.infer<typeof graphError>;

/** A tenant from JSON text, or every problem with its path: a seed is hand-written input. */
export function parseTenant(text: string, file: string): Tenant {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (err) {
        throw new Error(`${file}: not JSON (${(err as Error).message}); see sim/README.md for the tenant format`);
    }
    const parsed = tenantSchema.safeParse(json);
    if (!parsed.success) {
        const lines = parsed.error.issues.map((i) => `${file}: \`${i.path.join(".") || "(top)"}\`: ${i.message}`);
        throw new Error(`${lines.join("\n")}\nsee sim/README.md for the tenant format`);
    }
    return parsed.data;
}
