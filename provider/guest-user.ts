// The GuestUser resource: a guest's user, invited or adopted, whose removal deletes only a user the
// stack can prove it created. What each step sends to Graph is said at the step.
import { GraphClient, GraphRequestError } from "../graph/client";
import { describeUser, Identity, usersForAddress } from "../graph/identity";
import { GuestUserInputs, GuestUserOutputs, UPDATABLE_INPUTS } from "../plan/guest-user";
import { forTerminal } from "../text/escape";

/**
 * How far a user's `createdDateTime` may lie before the look that found no user and still be
 * the one the stack's invitation created. Graph's clock and this machine's differ by seconds
 * (both are synchronised); a user invited by hand after a failed run was created minutes or days
 * before the next run's look, which this margin never reaches.
 */
export const CREATED_MARGIN_MS = 60_000;

/** Reads in a row that must find a new user before its memberships are made: Entra replicates a new user over seconds. */
export const REPLICATION_READS = 3;
/** Polls before a new user that never answers is left to the next run (about a minute at the default interval). */
export const REPLICATION_POLLS = 30;

/** The seconds between polls: 2, or `ENTRA_GUESTS_POLL_SECONDS` (the simulated tenant sets a few milliseconds). */
export function pollSeconds(env: NodeJS.ProcessEnv = process.env): number {
    const v = Number(env.ENTRA_GUESTS_POLL_SECONDS);
    return Number.isFinite(v) && v >= 0 && env.ENTRA_GUESTS_POLL_SECONDS !== undefined && env.ENTRA_GUESTS_POLL_SECONDS !== "" ? v : 2;
}

export interface Clock {
    now(): number;
    sleep(seconds: number): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: (s) => new Promise((r) => setTimeout(r, s * 1000)) };

/** A create that failed after the user existed: the engine keeps the resource with this error and retries it as an update. */
export class InitError extends Error {
    readonly reasons: string[];
    constructor(
        message: string,
        readonly id: string,
        readonly properties: GuestUserOutputs,
    ) {
        super(message);
        this.reasons = [message];
    }
}

interface TenantUser {
    id: string;
    userType: string | null;
    createdDateTime?: string | null;
}

interface InvitationAnswer {
    invitedUser?: { id?: string };
    inviteRedeemUrl?: string;
}

export class GuestUsers {
    constructor(
        private readonly graph: () => Promise<GraphClient>,
        private readonly clock: Clock = realClock,
        private readonly poll: number = pollSeconds(),
    ) {}

    /** Create: adopt the one user the address names, or invite it; never pick among several, never adopt a member unasked. */
    async create(inputs: GuestUserInputs): Promise<{ id: string; outs: GuestUserOutputs }> {
        const graph = await this.graph();
        if (inputs.claimUserId) return this.claim(graph, inputs, inputs.claimUserId);
        const lookedAt = this.clock.now();
        const identity = await usersForAddress(graph, inputs.email);
        const who = forTerminal(inputs.email);
        if (identity.kind === "several") throw new Error(several(who, identity));
        if (identity.kind === "one") {
            const user = identity.user;
            if (inputs.expectedUserId && inputs.expectedUserId !== user.id) {
                throw new Error(`${who} names user ${describeUser(identity)} in the tenant, not ${inputs.expectedUserId} as when this run started; nothing was changed for ${who}, run again`);
            }
            if (user.userType === "Member" && !inputs.existingMember) throw new Error(memberRefused(who, describeUser(identity)));
            return { id: user.id, outs: this.outputs(inputs, { userId: user.id, createdByStack: false, tenantUserType: user.userType ?? "", ready: true }) };
        }
        if (inputs.existingMember) throw new Error(`${who} is marked \`existingMember\`, but no user in the tenant has this address; the stack never invites a member through \`existingMember\`: correct the address, or remove \`existingMember\` to invite a guest`);
        if (inputs.expectedUserId) throw new Error(`user ${inputs.expectedUserId}, which ${who} named when this run started, no longer has the address; nothing was changed for ${who}, run again`);
        return this.invite(graph, inputs, lookedAt);
    }

    /**
     * Update: settings the state keeps (what removal does, the access it removes), and a new user's
     * replication after a create that stopped waiting for it (an init error the engine retries as
     * an update, step_generator.go:2053-2069 at v3.248.0).
     */
    async update(olds: GuestUserOutputs, news: GuestUserInputs): Promise<GuestUserOutputs> {
        const outs = this.outputs(news, olds);
        if (olds.ready) return outs;
        const graph = await this.graph();
        await this.waitForReplication(graph, olds.userId, outs);
        return this.settled(graph, outs);
    }

