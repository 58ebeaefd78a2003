import { randomUUID } from "crypto";
import { Group, ServicePrincipal, Tenant, User } from "./format";
import { GraphError } from "./errors";
import { parseFilter } from "./filter";
import { Call, Change, TenantStore } from "./store";

export { GraphError };

/** Graph's page size for member and list queries answered here. */
const PAGE = 100;

const notFound = (id: string) => new GraphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

/**
 * The Graph endpoints the azuread provider calls, over the tenant file. Each request is logged
 * (method, path, status, write or read), may be throttled by the `throttle` fault, and
 * answers with Graph's status codes and OData errors. The provider's own logic (retries,
 * waits, locks, error wording) lives in sim/provider, not here.
 */
export class Graph {
    /** `via: "http"`: the HTTP face (sim/graph-server) answers; its calls are logged with `via`. */
    constructor(
        private readonly store: TenantStore,
        private readonly options: { via?: "http" } = {},
    ) {}

    // --- invitations and users --------------------------------------------------------------

    /** POST /invitations. An address that already has a user gets that user back (REFERENCE.md section 1). */
    createInvitation(body: { email: string; redirectUrl: string; displayName?: string; userType: string; sendMessage: boolean; message?: { body: string | null; language: string | null; cc: string[] } }) {
        return this.request("POST", "/invitations", true, (t, commit) => {
            const fail = t.faults.failInvitation[body.email.toLowerCase()];
            if (fail) throw new GraphError(fail.status, fail.code, fail.message);
            let user = t.users.find((u) => u.mail?.toLowerCase() === body.email.toLowerCase());
            if (!user) {
                const lag = t.faults.invisibleAfterInvite[body.email.toLowerCase()] ?? 0;
                const now = new Date().toISOString();
                user = {
                    id: randomUUID(), mail: body.email, displayName: body.displayName ?? body.email, userType: body.userType as User["userType"], companyName: null, createdBy: "invitation", invisibleReads: lag,
                    createdDateTime: now, externalUserState: "PendingAcceptance", externalUserStateChangeDateTime: now, signInActivity: null,
                };
                commit({ op: "user", user });
            }
            return { status: 201, value: this.recordInvitation(t, commit, user.id, body) };
        });
    }

    /**
     * The invitation record for a user, and its mail when one is sent (to the outbox and the call
     * log): the same for a first invitation and for a redemption reset (sim/graph-server).
     */
    recordInvitation(t: Tenant, commit: (c: Change) => void, userId: string, body: { email: string; sendMessage: boolean; message?: { body: string | null; language: string | null; cc: string[] } }) {
        const invitation = {
            id: randomUUID(),
            invitedUserEmailAddress: body.email,
            invitedUserId: userId,
            inviteRedeemUrl: `https://login.microsoftonline.com/redeem?rd=${encodeURIComponent(randomUUID())}&tenant=${t.tenantId}`,
            sendInvitationMessage: body.sendMessage,
        };
        commit({ op: "invitation", invitation });
        if (body.sendMessage) {
            const cc = body.message?.cc ?? [];
            commit({ op: "mail", mail: { to: body.email, cc, body: body.message?.body ?? null, language: body.message?.language ?? null, redeemUrl: invitation.inviteRedeemUrl } });
            this.store.log({ kind: "mail", to: body.email, cc });
        }
        return invitation;
    }

    /** GET /users/{id}: 404 for a deleted user, and for a new one not yet replicated (fault). */
    getUser(id: string) {
        return this.request("GET", `/users/${id}`, false, (t, commit) => ({ status: 200, value: { ...this.visibleUser(t, commit, id) } }));
    }

    patchUser(id: string, patch: { companyName: string | null }) {
        return this.request("PATCH", `/users/${id}`, true, (t, commit) => {
            commit({ op: "user", user: { ...this.visibleUser(t, commit, id), companyName: patch.companyName } });
            return { status: 204, value: undefined };
        });
    }

    /** DELETE /users/{id}: the user leaves its groups and loses its app role assignments with it. */
    deleteUser(id: string) {
        return this.request("DELETE", `/users/${id}`, true, (t, commit) => {
            if (!t.users.some((u) => u.id === id)) throw notFound(id);
            commit({ op: "deleteUser", id });
            return { status: 204, value: undefined };
        });
    }

    // --- groups --------------------------------------------------------------------------------

    getGroup(id: string) {
        return this.request("GET", `/beta/groups/${id}`, false, (t) => ({ status: 200, value: { ...this.group(t, id) } }));
    }

