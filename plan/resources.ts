import { GUEST_USER_TYPE } from "./guest-user";
import { GuestPlan } from "./types";

/** The component's name in the stack: part of every URN, so it never changes. */
export const COMPONENT_NAME = "guests";

export const TYPES = {
    guestUser: GUEST_USER_TYPE,
    /** Registered by versions before GuestUser; read from their states, and registered as retained stand-ins once (plan/legacy.ts). */
    invitation: "azuread:index/invitation:Invitation",
    groupMember: "azuread:index/groupMember:GroupMember",
    appRoleAssignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
} as const;

/**
 * The inputs of an `azuread.Invitation`, every one of which forces a replacement that deletes the
 * user (REFERENCE.md section 2): ignored on the legacy stand-ins (plan/legacy.ts), so registering
 * one never changes it.
 */
export const INVITE_TIME_INPUTS = ["userEmailAddress", "userDisplayName", "message", "redirectUrl", "userType"];

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
    options: { protect?: boolean };
}

/** Every resource `EntraGuests` registers for a plan, as data: what `entra-guests plan` shows. */
export function plannedResources(plan: Pick<GuestPlan, "invitations" | "memberships" | "assignments">, component = COMPONENT_NAME): PlannedResource[] {
    const userId = (email: string): Pending => ({ pending: `user ID of ${email}` });
    const out: PlannedResource[] = [];
    for (const spec of plan.invitations) {
        const m = spec.inputs.message;
        const inputs: Record<string, unknown> = {
            email: spec.email,
            ...(spec.inputs.userDisplayName !== undefined ? { displayName: spec.inputs.userDisplayName } : {}),
            redirectUrl: spec.inputs.redirectUrl,
            userType: spec.inputs.userType,
            sendEmail: m !== undefined,
            ...(m ? { message: Object.fromEntries(Object.entries({ body: m.body, language: m.language, cc: m.additionalRecipients }).filter(([, v]) => v !== undefined)) } : {}),
            onRemove: spec.retainOnDelete ? "retain" : "delete",
            ...(spec.existingMember ? { existingMember: true } : {}),
        };
        out.push({ type: TYPES.guestUser, name: childName(component, spec.name), email: spec.email, inputs, options: spec.protect ? { protect: true } : {} });
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
