import { GraphClient } from "./client";

/** A user as the directory reads return it. */
export interface DirectoryUser {
    id: string;
    mail: string;
    userType: "Guest" | "Member";
    displayName: string;
    createdDateTime: string | null;
    /** "PendingAcceptance" until a guest redeems the invitation, "Accepted" after; null for members. */
    externalUserState: "PendingAcceptance" | "Accepted" | null;
    externalUserStateChangeDateTime: string | null;
    /** Only from listGuests({ signInActivity: true }). */
    signInActivity?: { lastSignInDateTime: string | null } | null;
    /** The other properties an address can name a user by (graph/identity.ts); from listGuests. */
    userPrincipalName?: string | null;
    otherMails?: string[];
    proxyAddresses?: string[];
}

export interface DirectoryAssignment {
    id: string;
    appRoleId: string;
    principalId: string;
    resourceId: string;
}

/** The most IDs one `getByIds` request takes. */
export const IDS_CHUNK = 1000;

/** `getByIds` requests in flight at once: enough to hide latency, far below Graph's read limits. */
export const CONCURRENCY = 4;
/**
 * `POST /$batch` requests in flight at once, each of up to 20 identity lookups (graph/identity.ts):
 * 40 lookups at Graph at a time, already 10 times CONCURRENCY's 4, which is why this is not 4 too.
 */
export const BATCH_CONCURRENCY = 2;
/** The largest page Graph serves for users, members and app role assignments. */
const PAGE = "999";
/**
 * The largest page of users with signInActivity: "the maximum page size for $top is 120"
 * (learn.microsoft.com/graph/api/user-list); Graph refuses a larger one ("Cannot query data for
 * more than 120 users at a time.", reported in github.com/microsoftgraph/msgraph-sdk-powershell/issues/1898).
 */
export const SIGN_IN_PAGE = "120";

const USER_FIELDS = ["id", "mail", "userType", "displayName", "createdDateTime", "externalUserState", "externalUserStateChangeDateTime"];

/** An OData string literal: quotes doubled, so `o'brien@x.com` is `'o''brien@x.com'`. */
export const odataString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The directory reads over Graph (each method names its Graph call). */
export class Directory {
    constructor(private readonly graph: GraphClient) {}

    /** `GET /groups/{id}/members?$select=id&$top=999`, every page: the IDs of the direct members. */
    async groupMemberIds(groupId: string): Promise<Set<string>> {
        const members = await this.graph.getAll<{ id: string }>(`/groups/${encodeURIComponent(groupId)}/members`, { $select: "id", $top: PAGE });
        return new Set(members.map((m) => m.id));
    }

    /** `GET /servicePrincipals/{id}/appRoleAssignedTo?$top=999`, every page: who holds which role of this app. */
    async appRoleAssignedTo(servicePrincipalId: string): Promise<DirectoryAssignment[]> {
        const all = await this.graph.getAll<DirectoryAssignment>(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignedTo`, { $top: PAGE });
        return all.map(({ id, appRoleId, principalId, resourceId }) => ({ id, appRoleId, principalId, resourceId }));
    }

    /**
     * `POST /directoryObjects/getByIds` with `{ ids, types: ["user"] }`, 1,000 IDs a request: which
     * of these users still exist, and as what. A deleted user is simply not returned. Not batched:
     * 10,000 IDs are 10 requests (3 round trips at 4 at once), and a steady-state run makes one.
     */
    async existingUsers(ids: string[]): Promise<Map<string, { userType: string | null }>> {
        const chunks = chunk([...new Set(ids)], IDS_CHUNK);
        const found = await pool(chunks, CONCURRENCY, (chunk) => this.graph.post<{ value: { id: string; userType?: string | null }[] }>("/directoryObjects/getByIds", { ids: chunk, types: ["user"] }));
        return new Map(found.flatMap((r) => r.value.map((o) => [o.id, { userType: o.userType ?? null }] as const)));
    }

    /**
     * `GET /users?$filter=userType eq 'Guest'&$select=...&$top=999`, every page, with the
     * properties the identity rule matches on. signInActivity only when asked: selecting it needs
     * AuditLog.Read.All besides User.Read.All, and pages of at most 120.
     */
    async listGuests(options: { signInActivity?: boolean } = {}): Promise<DirectoryUser[]> {
        const identity = ["userPrincipalName", "otherMails", "proxyAddresses"];
        const select = options.signInActivity ? [...USER_FIELDS, ...identity, "signInActivity"] : [...USER_FIELDS, ...identity];
        return this.graph.getAll<DirectoryUser>("/users", { $filter: "userType eq 'Guest'", $select: select.join(","), $top: options.signInActivity ? SIGN_IN_PAGE : PAGE });
    }
}

/** `items` cut into runs of `size`, the last shorter. */
function chunk<T>(items: T[], size: number): T[][] {
    const runs: T[][] = [];
    for (let i = 0; i < items.length; i += size) runs.push(items.slice(i, i + size));
    return runs;
}

/** `fn` over every item, at most `limit` at once, results in input order; the first failure rejects. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
        while (!failed && next < items.length) {
            const i = next++;
            try {
                results[i] = await fn(items[i]);
            } catch (err) {
                failed = true;
                throw err;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