    /** GET /beta/groups?$filter=...: every page, one request each. */
    listGroups(filter: string): Group[] {
        const matches = this.request("GET", `/beta/groups?$filter=${filter}`, false, (t) => {
            const test = parseFilter(filter);
            return { status: 200, value: t.groups.filter((g) => test(g as unknown as Record<string, unknown>)).map((g) => ({ ...g })) };
        });
        this.extraPages(`/beta/groups?$filter=${filter}`, matches.length);
        return matches;
    }

    /**
     * GET /beta/groups/{id}/members[?$filter=id eq '...']: every page, one request each.
     * `readBack`: the provider's read right after adding, which the read-back fault may miss.
     */
    listMembers(groupId: string, memberId?: string, readBack = false): string[] {
        const path = `/beta/groups/${groupId}/members${memberId ? `?$filter=id eq '${memberId}'` : ""}`;
        const members = this.request("GET", path, false, (t, commit) => {
            const group = this.group(t, groupId);
            if (memberId === undefined) return { status: 200, value: [...group.members] };
            // Fault: the read-back of a membership just added misses it (TF #793, #1810).
            const email = t.users.find((u) => u.id === memberId)?.mail?.toLowerCase() ?? "";
            const misses = readBack ? (t.faults.memberReadBackMisses[email] ?? 0) : 0;
            if (misses > 0) {
                commit({ op: "faults", faults: { ...t.faults, memberReadBackMisses: { ...t.faults.memberReadBackMisses, [email]: misses - 1 } } });
                return { status: 200, value: [] as string[], note: "fault: read-back misses the membership" };
            }
            return { status: 200, value: group.members.filter((m) => m === memberId) };
        });
        this.extraPages(path, members.length);
        return members;
    }

    /** GET /beta/groups/{id}/owners: the tenant keeps no owners, so always empty. */
    listOwners(groupId: string): string[] {
        return this.request("GET", `/beta/groups/${groupId}/owners`, false, (t) => {
            this.group(t, groupId);
            return { status: 200, value: [] as string[] };
        });
    }

