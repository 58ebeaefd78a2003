import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { Adoption, AssignmentSpec, childName, GuestPlan, GuestUser, invitationOptions, InvitationSpec, MembershipSpec } from "../plan";

export interface EntraGuestsArgs {
    /** Every resource to register, resolved and validated (see `buildPlan`). */
    plan: Pick<GuestPlan, "invitations" | "memberships" | "assignments">;
    /** Which users are adopted, and which memberships and assignments already exist (see `planAdoption`). */
    adoption?: Pick<Adoption, "users" | "imports" | "tombstones">;
}

/**
 * The replacement trigger of an Invitation being repaired (see `GuestUser.reinvite`). The engine
 * replaces a resource only when the recorded and the new trigger are both set and differ
 * (`shouldTriggerReplace`, pkg/resource/deploy/step_generator.go:3422-3437 at v3.248.0), so the
 * preparing run sets one value without effect and the next run's other value replaces; every other
 * run sets none, which never replaces anything.
 */
const TRIGGER = { prepare: "retained: user deleted outside the stack", now: "invited again" } as const;

/**
 * All guests of a stack: one Invitation per invited guest, one GroupMember per (guest, group),
 * one AppRoleAssignment per (guest, app). One component for all of them, not one per guest: a
 * component per guest would add a resource per guest to every preview and checkpoint.
 *
 * A user that existed before the stack (adopted) has no Invitation unless
 * `entra-guests:deleteAdoptedUsers` asks the stack to own it; its memberships and assignments
 * name it by object ID. Memberships and assignments that already exist are imported.
 */
export class EntraGuests extends pulumi.ComponentResource {
    /** Guests managed by this stack. */
    readonly guestCount: number;

    constructor(name: string, args: EntraGuestsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("entra-guests:index:Guests", name, {}, opts);
        const { invitations, memberships, assignments } = args.plan;
        const users = args.adoption?.users ?? new Map<string, GuestUser>();
        const imports = args.adoption?.imports ?? new Map<string, string>();
        const userIds = new Map<string, pulumi.Input<string>>();
        const preparing = new Map<string, azuread.Invitation>();
        for (const spec of invitations) {
            const user = users.get(spec.email) ?? { mode: "invite" };
            const invitation = user.mode === "invite" || user.invitationWithoutMail ? this.invite(name, spec, user) : undefined;
            if (user.reinvite === "prepare") preparing.set(spec.email, invitation!);
            // An adopted user is named by its ID; an invited one through its Invitation, so its
            // memberships wait for it.
            else userIds.set(spec.email, user.mode === "adopt" ? user.userId! : invitation!.userId);
        }
        for (const spec of memberships) {
            const prepared = preparing.get(spec.email);
            if (prepared) this.whatIsLeft(prepared, (userId) => this.addToGroup(name, spec, userId, undefined, true));
            else this.addToGroup(name, spec, userIds.get(spec.email)!, imports.get(spec.name));
        }
        for (const spec of assignments) {
            const prepared = preparing.get(spec.email);
            if (prepared) this.whatIsLeft(prepared, (userId) => this.assignApp(name, spec, userId, undefined, true));
            else this.assignApp(name, spec, userIds.get(spec.email)!, imports.get(spec.name));
        }
        for (const t of args.adoption?.tombstones ?? []) this.tombstone(name, t.email, t.retain);

        this.guestCount = invitations.length;
        this.registerOutputs({ guestCount: this.guestCount });
    }

    private invite(name: string, spec: InvitationSpec, user: GuestUser): azuread.Invitation {
        // Adopted: no message block, so Graph sends no mail to a user who already has access.
        const inputs = user.mode === "adopt" ? { ...spec.inputs, message: undefined } : spec.inputs;
        const options: pulumi.CustomResourceOptions = invitationOptions(spec);
        if (user.retainInvitation || user.reinvite === "prepare" || user.provisional) options.retainOnDelete = true;
        if (user.reinvite) options.replacementTrigger = TRIGGER[user.reinvite];
        // The redemption URL lets anyone redeem the invitation: secret in state.
        return new azuread.Invitation(childName(name, spec.name), inputs, { parent: this, additionalSecretOutputs: ["redeemUrl"], ...options });
    }

    /**
     * A guest no longer declared whose Invitation is registered once more: retained when its user
     * is gone (the next run drops it without calling the provider's delete), deletable when it was
     * provisional (the next run deletes it). Every input is ignored (INVITE_TIME_INPUTS), so these
     * stand-ins change nothing.
     */
    private tombstone(name: string, email: string, retain: boolean): azuread.Invitation {
        const spec: InvitationSpec = { name: email, email, inputs: { userEmailAddress: email, redirectUrl: "https://myapps.microsoft.com", userType: "Guest" }, retainOnDelete: retain, protect: false, source: { file: "", line: 0 } };
        return new azuread.Invitation(childName(name, spec.name), spec.inputs, { parent: this, additionalSecretOutputs: ["redeemUrl"], ...invitationOptions(spec) });
    }

    /**
     * The memberships and assignments of a guest whose user is gone, registered retained while
     * they are still in the state (no refresh yet: the Invitation still holds the old user ID),
     * and not at all once a refresh dropped them (the Invitation's user ID is then empty, which
     * no membership can be created with). Known at preview too: the Invitation is unchanged.
     */
    private whatIsLeft(invitation: azuread.Invitation, register: (userId: string) => void): void {
        invitation.userId.apply((userId) => {
            if (userId) register(userId);
        });
    }

    private addToGroup(name: string, spec: MembershipSpec, userId: pulumi.Input<string>, importId: string | undefined, retain = false): azuread.GroupMember {
        if (spec.groupObjectId === undefined) throw new Error(`group "${spec.group}" was not resolved to an object ID`);
        return new azuread.GroupMember(childName(name, spec.name), { groupObjectId: spec.groupObjectId, memberObjectId: userId }, { parent: this, ...(importId ? { import: importId } : {}), ...(retain ? { retainOnDelete: true } : {}) });
    }

    private assignApp(name: string, spec: AssignmentSpec, userId: pulumi.Input<string>, importId: string | undefined, retain = false): azuread.AppRoleAssignment {
        if (spec.resourceObjectId === undefined || spec.appRoleId === undefined) throw new Error(`app "${spec.app}" was not resolved`);
        return new azuread.AppRoleAssignment(
            childName(name, spec.name),
            { appRoleId: spec.appRoleId, principalObjectId: userId, resourceObjectId: spec.resourceObjectId },
            { parent: this, ...(importId ? { import: importId } : {}), ...(retain ? { retainOnDelete: true } : {}) },
        );
    }
}
