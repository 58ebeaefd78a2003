import { randomUUID } from "crypto";
import { externalUserPrincipalName, Group, ServicePrincipal, Tenant, User } from "./format";
import { GraphError } from "./errors";
import { parseFilter } from "./filter";
import { refuseVerifiedDomain, usersMatching } from "./identity";
import { spend } from "./faults";
import { assignedTo, denied, GraphCore, notFound } from "./graph-core";
import { Change } from "./store";

export { GraphError };

/**
 * The Graph endpoints the azuread provider calls, over the tenant file. Each request is logged
 * (method, path, status, write or read), may be throttled by the `throttle` fault, and
 * answers with Graph's status codes and OData errors. The provider's own logic (retries,
 * waits, locks, error wording) lives in tools/sim/provider, not here.
 */
export class Graph extends GraphCore {
    // --- invitations and users --------------------------------------------------------------

    /**
     * POST /invitations. An address in one of the tenant's verified domains is refused; one that
     * already belongs to a user (by userPrincipalName, mail, an SMTP proxy address or otherMails,
     * identity.ts) gets that user back. When several users match, Graph documents nothing: the
     * first in tenant order comes back and the request is logged with `note: "several users
     * match"`, so no client may rely on which one.
     */
    createInvitation(body: { email: string; redirectUrl: string; displayName?: string; userType: string; sendMessage: boolean; message?: { body: string | null; language: string | null; cc: string[] } }) {
        return this.request("POST", "/invitations", true, (t, commit) => {
            const fail = t.faults.failInvitation[body.email.toLowerCase()];
            if (fail) throw new GraphError(fail.status, fail.code, fail.message);
            refuseVerifiedDomain(t, body.email);
            const matches = usersMatching(t, body.email);
            let user = matches[0];
            if (!user) {
                const lag = t.faults.invisibleAfterInvite[body.email.toLowerCase()] ?? 0;
                const now = new Date().toISOString();
                user = {
                    id: randomUUID(), mail: body.email, userPrincipalName: externalUserPrincipalName(body.email, t.verifiedDomains[0]), otherMails: [], proxyAddresses: [],
                    displayName: body.displayName ?? body.email, userType: body.userType as User["userType"], companyName: null, createdBy: "invitation", creationType: "Invitation", accountEnabled: true, invisibleReads: lag,
                    createdDateTime: now, externalUserState: "PendingAcceptance", externalUserStateChangeDateTime: now, signInActivity: null,
                };
                commit({ op: "user", user });
            }
            const value = this.recordInvitation(t, commit, user.id, body);
            return { status: 201, value, ...(matches.length > 1 ? { note: "several users match" } : {}) };
        });
    }

    /**
     * The invitation record for a user, and its mail when one is sent (to the outbox and the call
     * log): the same for a first invitation and for a redemption reset (tools/sim/graph-server).
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
            if (readBack && spend(t, commit, "readBackErrors", memberId)) throw denied("fault: read-back denied");
            // Fault: the read-back of a membership just added misses it.
            if (readBack && spend(t, commit, "memberReadBackMisses", memberId)) return { status: 200, value: [] as string[], note: "fault: read-back misses the membership" };
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

    /** DELETE /beta/groups/{id}/members/{member}/$ref, or under `/v1.0` (`api` "") for the HTTP face. */
    removeMember(groupId: string, memberId: string, api = "/beta") {
        return this.request("DELETE", `${api}/groups/${groupId}/members/${memberId}/$ref`, true, (t, commit) => {
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

    /**
     * POST /servicePrincipals/{id}/appRoleAssignedTo. The assignmentPostLanded fault makes the
     * assignment and answers 504 all the same, as a gateway that timed out after the directory
     * wrote it: the SDK retries a 5xx (sdk.ts, Operation.call), and the retry meets the assignment.
     * A 504 and not a dropped connection, because the SDK does not retry a POST that got no
     * response at all (vendored go-azure-sdk/sdk/client/client.go:470-479).
     */
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
            if (spend(t, commit, "assignmentPostLanded", body.principalId)) {
                // The wording is ours: the client never sees it, the retry answers first.
                throw Object.assign(new GraphError(504, "GatewayTimeout", "The request timed out at the gateway."), { note: "fault: the assignment landed, its answer was lost" });
            }
            return { status: 201, value: { ...assignment } };
        });
    }

    /**
     * GET /servicePrincipals/{id}/appRoleAssignedTo/{id}. `readBack`: the provider's read right
     * after creating it, which the readBackErrors (403) and assignmentReadBackMisses (404) faults answer.
     */
    getAppRoleAssignment(resourceId: string, id: string, readBack = false) {
        return this.request("GET", `/servicePrincipals/${resourceId}/appRoleAssignedTo/${id}`, false, (t, commit) => {
            const a = t.appRoleAssignments.find((x) => x.id === id && x.resourceId === resourceId);
            if (!a) throw notFound(id);
            if (readBack && spend(t, commit, "readBackErrors", a.principalId)) throw denied("fault: read-back denied");
            if (readBack && spend(t, commit, "assignmentReadBackMisses", a.principalId)) throw Object.assign(notFound(id), { note: "fault: read-back misses the assignment" });
            return { status: 200, value: assignedTo(t, a) };
        });
    }

    deleteAppRoleAssignment(resourceId: string, id: string) {
        return this.request("DELETE", `/servicePrincipals/${resourceId}/appRoleAssignedTo/${id}`, true, (t, commit) => {
            if (!t.appRoleAssignments.some((x) => x.id === id && x.resourceId === resourceId)) throw notFound(id);
            commit({ op: "deleteAssignment", id, resourceId });
            return { status: 204, value: undefined };
        });
    }

    /** DELETE /users/{id}/appRoleAssignments/{id}: an assignment of this user, to any app. */
    deleteUserAppRoleAssignment(userId: string, id: string) {
        return this.request("DELETE", `/users/${userId}/appRoleAssignments/${id}`, true, (t, commit) => {
            const a = t.appRoleAssignments.find((x) => x.id === id && x.principalId === userId);
            if (!a) throw notFound(id);
            commit({ op: "deleteAssignment", id, resourceId: a.resourceId });
            return { status: 204, value: undefined };
        });
    }
}