    /** POST /beta/groups/{id}/members/$ref. */
    addMember(groupId: string, memberId: string) {
        return this.request("POST", `/beta/groups/${groupId}/members/$ref`, true, (t, commit) => {
            const group = this.group(t, groupId);
            this.visibleUser(t, commit, memberId);
            if (group.members.includes(memberId)) {
                throw new GraphError(400, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'members'.");
            }
            commit({ op: "member", group: groupId, member: memberId, present: true });
            return { status: 204, value: undefined };
        });
    }

    /** DELETE /beta/groups/{id}/members/{member}/$ref. */
    removeMember(groupId: string, memberId: string) {
        return this.request("DELETE", `/beta/groups/${groupId}/members/${memberId}/$ref`, true, (t, commit) => {
            const group = this.group(t, groupId);
            if (!group.members.includes(memberId)) throw notFound(memberId);
            commit({ op: "member", group: groupId, member: memberId, present: false });
            return { status: 204, value: undefined };
        });
    }

    // --- service principals and app role assignments -------------------------------------------

    getServicePrincipal(id: string) {
        return this.request("GET", `/servicePrincipals/${id}`, false, (t) => ({ status: 200, value: { ...this.servicePrincipal(t, id) } }));
    }

    /** GET /beta/servicePrincipals/{id}?$select=samlMetadataUrl, which the data source reads too. */
    getServicePrincipalSaml(id: string) {
        return this.request("GET", `/beta/servicePrincipals/${id}?$select=samlMetadataUrl`, false, (t) => {
            this.servicePrincipal(t, id);
            return { status: 200, value: { samlMetadataUrl: null } };
        });
    }

    listServicePrincipals(filter: string): ServicePrincipal[] {
        const matches = this.request("GET", `/servicePrincipals?$filter=${filter}`, false, (t) => {
            const test = parseFilter(filter);
            return { status: 200, value: t.servicePrincipals.filter((s) => test(s as unknown as Record<string, unknown>)).map((s) => ({ ...s })) };
        });
        this.extraPages(`/servicePrincipals?$filter=${filter}`, matches.length);
        return matches;
    }

    /** POST /servicePrincipals/{id}/appRoleAssignedTo. */
    assignAppRole(resourceId: string, body: { appRoleId: string; principalId: string }) {
        return this.request("POST", `/servicePrincipals/${resourceId}/appRoleAssignedTo`, true, (t, commit) => {
            const sp = this.servicePrincipal(t, resourceId);
            this.visibleUser(t, commit, body.principalId);
            const known = body.appRoleId === "00000000-0000-0000-0000-000000000000" || sp.appRoles.some((r) => r.id === body.appRoleId);
            if (!known) throw new GraphError(400, "Request_BadRequest", `Permission being assigned was not found on application '${sp.appId}'.`);
            const same = (a: Tenant["appRoleAssignments"][number]) => a.resourceId === resourceId && a.principalId === body.principalId && a.appRoleId === body.appRoleId;
            if (t.appRoleAssignments.some(same)) throw new GraphError(400, "Request_BadRequest", "Permission being assigned already exists on the object");
            const assignment = { id: randomUUID(), appRoleId: body.appRoleId, principalId: body.principalId, resourceId };
            commit({ op: "assignment", assignment });
            return { status: 201, value: { ...assignment } };
        });
    }

    getAppRoleAssignment(resourceId: string, id: string) {
        return this.request("GET", `/servicePrincipals/${resourceId}/appRoleAssignedTo/${id}`, false, (t) => {
            const a = t.appRoleAssignments.find((x) => x.id === id && x.resourceId === resourceId);
            if (!a) throw notFound(id);
            // Graph returns the display names with the assignment.
            const principalDisplayName = t.users.find((u) => u.id === a.principalId)?.displayName ?? "";
            const resourceDisplayName = t.servicePrincipals.find((s) => s.id === a.resourceId)?.displayName ?? "";
            return { status: 200, value: { ...a, principalDisplayName, principalType: "User", resourceDisplayName } };
        });
    }

    deleteAppRoleAssignment(resourceId: string, id: string) {
        return this.request("DELETE", `/servicePrincipals/${resourceId}/appRoleAssignedTo/${id}`, true, (t, commit) => {
            if (!t.appRoleAssignments.some((x) => x.id === id && x.resourceId === resourceId)) throw notFound(id);
            commit({ op: "deleteAssignment", id, resourceId });
            return { status: 204, value: undefined };
        });
    }

    // --- plumbing ------------------------------------------------------------------------------

    /**
     * One request: the throttle and deny faults first, then `answer`; each outcome logged once.
     * Public for the HTTP face, whose list pages are answered by sim/graph-server itself.
     */
    request<T>(method: string, path: string, write: boolean, answer: (t: Tenant, commit: (c: Change) => void) => { status: number; value: T; note?: string }): T {
        return this.store.mutate((t, commit) => {
            const throttle = t.faults.throttle;
            if (throttle && throttle.requests > 0) {
                commit({ op: "faults", faults: { ...t.faults, throttle: { ...throttle, requests: throttle.requests - 1 } } });
                this.log({ kind: "request", method, path, status: 429, write, note: "fault: throttled" });
                throw new GraphError(429, "TooManyRequests", "Too many requests.", throttle.retryAfterSeconds);
            }
            const deny = t.faults.deny;
            if (deny && path.startsWith(deny.pathPrefix)) {
                this.log({ kind: "request", method, path, status: deny.status, write, note: "fault: denied" });
                throw new GraphError(deny.status, deny.code, deny.message);
            }
            try {
                const { status, value, note } = answer(t, commit);
                this.log({ kind: "request", method, path, status, write, ...(note ? { note } : {}) });
                return value;
            } catch (err) {
                if (err instanceof GraphError) this.log({ kind: "request", method, path, status: err.status, write });
                throw err;
            }
        });
    }

    private log(call: Extract<Call, { kind: "request" }>): void {
        this.store.log(this.options.via ? { ...call, via: this.options.via } : call);
    }

    /** Results beyond the first page cost one more request each (the SDK follows @odata.nextLink). */
    private extraPages(path: string, count: number): void {
        for (let page = 1; page * PAGE < count; page++) this.store.log({ kind: "request", method: "GET", path: `${path} (page ${page + 1})`, status: 200, write: false });
    }

    private visibleUser(t: Tenant, commit: (c: Change) => void, id: string): User {
        const user = t.users.find((u) => u.id === id);
        if (!user) throw notFound(id);
        if (user.invisibleReads > 0) {
            commit({ op: "user", user: { ...user, invisibleReads: user.invisibleReads - 1 } });
            throw notFound(id);
        }
        return user;
    }

    private group(t: Tenant, id: string): Group {
        const group = t.groups.find((g) => g.id === id);
        if (!group) throw notFound(id);
        return group;
    }

    private servicePrincipal(t: Tenant, id: string): ServicePrincipal {
        const sp = t.servicePrincipals.find((s) => s.id === id);
        if (!sp) throw notFound(id);
        return sp;
    }
}
