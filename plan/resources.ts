import { GuestPlan, InvitationSpec } from "./types";

/** The component's name in the stack: part of every URN, so it never changes. */
export const COMPONENT_NAME = "guests";

export const TYPES = {
    invitation: "azuread:index/invitation:Invitation",
    groupMember: "azuread:index/groupMember:GroupMember",
    appRoleAssignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
} as const;

/**
 * The invited inputs Graph uses only when it creates the user. Every Invitation input forces a
 * replacement (REFERENCE.md section 2), and a replacement deletes the guest user: so edits to
 * these never reach an existing guest. The email is the resource's name, so a changed address
 * is a new resource anyway; ignoring it too keeps a refresh that reads `mail` back in another
 * spelling from re-inviting (and deleting) the user.
 */
export const INVITE_TIME_INPUTS = ["userEmailAddress", "userDisplayName", "message", "redirectUrl", "userType"];

export interface InvitationOptions {
    ignoreChanges: string[];
    deleteBeforeReplace: true;
    retainOnDelete: boolean;
    protect: boolean;
}

export function invitationOptions(spec: InvitationSpec): InvitationOptions {
    return {
        ignoreChanges: INVITE_TIME_INPUTS,
        // Never create-before-delete: re-inviting returns the same user, which the delete then removes.
        deleteBeforeReplace: true,
        retainOnDelete: spec.retainOnDelete,
        protect: spec.protect,
    };
}

/** A child's logical name: the component's name, then the spec's email-based name. */
export function childName(component: string, specName: string): string {
    return `${component}/${specName}`;
}

/** A value only the engine or the directory will know: the user ID, or a lookup. */
export interface Pending {
    pending: string;
    /** Known to `pulumi preview` through a directory lookup (not only after creation). */
    lookup?: true;
}

export interface PlannedResource {
    type: string;
    name: string;
    email: string;
    inputs: Record<string, unknown>;
    options: Partial<InvitationOptions>;
}

/** Every resource `EntraGuests` registers for a plan, as data: what `entra-guests plan` shows. */
export function plannedResources(plan: Pick<GuestPlan, "invitations" | "memberships" | "assignments">, component = COMPONENT_NAME): PlannedResource[] {
    const userId = (email: string): Pending => ({ pending: `user ID of ${email}` });
    const out: PlannedResource[] = [];
    for (const spec of plan.invitations) {
        out.push({ type: TYPES.invitation, name: childName(component, spec.name), email: spec.email, inputs: { ...spec.inputs }, options: invitationOptions(spec) });
    }
    for (const spec of plan.memberships) {
        out.push({
            type: TYPES.groupMember,
            name: childName(component, spec.name),
            email: spec.email,
            inputs: { groupObjectId: spec.groupObjectId ?? { pending: `object ID of group "${spec.group}"`, lookup: true }, memberObjectId: userId(spec.email) },
            options: {},
        });
    }
    for (const spec of plan.assignments) {
        out.push({
            type: TYPES.appRoleAssignment,
            name: childName(component, spec.name),
            email: spec.email,
            inputs: {
                appRoleId: spec.appRoleId ?? { pending: `ID of role "${spec.role}" of app "${spec.app}"`, lookup: true },
                principalObjectId: userId(spec.email),
                resourceObjectId: spec.resourceObjectId ?? { pending: `service principal of app "${spec.app}"`, lookup: true },
            },
            options: {},
        });
    }
    return out;
}
