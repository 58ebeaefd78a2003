// The contract between the program and the entra-guests provider (provider/): the GuestUser
// resource's token, inputs and outputs. No Pulumi and no Graph here: both sides import it.

/** The provider's package: its plugin is `pulumi-resource-entraguests` (bin/, Pulumi.yaml `plugins`). */
export const PROVIDER_PACKAGE = "entraguests";

/** A guest's user, from invitation (or adoption) to removal. */
export const GUEST_USER_TYPE = `${PROVIDER_PACKAGE}:index:GuestUser`;

/** The one explicit provider instance of a stack. Its name is part of every GuestUser's state: it never changes. */
export const PROVIDER_NAME = "entra";

/** What the provider may be told about its Graph sign-in: the azuread provider's settings, as stack config holds them. */
export interface ProviderArgs {
    tenantId?: string;
    clientId?: string;
    clientSecret?: string;
    useOidc?: string;
    oidcToken?: string;
}

/** The invitation mail, when one is sent: Graph's `invitedUserMessageInfo`. */
export interface InvitationMessage {
    /** A custom text; Graph then ignores the language. */
    body?: string;
    /** The language of Microsoft's own text, e.g. `de` or `en-US`. */
    language?: string;
    /** One address copied on the mail (Graph takes at most one). */
    cc?: string;
}

export interface GuestUserInputs {
    /** The normalised address: trimmed, NFC, lower-case. The resource's name carries it too. */
    email: string;
    /** Invite-time: used only when the stack invites the address, never applied to a user that exists. */
    displayName?: string;
    redirectUrl: string;
    userType: "Guest" | "Member";
    sendEmail: boolean;
    message?: InvitationMessage;
    /** What removing the guest does with its user: `delete` deletes only a user the stack may delete. */
    onRemove: "delete" | "retain";
    /** The stack may delete an adopted guest user (never a member): `entra-guests:deleteAdoptedUsers`. */
    deleteAdopted: boolean;
    /** The entry names an existing member of the tenant: the stack manages its access, never invites or deletes it. */
    existingMember: boolean;
    /** The user the program found for the address before registering anything: create adopts exactly this one, or fails. */
    expectedUserId?: string;
    /**
     * The user that an `azuread.Invitation` of an earlier version of this stack created: create
     * records it as the stack's own, without a lookup or an invitation (state migration).
     */
    claimUserId?: string;
    /** Object IDs of the groups the files give the guest, sorted: removed by the delete when the user stays. */
    groups: string[];
    /** `<service principal object ID>/<app role ID>` of each app role the files give, sorted: as `groups`. */
    appRoles: string[];
}

export interface GuestUserOutputs extends GuestUserInputs {
    /** The user's object ID. */
    userId: string;
    /**
     * The stack's own invitation created the user: no user had the address right before it, and
     * the user Graph handed back was created after that look. Only such a user (and, with
     * `deleteAdopted`, an adopted guest) is ever deleted.
     */
    createdByStack: boolean;
    /** The user's type when the stack invited or adopted it. */
    tenantUserType: string;
    /** The invitation's redemption URL (a secret in state); absent for an adopted user. */
    redeemUrl?: string;
    /** When the stack invited the user (ISO), absent for an adopted user. */
    invitedAt?: string;
    /** The user answered reads after its invitation (replicated), so memberships can name it. */
    ready: boolean;
    /**
     * When the look before the invitation was made (ISO), kept while the new user has not answered
     * a read yet: the update that finds it readable decides `createdByStack` from it.
     */
    lookedAt?: string;
}

/** The inputs whose change the provider applies (in its state); every other input is invite-time or identity. */
export const UPDATABLE_INPUTS = ["onRemove", "deleteAdopted", "existingMember", "groups", "appRoles"] as const;

/** The key of an app role in `appRoles`. */
export const appRoleKey = (servicePrincipalId: string, appRoleId: string) => `${servicePrincipalId}/${appRoleId}`;
