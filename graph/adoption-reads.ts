import { GraphClient, GraphRequestError } from "./client";
import { Directory, DirectoryAssignment } from "./directory";
import { odataString } from "./directory";
import { Identity, usersByAddress } from "./identity";

/** A group as `entra-guests adopt` resolves it. */
export interface GroupRef {
    id: string;
    displayName: string;
}

/** A direct member of a group that is a user; `mail` and `userType` may be null in Graph. */
export interface MemberUser {
    id: string;
    mail: string | null;
    displayName: string | null;
    userType: string | null;
    /** The other addresses it is known by (graph/identity.ts): a guest file declaring any of them names this user. */
    userPrincipalName?: string | null;
    otherMails?: string[];
    proxyAddresses?: string[];
}

export interface AppRoleRef {
    id: string;
    /** The value a token carries ("Reader"); null or "" for a role without one. */
    value: string | null;
}

export interface ServicePrincipalRef {
    id: string;
    appId: string;
    displayName: string;
    appRoles: AppRoleRef[];
}

/** What `entra-guests adopt` reads from the directory; a test may mock exactly these. */
export interface AdoptionReads {
    /** `undefined` when no group has this object ID. */
    groupById(id: string): Promise<GroupRef | undefined>;
    groupsByDisplayName(name: string): Promise<GroupRef[]>;
    memberUsers(groupId: string): Promise<MemberUser[]>;
    servicePrincipals(by: { clientId: string } | { displayName: string }): Promise<ServicePrincipalRef[]>;
    appRoleAssignedTo(servicePrincipalId: string): Promise<DirectoryAssignment[]>;
    /** What each address names, by the identity rule (graph/identity.ts). */
    identities(addresses: string[]): Promise<Map<string, Identity>>;
}

/** The largest page Graph serves for these lists. */
const PAGE = "999";

/** The adoption command's reads over Graph; each method names its Graph call. */
export class GraphAdoptionReads implements AdoptionReads {
    private readonly directory: Directory;

    constructor(private readonly graph: GraphClient) {
        this.directory = new Directory(graph);
    }

    /** `GET /groups/{id}?$select=id,displayName`; a 404 is "no such group", not a failure. */
    async groupById(id: string): Promise<GroupRef | undefined> {
        try {
            const g = await this.graph.get<GroupRef>(`/groups/${encodeURIComponent(id)}`, { $select: "id,displayName" });
            return { id: g.id, displayName: g.displayName };
        } catch (err) {
            if (err instanceof GraphRequestError && err.status === 404) return undefined;
            throw err;
        }
    }

    /** `GET /groups?$filter=displayName eq '…'&$select=id,displayName`, every page; the quote escaped, so O'Brien works here. */
    async groupsByDisplayName(name: string): Promise<GroupRef[]> {
        const all = await this.graph.getAll<GroupRef>("/groups", { $filter: `displayName eq ${odataString(name)}`, $select: "id,displayName" });
        return all.map((g) => ({ id: g.id, displayName: g.displayName }));
    }

    /** `GET /groups/{id}/members/microsoft.graph.user?$select=id,mail,displayName,userType,userPrincipalName,otherMails,proxyAddresses&$top=999`, every page. */
    async memberUsers(groupId: string): Promise<MemberUser[]> {
        const all = await this.graph.getAll<MemberUser>(`/groups/${encodeURIComponent(groupId)}/members/microsoft.graph.user`, { $select: "id,mail,displayName,userType,userPrincipalName,otherMails,proxyAddresses", $top: PAGE });
        return all.map((u) => ({ id: u.id, mail: u.mail ?? null, displayName: u.displayName ?? null, userType: u.userType ?? null, userPrincipalName: u.userPrincipalName ?? null, otherMails: u.otherMails ?? [], proxyAddresses: u.proxyAddresses ?? [] }));
    }

    /** One identity lookup an address, 20 to a batch (graph/identity.ts). */
    identities(addresses: string[]): Promise<Map<string, Identity>> {
        return usersByAddress(this.graph, addresses);
    }

    /** `GET /servicePrincipals?$filter=appId eq '…'` (or `displayName eq '…'`)`&$select=id,appId,displayName,appRoles`, every page. */
    async servicePrincipals(by: { clientId: string } | { displayName: string }): Promise<ServicePrincipalRef[]> {
        const filter = "clientId" in by ? `appId eq ${odataString(by.clientId)}` : `displayName eq ${odataString(by.displayName)}`;
        const all = await this.graph.getAll<ServicePrincipalRef>("/servicePrincipals", { $filter: filter, $select: "id,appId,displayName,appRoles" });
        return all.map((s) => ({ id: s.id, appId: s.appId, displayName: s.displayName, appRoles: (s.appRoles ?? []).map((r) => ({ id: r.id, value: r.value ?? null })) }));
    }

    /** `GET /servicePrincipals/{id}/appRoleAssignedTo?$top=999`, every page (graph/directory.ts). */
    appRoleAssignedTo(servicePrincipalId: string): Promise<DirectoryAssignment[]> {
        return this.directory.appRoleAssignedTo(servicePrincipalId);
    }
}
