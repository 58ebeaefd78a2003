import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { Adoption, AssignmentSpec, childName, GuestPlan, GuestUser, invitationOptions, InvitationSpec, MembershipSpec } from "../plan";
import { each, registerEach } from "./fresh-stack";

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
    /**
     * Settles once every child is registered: each from a fresh call stack of its own
     * (`registerEach`), so the checkpoint keeps one frame of ours per resource. Rejects with the
     * first registration that threw.
     */
    readonly registered: Promise<void>;

    constructor(name: string, args: EntraGuestsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("entra-guests:index:Guests", name, {}, opts);
        const { invitations, memberships, assignments } = args.plan;
        for (const spec of memberships) if (spec.groupObjectId === undefined) throw new Error(`group "${spec.group}" was not resolved to an object ID`);
        for (const spec of assignments) if (spec.resourceObjectId === undefined || spec.appRoleId === undefined) throw new Error(`app "${spec.app}" was not resolved`);
        const guests: Guests = {
            name,
            users: args.adoption?.users ?? new Map<string, GuestUser>(),
            imports: args.adoption?.imports ?? new Map<string, string>(),
            userIds: new Map(),
            deletable: new Map(),
            preparing: new Map(),
        };
        // In this order: a membership or assignment needs its guest's Invitation registered first.
        this.registered = registerEach(
            each(this.invite.bind(this, guests), invitations),
            each(this.addToGroup.bind(this, guests), memberships),
            each(this.assignApp.bind(this, guests), assignments),
            each(this.tombstone.bind(this, name), args.adoption?.tombstones ?? []),
        );
        this.guestCount = invitations.length;
        this.registerOutputs({ guestCount: this.guestCount });
    }

    private invite(g: Guests, spec: InvitationSpec): void {
        const user = g.users.get(spec.email) ?? { mode: "invite" };
        // An adopted user is named by its ID; an invited one through its Invitation, so its
        // memberships wait for it.
        if (user.mode === "adopt" && !user.invitationWithoutMail) {
            g.userIds.set(spec.email, user.userId!);
            return;
        }
        // Adopted: no message block, so Graph sends no mail to a user who already has access.
        const inputs = user.mode === "adopt" ? { ...spec.inputs, message: undefined } : spec.inputs;
        const options: pulumi.CustomResourceOptions = invitationOptions(spec);
        if (user.retainInvitation || user.reinvite === "prepare" || user.provisional) options.retainOnDelete = true;
        if (user.reinvite) options.replacementTrigger = TRIGGER[user.reinvite];
        // The redemption URL lets anyone redeem the invitation: secret in state.
        const invitation = new azuread.Invitation(childName(g.name, spec.name), inputs, { parent: this, additionalSecretOutputs: ["redeemUrl"], ...options });
        if (user.reinvite === "prepare") g.preparing.set(spec.email, invitation);
        else g.userIds.set(spec.email, user.mode === "adopt" ? user.userId! : invitation.userId);
        if (!options.retainOnDelete && !options.protect) g.deletable.set(spec.email, invitation);
    }

    /**
     * A guest no longer declared whose Invitation is registered once more: retained when its user
     * is gone (the next run drops it without calling the provider's delete), deletable when it was
     * provisional (the next run deletes it). Every input is ignored (INVITE_TIME_INPUTS), so these
     * stand-ins change nothing.
     */
    private tombstone(name: string, t: { email: string; retain: boolean }): void {
        const spec: InvitationSpec = { name: t.email, email: t.email, inputs: { userEmailAddress: t.email, redirectUrl: "https://myapps.microsoft.com", userType: "Guest" }, retainOnDelete: t.retain, protect: false, source: { file: "", line: 0 } };
        new azuread.Invitation(childName(name, spec.name), spec.inputs, { parent: this, additionalSecretOutputs: ["redeemUrl"], ...invitationOptions(spec) });
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

    private addToGroup(g: Guests, spec: MembershipSpec): void {
        const prepared = g.preparing.get(spec.email);
        if (prepared) {
            this.whatIsLeft(prepared, (userId) => new azuread.GroupMember(childName(g.name, spec.name), { groupObjectId: spec.groupObjectId!, memberObjectId: userId }, { parent: this, retainOnDelete: true }));
            return;
        }
        const importId = g.imports.get(spec.name);
        new azuread.GroupMember(childName(g.name, spec.name), { groupObjectId: spec.groupObjectId!, memberObjectId: g.userIds.get(spec.email)! }, { parent: this, ...(importId ? { import: importId } : {}), ...goneWithUser(g, spec.email) });
    }

    private assignApp(g: Guests, spec: AssignmentSpec): void {
        const inputs = (userId: pulumi.Input<string>) => ({ appRoleId: spec.appRoleId!, principalObjectId: userId, resourceObjectId: spec.resourceObjectId! });
        const prepared = g.preparing.get(spec.email);
        if (prepared) {
            this.whatIsLeft(prepared, (userId) => new azuread.AppRoleAssignment(childName(g.name, spec.name), inputs(userId), { parent: this, retainOnDelete: true }));
            return;
        }
        const importId = g.imports.get(spec.name);
        new azuread.AppRoleAssignment(childName(g.name, spec.name), inputs(g.userIds.get(spec.email)!), { parent: this, ...(importId ? { import: importId } : {}), ...goneWithUser(g, spec.email) });
    }
}

/** What the registrations of one component share, filled in as they run. */
interface Guests {
    name: string;
    users: Map<string, GuestUser>;
    imports: Map<string, string>;
    /** Email -> the user's object ID: the adopted user's, or the Invitation's output. */
    userIds: Map<string, pulumi.Input<string>>;
    /** Email -> an Invitation whose removal deletes its user: neither retained nor protected. */
    deletable: Map<string, azuread.Invitation>;
    /** Email -> an Invitation being prepared for a re-invitation (`GuestUser.reinvite`). */
    preparing: Map<string, azuread.Invitation>;
}

/**
 * `deletedWith` the guest's Invitation when its removal deletes the user. Entra takes a deleted
 * user out of its groups and drops its app role assignments (the simulated tenant does the same,
 * sim/tenant/store.ts `deleteUser`), so the engine need not call the provider's delete for them:
 * it skips that call for a resource whose `deletedWith` resource is deleted in the same
 * deployment (`isDeletedWith`, pkg/resource/deploy/step.go:573-583, 632 at v3.248.0). Removing a
 * guest, or destroying the stack, then makes one Graph write per guest instead of one per
 * resource, with the provider's waits (docs/performance.md). Not for a retained or protected
 * Invitation: the engine counts its delete as a deletion too (`sg.deletes`,
 * step_generator.go:2243-2244), though its user stays, and so would its memberships.
 */
function goneWithUser(g: Guests, email: string): { deletedWith?: azuread.Invitation } {
    const invitation = g.deletable.get(email);
    return invitation ? { deletedWith: invitation } : {};
}