    /** Refresh: a user deleted outside the stack leaves the state, so the next `pulumi up` invites the address again. */
    async read(state: GuestUserOutputs): Promise<GuestUserOutputs | undefined> {
        const user = await this.user(await this.graph(), state.userId);
        return user ? { ...state, tenantUserType: user.userType ?? state.tenantUserType } : undefined;
    }

    /**
     * Delete: the user only when the stack may (its own invitation created it, or `deleteAdopted`
     * for an adopted guest) and it is still a guest; a member never. Otherwise the user stays and
     * loses the access the files gave it. A user deleted outside the stack is already gone: done.
     */
    async delete(state: GuestUserOutputs): Promise<void> {
        if (!state.userId) return;
        const graph = await this.graph();
        const user = await this.user(graph, state.userId);
        if (!user) return;
        if (mayDeleteUser(state, user.userType)) {
            await ignoreNotFound(graph.delete(`/users/${encodeURIComponent(state.userId)}`));
            // Wait until Graph no longer finds it: the address can be invited again at once.
            for (let i = 0; i < REPLICATION_POLLS && (await this.user(graph, state.userId)); i++) await this.clock.sleep(this.poll);
            return;
        }
        await this.removeAccess(graph, state);
    }

    /** The outputs of `inputs` with what the tenant said. */
    private outputs(inputs: GuestUserInputs, known: Pick<GuestUserOutputs, "userId" | "createdByStack" | "tenantUserType" | "ready"> & Partial<GuestUserOutputs>): GuestUserOutputs {
        const { userId, createdByStack, tenantUserType, ready, redeemUrl, invitedAt, lookedAt } = known;
        return { ...inputs, userId, createdByStack, tenantUserType, ready, ...(redeemUrl !== undefined ? { redeemUrl } : {}), ...(invitedAt !== undefined ? { invitedAt } : {}), ...(lookedAt !== undefined ? { lookedAt } : {}) };
    }

    /** The user an earlier version's Invitation created: the stack's own, as that Invitation's delete would have deleted it. */
    private async claim(graph: GraphClient, inputs: GuestUserInputs, userId: string): Promise<{ id: string; outs: GuestUserOutputs }> {
        const user = await this.user(graph, userId);
        if (!user) throw new Error(`user ${userId}, which this stack invited for ${forTerminal(inputs.email)}, is gone from the tenant; run \`pulumi up\` again to invite the address anew`);
        return { id: user.id, outs: this.outputs(inputs, { userId: user.id, createdByStack: true, tenantUserType: user.userType ?? "", ready: true }) };
    }

    /**
     * `POST /invitations`, mail as the file says. Graph hands back an existing user instead of
     * creating one when its own match finds one the look missed (an advanced query's index lags
     * seconds behind a new user): such a user was created before the look, so it is not the
     * stack's own.
     */
    private async invite(graph: GraphClient, inputs: GuestUserInputs, lookedAt: number): Promise<{ id: string; outs: GuestUserOutputs }> {
        const answer = await graph.post<InvitationAnswer>("/invitations", invitationBody(inputs));
        const userId = answer.invitedUser?.id;
        if (!userId) throw new Error(`Graph's answer to the invitation of ${forTerminal(inputs.email)} names no user`);
        const invitedAt = new Date(this.clock.now()).toISOString();
        const outs = this.outputs(inputs, { userId, createdByStack: false, tenantUserType: inputs.userType, ready: false, redeemUrl: answer.inviteRedeemUrl, invitedAt, lookedAt: new Date(lookedAt).toISOString() });
        await this.waitForReplication(graph, userId, outs);
        return { id: userId, outs: await this.settled(graph, outs) };
    }

    /**
     * A new user that answers reads: whether the stack's invitation created it, from its
     * `createdDateTime` against the look before the invitation. Graph hands back an existing user
     * instead of creating one when its own match finds one the look missed (an advanced query's
     * index lags seconds behind a new user): such a user was created before the look, so it is not
     * the stack's own, and a member among them is refused.
     */
    private async settled(graph: GraphClient, outs: GuestUserOutputs): Promise<GuestUserOutputs> {
        const user = await this.user(graph, outs.userId);
        const lookedAt = outs.lookedAt === undefined ? undefined : Date.parse(outs.lookedAt);
        const created = lookedAt !== undefined && user?.createdDateTime ? Date.parse(user.createdDateTime) >= lookedAt - CREATED_MARGIN_MS : outs.createdByStack;
        const tenantUserType = user?.userType ?? outs.tenantUserType;
        if (!created && tenantUserType === "Member" && !outs.existingMember) {
            throw new Error(`${memberRefused(forTerminal(outs.email), `${outs.userId} (Member)`)}; Graph handed this existing member back to the invitation`);
        }
        const { lookedAt: _l, ...rest } = outs;
        return { ...rest, createdByStack: created, tenantUserType, ready: true };
    }

