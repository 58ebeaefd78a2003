import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { AssignmentSpec, childName, GuestPlan, invitationOptions, InvitationSpec, MembershipSpec } from "../plan";

export interface EntraGuestsArgs {
    /** Every resource to register, resolved and validated (see `buildPlan`). */
    plan: Pick<GuestPlan, "invitations" | "memberships" | "assignments">;
}

/**
 * All guests of a stack: one Invitation per guest, one GroupMember per (guest, group), one
 * AppRoleAssignment per (guest, app). One component for all of them, not one per guest: a
 * component per guest would add a resource per guest to every preview and checkpoint.
 */
export class EntraGuests extends pulumi.ComponentResource {
    /** Guests managed by this stack. */
    readonly guestCount: number;

    constructor(name: string, args: EntraGuestsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("entra-guests:index:Guests", name, {}, opts);
        const { invitations, memberships, assignments } = args.plan;
        const users = new Map<string, azuread.Invitation>();
        for (const spec of invitations) users.set(spec.email, this.invite(name, spec));
        for (const spec of memberships) this.addToGroup(name, spec, users.get(spec.email)!);
        for (const spec of assignments) this.assignApp(name, spec, users.get(spec.email)!);

        this.guestCount = invitations.length;
        // No per-guest outputs (issue 14): a map of 10,000 user IDs and redeem URLs cost most of the
        // program's time over the SDK's, and held the stack outputs until every guest resolved.
        // `entra-guests access` reads the same from the stack's state instead.
        this.registerOutputs({ guestCount: this.guestCount });
    }

    private invite(name: string, spec: InvitationSpec): azuread.Invitation {
        // The redemption URL lets anyone redeem the invitation: secret in the state, where
        // `entra-guests access --show-secrets` reads it.
        return new azuread.Invitation(childName(name, spec.name), spec.inputs, { parent: this, additionalSecretOutputs: ["redeemUrl"], ...invitationOptions(spec) });
    }

    private addToGroup(name: string, spec: MembershipSpec, user: azuread.Invitation): azuread.GroupMember {
        if (spec.groupObjectId === undefined) throw new Error(`group "${spec.group}" was not resolved to an object ID`);
        return new azuread.GroupMember(childName(name, spec.name), { groupObjectId: spec.groupObjectId, memberObjectId: user.userId }, { parent: this });
    }

    private assignApp(name: string, spec: AssignmentSpec, user: azuread.Invitation): azuread.AppRoleAssignment {
        if (spec.resourceObjectId === undefined || spec.appRoleId === undefined) throw new Error(`app "${spec.app}" was not resolved`);
        return new azuread.AppRoleAssignment(
            childName(name, spec.name),
            { appRoleId: spec.appRoleId, principalObjectId: user.userId, resourceObjectId: spec.resourceObjectId },
            { parent: this },
        );
    }
}
