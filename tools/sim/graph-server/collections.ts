import { GraphError } from "../tenant/errors";
import { parseFilterExpression } from "../tenant/filter";
import { parseSearch, searchWithoutHeader } from "../tenant/search";
import { Tenant, User } from "../tenant/format";
import { advancedQuery, advancedQueryRequired, CollectionQuery, limitSignInActivityPage } from "./advanced-query";

/**
 * The collections the HTTP face serves, as Graph pages them: `$top` 1-999, 100 when absent,
 * and `@odata.nextLink` carrying the same query plus `$skiptoken` (learn.microsoft.com/graph/
 * paging). A query this face does not know answers 400 instead of a guess at Graph's answer.
 */
export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 999;
export { CollectionQuery };

export type Item = Record<string, unknown>;


export interface Collection {
    /** The query options this collection accepts. */
    options: string[];
    /** Properties `$filter` may name. */
    filterable: string[];
    /** Those of them that are collections, filtered with `any` and never with `eq`. */
    multiValued?: string[];
    /** Properties `$search` may name (tools/sim/tenant/search.ts); the option must be in `options` too. */
    searchable?: string[];
    /** Every property `$select` may name, and those returned without `$select`. */
    properties: string[];
    defaults: string[];
    entity: string;
    items: (t: Tenant) => Item[];
}

/** What `$select` may name on a user here. */
export const USER_PROPERTIES = [
    "id", "mail", "userPrincipalName", "otherMails", "proxyAddresses", "displayName", "userType", "companyName", "creationType", "accountEnabled",
    "createdDateTime", "externalUserState", "externalUserStateChangeDateTime", "signInActivity",
];

/** A user as Graph shows it. signInActivity is never in the default set: only `$select` returns it. */
export function userItem(u: User): Item {
    return {
        id: u.id,
        mail: u.mail,
        userPrincipalName: u.userPrincipalName,
        otherMails: u.otherMails,
        proxyAddresses: u.proxyAddresses,
        displayName: u.displayName,
        userType: u.userType,
        companyName: u.companyName,
        creationType: u.creationType,
        accountEnabled: u.accountEnabled,
        createdDateTime: u.createdDateTime,
        externalUserState: u.externalUserState,
        externalUserStateChangeDateTime: u.externalUserStateChangeDateTime,
        signInActivity: u.signInActivity,
    };
}

/**
 * GET /users. `$filter` takes Microsoft's "was this user already invited" query
 * (learn.microsoft.com/entra/external-id/customize-invitation-api): userPrincipalName, mail,
 * proxyAddresses/any and otherMails/any, joined by `or` (advanced-query.ts).
 */
export const users: Collection = {
    options: ["$filter", "$select", "$top", "$skiptoken", "$count"],
    filterable: ["mail", "userType", "userPrincipalName", "proxyAddresses", "otherMails"],
    multiValued: ["proxyAddresses", "otherMails"],
    properties: USER_PROPERTIES,
    defaults: ["id", "mail", "displayName"],
    entity: "microsoft.graph.user",
    items: (t) => t.users.map(userItem),
};

/** GET /groups/{id}/members: direct members, in the order they were added. */
export function groupMembers(groupId: string): Collection {
    return {
        options: ["$select", "$top", "$skiptoken"],
        filterable: [],
        properties: USER_PROPERTIES,
        defaults: ["id", "mail", "displayName"],
        entity: "microsoft.graph.directoryObject",
        items: (t) => {
            const group = t.groups.find((g) => g.id === groupId);
            if (!group) throw notFound(groupId);
            return group.members.map((m) => {
                const u = t.users.find((x) => x.id === m);
                return { "@odata.type": "#microsoft.graph.user", ...(u ? userItem(u) : { id: m }) };
            });
        },
    };
}