    /**
     * Reads until the user answers REPLICATION_READS times in a row, as the azuread provider's
     * Invitation does before its dependants run (consistency.WaitForUpdate after the invitation,
     * internal/services/invitations/invitation_resource.go:207-216 at v3.8.0). A user that never
     * settles is kept with an init error: the engine retries it as an update, which waits again.
     */
    private async waitForReplication(graph: GraphClient, userId: string, outs: GuestUserOutputs): Promise<void> {
        let inRow = 0;
        for (let i = 0; i < REPLICATION_POLLS && inRow < REPLICATION_READS; i++) {
            inRow = (await this.user(graph, userId)) ? inRow + 1 : 0;
            if (inRow < REPLICATION_READS) await this.clock.sleep(this.poll);
        }
        if (inRow < REPLICATION_READS) {
            throw new InitError(`user ${userId} of ${forTerminal(outs.email)} was invited but does not answer reads yet (Entra replicates new users); the next \`pulumi up\` waits for it again`, userId, outs);
        }
    }

    /** `GET /users/{id}`; undefined for a user that does not exist (404). */
    private async user(graph: GraphClient, id: string): Promise<TenantUser | undefined> {
        try {
            return await graph.get<TenantUser>(`/users/${encodeURIComponent(id)}`, { $select: "id,userType,createdDateTime" });
        } catch (err) {
            if (err instanceof GraphRequestError && err.status === 404) return undefined;
            throw err;
        }
    }

    /** The memberships and app roles the files gave a user that stays: each removed, one already gone is fine. */
    private async removeAccess(graph: GraphClient, state: GuestUserOutputs): Promise<void> {
        const user = encodeURIComponent(state.userId);
        for (const group of state.groups) await ignoreNotFound(graph.delete(`/groups/${encodeURIComponent(group)}/members/${user}/$ref`));
        if (state.appRoles.length === 0) return;
        const wanted = new Set(state.appRoles);
        const held = await graph.getAll<{ id: string; resourceId: string; appRoleId: string }>(`/users/${user}/appRoleAssignments`, { $select: "id,resourceId,appRoleId" });
        for (const a of held) if (wanted.has(`${a.resourceId}/${a.appRoleId}`)) await ignoreNotFound(graph.delete(`/users/${user}/appRoleAssignments/${encodeURIComponent(a.id)}`));
    }
}

/** Whether removing the guest deletes its user: never a member, never a user the stack may not delete. */
export function mayDeleteUser(state: Pick<GuestUserOutputs, "onRemove" | "createdByStack" | "deleteAdopted" | "existingMember">, userType: string | null): boolean {
    return state.onRemove === "delete" && !state.existingMember && userType === "Guest" && (state.createdByStack || state.deleteAdopted);
}

/** Whether the provider has anything to apply: only the settings it keeps; invite-time fields never reach an existing user. */
export function changedInputs(olds: Partial<GuestUserInputs>, news: Partial<GuestUserInputs>): string[] {
    return UPDATABLE_INPUTS.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
}

/** The `POST /invitations` body (learn.microsoft.com/graph/api/invitation-post). */
export function invitationBody(inputs: GuestUserInputs): Record<string, unknown> {
    const m = inputs.message;
    const info = inputs.sendEmail && m ? { invitedUserMessageInfo: { ...(m.body !== undefined ? { customizedMessageBody: m.body } : {}), ...(m.language !== undefined ? { messageLanguage: m.language } : {}), ...(m.cc !== undefined ? { ccRecipients: [{ emailAddress: { address: m.cc } }] } : {}) } } : {};
    return {
        invitedUserEmailAddress: inputs.email,
        inviteRedirectUrl: inputs.redirectUrl,
        ...(inputs.displayName !== undefined ? { invitedUserDisplayName: inputs.displayName } : {}),
        invitedUserType: inputs.userType,
        sendInvitationMessage: inputs.sendEmail,
        ...info,
    };
}

function several(who: string, identity: Extract<Identity, { kind: "several" }>): string {
    return `${who} names ${identity.users.length} users in the tenant: ${identity.users.map(describeUser).join(", ")}; the stack will not pick one. Remove the address from all but one of them in Entra, or declare the guest by another address`;
}

function memberRefused(who: string, user: string): string {
    return `${who} is a member of this tenant, not a guest: user ${user}; the stack manages a member's access only when its entry says \`existingMember: true\` (and never deletes it), otherwise remove the entry`;
}

async function ignoreNotFound(request: Promise<unknown>): Promise<void> {
    try {
        await request;
    } catch (err) {
        if (!(err instanceof GraphRequestError && err.status === 404)) throw err;
    }
}
