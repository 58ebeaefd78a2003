import { isGuid } from "../../../roster";
import { GraphError } from "../tenant/errors";
import { Tenant } from "../tenant/format";
import { Collection, Item, notFound, USER_PROPERTIES, userItem } from "./collections";

/**
 * Groups and service principals by display name, ID or client ID, and a group's members cast to
 * users: the reads of `entra-guests adopt` (graph/adoption-reads.ts) and of the program's hints
 * after a failed lookup (graph/name-hints.ts). Kept apart from collections.ts so the face's core
 * stays small; server.ts hooks both functions in.
 */

const GROUP_PROPERTIES = ["id", "displayName", "description", "createdDateTime", "mail", "securityEnabled", "mailEnabled"];
const SP_PROPERTIES = ["id", "appId", "displayName", "description", "appRoles", "servicePrincipalType", "accountEnabled"];
/** Graph tokenizes these two for `$search` (search-query-parameter); tools/sim/tenant/search.ts. */
const SEARCHABLE = ["displayName", "description"];

function groupItem(t: Tenant["groups"][number]): Item {
    return { id: t.id, displayName: t.displayName, description: t.description, createdDateTime: t.createdDateTime, mail: null, securityEnabled: true, mailEnabled: false };
}

function spItem(s: Tenant["servicePrincipals"][number]): Item {
    return { id: s.id, appId: s.appId, displayName: s.displayName, description: s.description, appRoles: s.appRoles, servicePrincipalType: "Application", accountEnabled: true };
}

/**
 * GET /groups: `$filter=displayName eq '…'` (Graph compares it case-insensitively), or
 * `$search="displayName:…"` with `ConsistencyLevel: eventual` (a `$count` counts as in
 * advanced-query.ts).
 */
const groups: Collection = {
    options: ["$filter", "$search", "$select", "$top", "$skiptoken", "$count"],
    filterable: ["displayName"],
    searchable: SEARCHABLE,
    properties: GROUP_PROPERTIES,
    defaults: GROUP_PROPERTIES,
    entity: "microsoft.graph.group",
    items: (t) => t.groups.map(groupItem),
};

/** GET /servicePrincipals: `$filter=appId eq '…'` or `displayName eq '…'`, or `$search` as groups. */
const servicePrincipals: Collection = {
    options: ["$filter", "$search", "$select", "$top", "$skiptoken", "$count"],
    filterable: ["appId", "displayName"],
    searchable: SEARCHABLE,
    properties: SP_PROPERTIES,
    defaults: SP_PROPERTIES,
    entity: "microsoft.graph.servicePrincipal",
    items: (t) => t.servicePrincipals.map(spItem),
};

/**
 * GET /groups/{id}/members/microsoft.graph.user: the direct members that are users, in the
 * order they were added (the OData cast leaves out groups, devices and service principals).
 */
function memberUsers(groupId: string): Collection {
    return {
        options: ["$select", "$top", "$skiptoken"],
        filterable: [],
        properties: USER_PROPERTIES,
        defaults: ["id", "mail", "displayName", "userType"],
        entity: "microsoft.graph.user",
        items: (t) => {
            const group = t.groups.find((g) => g.id === groupId);
            if (!group) throw notFound(groupId);
            const byId = new Map(t.users.map((u) => [u.id, u]));
            return group.members.flatMap((m) => {
                const u = byId.get(m);
                return u ? [userItem(u)] : [];
            });
        },
    };
}

/** The collections above, by path; undefined for any other path. */
export function adoptionCollection(rel: string): Collection | undefined {
    if (rel === "/groups") return groups;
    if (rel === "/servicePrincipals") return servicePrincipals;
    const cast = /^\/groups\/([^/]+)\/members\/microsoft\.graph\.user$/.exec(rel);
    if (cast) return memberUsers(cast[1]);
    return undefined;
}

/** A single object: `GET /groups/{id}` with an optional `$select`. */
export interface Entity {
    read(t: Tenant, params: Map<string, string>): Item;
}

/** GET /groups/{id}; undefined for any other path. An ID that is no GUID is refused as Graph does. */
export function adoptionEntity(rel: string): Entity | undefined {
    const m = /^\/groups\/([^/]+)$/.exec(rel);
    if (!m) return undefined;
    const id = m[1];
    return {
        read: (t, params) => {
            for (const k of params.keys()) if (k !== "$select") throw new GraphError(400, "BadRequest", `Query option '${k}' is not supported here by the simulated Graph (tools/sim/graph-server).`);
            if (!isGuid(id)) throw new GraphError(400, "Request_BadRequest", `Invalid object identifier '${id}'.`);
            const group = t.groups.find((g) => g.id.toLowerCase() === id.toLowerCase());
            if (!group) throw notFound(id);
            const item = groupItem(group);
            const select = params.get("$select");
            if (select === undefined) return item;
            const names = select.split(",").map((s) => s.trim());
            for (const n of names) if (!GROUP_PROPERTIES.includes(n)) throw new GraphError(400, "BadRequest", `Could not find a property named '${n}' on type 'microsoft.graph.group'.`);
            return Object.fromEntries(["id", ...names].map((n) => [n, item[n]]));
        },
    };
}
