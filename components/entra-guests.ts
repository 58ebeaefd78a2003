import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { AssignmentSpec, childName, GuestPlan, GuestUserInputs, IdentityPlan, INVITE_TIME_INPUTS, InvitationSpec, ManagedGuests, MembershipSpec, PlannedUser, PROVIDER_NAME, ProviderArgs, accessOf, serializeManagedGuests, finalEntry } from "../plan";
import { each, registerEach } from "./fresh-stack";
import { EntraProvider, GuestUser } from "./guest-user";

export interface EntraGuestsArgs {
    /** Every resource to register, resolved and validated (see `buildPlan`). */
    plan: Pick<GuestPlan, "invitations" | "memberships" | "assignments">;
    /** Who each guest is, what already exists, and what an earlier version left in the state (see `planIdentity`). */
    identity?: Pick<IdentityPlan, "users" | "imports" | "standIns">;
    /** `entra-guests:deleteAdoptedUsers`. */
    deleteAdoptedUsers?: boolean;
    /** The provider's sign-in settings from stack config (see `EntraProvider`). */
    provider?: ProviderArgs;
}

/**
 * All guests of a stack: one GuestUser per guest (our provider: invites or adopts the user and
 * deletes only one the stack created), one azuread GroupMember per (guest, group), one azuread
 * AppRoleAssignment per (guest, app). One component for all of them, not one per guest: a
 * component per guest would add a resource per guest to every preview and checkpoint.
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
    private readonly guestUsers = new Map<string, { spec: InvitationSpec; user: GuestUser }>();
    /** Every resource registered: the run finished when each has its ID. */
    private readonly all: pulumi.CustomResource[] = [];
    private readonly deleteAdoptedUsers: boolean;

    constructor(name: string, args: EntraGuestsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("entra-guests:index:Guests", name, {}, opts);
        const { invitations, memberships, assignments } = args.plan;
        for (const spec of memberships) if (spec.groupObjectId === undefined) throw new Error(`group "${spec.group}" was not resolved to an object ID`);
        for (const spec of assignments) if (spec.resourceObjectId === undefined || spec.appRoleId === undefined) throw new Error(`app "${spec.app}" was not resolved`);
        this.deleteAdoptedUsers = args.deleteAdoptedUsers ?? false;
        const g: Guests = {
            name,
            provider: new EntraProvider(PROVIDER_NAME, args.provider ?? {}, { parent: this }),
            users: args.identity?.users ?? new Map<string, PlannedUser>(),
            imports: args.identity?.imports ?? new Map<string, string>(),
            access: accessOf(args.plan),
            userIds: new Map(),
        };
        const specs = new Map(invitations.map((s) => [s.email, s]));
        const standIns = (args.identity?.standIns ?? []).map((email) => specs.get(email) ?? standInSpec(email));
        // In this order: a membership or assignment needs its guest's GuestUser registered first.
        this.registered = registerEach(
            each(this.guest.bind(this, g), invitations),
            each(this.addToGroup.bind(this, g), memberships),
            each(this.assignApp.bind(this, g), assignments),
            each(this.standIn.bind(this, name), standIns),
        );
        this.guestCount = invitations.length;
        this.registerOutputs({ guestCount: this.guestCount });
    }

    /**
     * The baseline as the GuestUsers recorded it, for the run's final outputs: whose user each
     * guest is (the provider's own answer), and what its removal does then. Known once every
     * GuestUser is; unknown in a preview that creates one.
     */
    finalBaseline(early: ManagedGuests): pulumi.Output<string> {
        const guests = [...this.guestUsers.values()];
        // One flat list: an Output of Outputs costs the SDK a wrapper and its promises per level.
        return pulumi.all(guests.flatMap((x): pulumi.Output<string | boolean>[] => [x.user.userId, x.user.createdByStack])).apply((values) => {
            const out: ManagedGuests = {};
            for (const [email, e] of Object.entries(early)) {
                // Stand-ins of removed guests are retained in the state now; dropped without a delete next.
                if (e.legacyInvitation && e.removing === undefined && e.onRemove === "retain" && !this.guestUsers.has(email)) continue;
                const { legacyInvitation: _l, ...rest } = e;
                out[email] = rest;
            }
            guests.forEach((x, i) => {
                const userId = values[2 * i] as string;
                const created = values[2 * i + 1] as boolean;
                out[x.spec.email] = finalEntry(out[x.spec.email], x.spec, userId, created, this.deleteAdoptedUsers);
            });
            return serializeManagedGuests(out);
        });
    }

    /**
     * True once every resource this run registered has its ID: a step that fails leaves its
     * resource's outputs unresolved, so the program's final outputs (and this with them) are
     * never sent, and the early `runComplete: false` stays (components/stack-outputs.ts).
     */
    finished(): pulumi.Output<boolean> {
        return pulumi.all(this.all.map((r) => r.id)).apply(() => true);
    }

    private guest(g: Guests, spec: InvitationSpec): void {
        const planned = g.users.get(spec.email) ?? { register: true };
        if (!planned.register) return;
        const access = g.access.get(spec.email) ?? { groups: [], appRoles: [] };
        const message = spec.inputs.message;
        const inputs: GuestUserInputs = {
            email: spec.email,
            ...(spec.inputs.userDisplayName !== undefined ? { displayName: spec.inputs.userDisplayName } : {}),
            redirectUrl: spec.inputs.redirectUrl,
            userType: spec.inputs.userType,
            sendEmail: message !== undefined,
            ...(message ? { message: withoutEmpty({ body: message.body, language: message.language, cc: message.additionalRecipients }) } : {}),
            onRemove: spec.retainOnDelete ? "retain" : "delete",
            deleteAdopted: this.deleteAdoptedUsers,
            existingMember: spec.existingMember,
            ...(planned.expectedUserId ? { expectedUserId: planned.expectedUserId } : {}),
            ...(planned.claimUserId ? { claimUserId: planned.claimUserId } : {}),
            groups: access.groups,
            appRoles: access.appRoles,
        };
        // The redemption URL lets anyone redeem the invitation: secret in state.
        const user = new GuestUser(childName(g.name, spec.name), inputs, { parent: this, provider: g.provider, protect: spec.protect, additionalSecretOutputs: ["redeemUrl"] });
        this.guestUsers.set(spec.email, { spec, user });
        this.all.push(user);
        g.userIds.set(spec.email, planned.userId ?? user.userId);
    }

    private addToGroup(g: Guests, spec: MembershipSpec): void {
        const options = this.accessOptions(g, spec.email, spec.name);
        if (!options) return;
        this.all.push(new azuread.GroupMember(childName(g.name, spec.name), { groupObjectId: spec.groupObjectId!, memberObjectId: options.userId }, options.opts));
    }

    private assignApp(g: Guests, spec: AssignmentSpec): void {
        const options = this.accessOptions(g, spec.email, spec.name);
        if (!options) return;
        this.all.push(new azuread.AppRoleAssignment(childName(g.name, spec.name), { appRoleId: spec.appRoleId!, principalObjectId: options.userId, resourceObjectId: spec.resourceObjectId! }, options.opts));
    }

    /**
     * The user and options of a guest's membership or assignment. It waits for the guest's
     * GuestUser (whose create refuses a member or an ambiguous address before any access is
     * given) and goes with it (`deletedWith`): the GuestUser's delete deletes the user, whom Entra
     * takes out of its groups and app roles, or removes that access itself when the user stays, so
     * the engine skips these deletes (pkg/resource/deploy/step.go:573-583, 632 at v3.248.0). Not for
     * a protected guest, whose GuestUser refuses to be deleted: its access is deleted one by one.
     */
    private accessOptions(g: Guests, email: string, name: string): { userId: pulumi.Input<string>; opts: pulumi.CustomResourceOptions } | undefined {
        const planned = g.users.get(email) ?? { register: true };
        const importId = g.imports.get(name);
        if (!planned.register) {
            // A user gone from an earlier version's state: its access, retained once more (plan/legacy.ts).
            return planned.retainAccessOf ? { userId: planned.retainAccessOf, opts: { parent: this, retainOnDelete: true } } : undefined;
        }
        const owner = this.guestUsers.get(email);
        if (!owner) throw new Error(`no GuestUser was registered for ${email}`);
        const opts: pulumi.CustomResourceOptions = { parent: this, dependsOn: [owner.user], ...(importId ? { import: importId } : {}), ...(owner.spec.protect ? {} : { deletedWith: owner.user }) };
        return { userId: g.userIds.get(email)!, opts };
    }

    /**
     * An `azuread.Invitation` of an earlier version, registered once more as it was, retained: the
     * engine drops it from the state when a later run no longer registers it, without calling its
     * delete, which would delete the user (plan/legacy.ts). Every input is ignored
     * (INVITE_TIME_INPUTS), so nothing of it changes.
     */
    private standIn(name: string, spec: InvitationSpec): void {
        this.all.push(new azuread.Invitation(childName(name, spec.name), spec.inputs, { parent: this, additionalSecretOutputs: ["redeemUrl"], ignoreChanges: INVITE_TIME_INPUTS, deleteBeforeReplace: true, retainOnDelete: true, protect: false }));
    }
}

/** What the registrations of one component share, filled in as they run. */
interface Guests {
    name: string;
    provider: EntraProvider;
    users: Map<string, PlannedUser>;
    imports: Map<string, string>;
    access: Map<string, { groups: string[]; appRoles: string[] }>;
    /** Email -> the user's object ID: known before registering, or the GuestUser's output. */
    userIds: Map<string, pulumi.Input<string>>;
}

/** A stand-in for a guest no longer declared: its inputs as the state holds them do not matter, all are ignored. */
function standInSpec(email: string): InvitationSpec {
    return { name: email, email, inputs: { userEmailAddress: email, redirectUrl: "https://myapps.microsoft.com", userType: "Guest" }, retainOnDelete: true, protect: false, existingMember: false, source: { file: "", line: 0 } };
}

function withoutEmpty<T extends Record<string, unknown>>(o: T): T {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