/** GET /servicePrincipals/{id}/appRoleAssignedTo. */
export function appRoleAssignedTo(spId: string): Collection {
    return {
        options: ["$select", "$top", "$skiptoken"],
        filterable: [],
        properties: ["id", "appRoleId", "principalId", "principalType", "principalDisplayName", "resourceId", "resourceDisplayName"],
        defaults: ["id", "appRoleId", "principalId", "principalType", "principalDisplayName", "resourceId", "resourceDisplayName"],
        entity: "microsoft.graph.appRoleAssignment",
        items: (t) => {
            const sp = t.servicePrincipals.find((s) => s.id === spId);
            if (!sp) throw notFound(spId);
            return t.appRoleAssignments
                .filter((a) => a.resourceId === spId)
                .map((a) => ({ ...a, principalType: "User", principalDisplayName: t.users.find((u) => u.id === a.principalId)?.displayName ?? "", resourceDisplayName: sp.displayName }));
        },
    };
}

export const notFound = (id: string) => new GraphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
const badRequest = (message: string) => new GraphError(400, "BadRequest", message);

/**
 * One page of a collection, the offset of the next page (undefined on the last one), and the
 * number of items of all pages when the query asks for it as an advanced query.
 */
export function page(t: Tenant, c: Collection, q: CollectionQuery): { value: Item[]; next?: number; count?: number } {
    for (const k of q.params.keys()) if (!c.options.includes(k)) throw badRequest(`Query option '${k}' is not supported here by the simulated Graph (tools/sim/graph-server).`);
    const top = pageSize(q.params.get("$top"));
    const offset = q.params.has("$skiptoken") ? decodeSkipToken(q.params.get("$skiptoken") ?? "") : 0;
    const select = selection(c, q.params.get("$select"));
    limitSignInActivityPage(top, select, q.params.get("$filter"));
    const advanced = advancedQuery(q);
    let items = c.items(t);
    const filter = q.params.get("$filter");
    if (filter !== undefined) {
        const parsed = parseFilterExpression(filter);
        for (const term of parsed.terms) {
            const multi = c.multiValued?.includes(term.property) ?? false;
            if (!c.filterable.includes(term.property) || multi !== (term.kind === "any")) {
                throw new GraphError(400, "Request_UnsupportedQuery", `Unsupported or invalid query filter clause specified for property '${term.property}' of resource '${c.entity.split(".").pop()}'.`);
            }
        }
        if (parsed.terms.length > 1 && !advanced) throw advancedQueryRequired("or");
        items = items.filter(parsed.test);
    }
    const search = q.params.get("$search");
    if (search !== undefined) {
        // With `$filter` too, the results are "a logical conjunction (an "AND") of the `$filter`
        // and the entire query in the `$search`" (learn.microsoft.com/graph/search-query-parameter).
        if (q.consistencyLevel !== "eventual") throw searchWithoutHeader();
        const test = parseSearch(search, c.searchable ?? []);
        items = items.filter(test);
    }
    const value = items.slice(offset, offset + top).map((i) => pick(i, select));
    return { value, next: offset + top < items.length ? offset + top : undefined, ...(advanced ? { count: items.length } : {}) };
}

function pageSize(top: string | undefined): number {
    if (top === undefined) return DEFAULT_PAGE;
    const n = /^\d+$/.test(top) ? Number(top) : NaN;
    if (!(n >= 1 && n <= MAX_PAGE)) throw badRequest(`Invalid page size specified: '${top}'. Must be between 1 and ${MAX_PAGE} inclusive.`);
    return n;
}

/** The properties a `$select` names (unknown ones refused), or the collection's defaults. */
export function selection(c: Collection, select: string | undefined): string[] {
    if (select === undefined) return c.defaults;
    const names = select.split(",").map((s) => s.trim());
    for (const n of names) if (!c.properties.includes(n)) throw badRequest(`Could not find a property named '${n}' on type '${c.entity}'.`);
    // Graph always returns the id.
    return [...new Set(["id", ...names])];
}

export function pick(item: Item, names: string[]): Item {
    const out: Item = {};
    if (item["@odata.type"] !== undefined) out["@odata.type"] = item["@odata.type"];
    for (const n of names) if (n in item) out[n] = item[n];
    return out;
}

/** An opaque token to Graph's clients; here the next item's offset. */
export function encodeSkipToken(offset: number): string {
    return Buffer.from(`offset:${offset}`).toString("base64url");
}

function decodeSkipToken(token: string): number {
    const m = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString());
    if (!m) throw badRequest(`Invalid $skiptoken '${token}'.`);
    return Number(m[1]);
}
