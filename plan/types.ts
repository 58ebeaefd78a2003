import { Problem } from "../roster";

/** Graph's app role ID for "default access": an assignment to the app without a role. */
export const DEFAULT_ACCESS = "00000000-0000-0000-0000-000000000000";

/** The inputs of one `azuread.Invitation`, exactly as registered. */
export interface InvitationInputs {
    userEmailAddress: string;
    redirectUrl: string;
    userDisplayName?: string;
    userType: "Guest" | "Member";
    /** Present only when mail is sent: the provider mails whenever the block exists. */
    message?: { body?: string; language?: string; additionalRecipients?: string };
}

export interface InvitationSpec {
    /** Logical name: the normalised email. Never a file, a row or an index. */
    name: string;
    email: string;
    inputs: InvitationInputs;
    /** onRemove: retain -> the provider's delete is skipped, the user stays. */
    retainOnDelete: boolean;
    protect: boolean;
    /** The entry names an existing member: its access is managed, the user never invited nor deleted. */
    existingMember: boolean;
    source: { file: string; line: number };
}

export interface MembershipSpec {
    /** email + the group's object ID (or, offline, the reference as written). */
    name: string;
    email: string;
    /** As the guest file wrote it: a display name or an object ID. */
    group: string;
    /** Undefined only offline, for a display name that needs a directory lookup. */
    groupObjectId?: string;
}

export interface AssignmentSpec {
    /** email + the service principal's object ID (or, offline, the reference as written). */
    name: string;
    email: string;
    /** As written: a client ID or a display name. */
    app: string;
    /** As written: a role value or ID; undefined for default access. */
    role?: string;
    /** Undefined only offline. */
    resourceObjectId?: string;
    /** Undefined only offline, for a role written as a value. */
    appRoleId?: string;
}

/** Every resource the program registers, computed before any is registered. */
export interface GuestPlan {
    invitations: InvitationSpec[];
    memberships: MembershipSpec[];
    assignments: AssignmentSpec[];
    errors: Problem[];
    warnings: Problem[];
}

/** A service principal as the program needs it. */
export interface ServicePrincipalInfo {
    objectId: string;
    /** Role value -> role ID, as `azuread.getServicePrincipal` returns them. */
    appRoleIds: Record<string, string>;
}

/**
 * Directory lookups, done once per distinct reference before anything is registered. The
 * program uses azuread's data sources; tests use mocks; `plan` runs offline without one.
 */
export interface Directory {
    /** The object ID of the one group with this display name; rejects when none or several match. */
    groupByName(displayName: string): Promise<string>;
    /** Rejects when no service principal matches. */
    servicePrincipal(ref: { clientId: string } | { displayName: string }): Promise<ServicePrincipalInfo>;
}
