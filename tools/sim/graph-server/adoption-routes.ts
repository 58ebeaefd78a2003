import { isGuid } from "../../../roster";
import { GraphError } from "../tenant/errors";
import { Tenant } from "../tenant/format";
import { Collection, Item, notFound, USER_PROPERTIES, userItem } from "./collections";

/**
 * The reads of `entra-guests adopt` (graph/adoption-reads.ts): groups by display name or ID,
 * a group's members cast to users, and service principals by client ID or display name. Kept
 * apart from collections.ts so the face's core stays small; server.ts hooks both functions in.
 */

const GROUP_PROPERTIES = ["id", "displayName", "description", "mail", "securityEnabled", "mailEnabled"];
const SP_PROPERTIES = ["id", "appId", "displayName", "appRoles", "servicePrincipalType", "accountEnabled"];

function groupItem(t: Tenant["groups"][number]): Item {
    return { id: t.id, displayName: t.displayName, description: null, mail: null, securityEnabled: true, mailEnabled: false };
}

function spItem(s: Tenant["servicePrincipals"][number]): Item {
    return { id: s.id, appId: s.appId, displayName: s.displayName, appRoles: s.appRoles, servicePrincipalType: "Application", accountEnabled: true };
}

/** GET /groups: `$filter=displayName eq '…'` (Graph compares it case-insensitively). */
const groups: Collection = {
    options: ["$filter", "$select", "$top", "$skiptoken"],
    filterable: ["displayName"],
    properties: GROUP_PROPERTIES,
    defaults: GROUP_PROPERTIES,
    entity: "microsoft.graph.group",
    items: (t) => t.groups.map(groupItem),
};

/** GET /servicePrincipals: `$filter=appId eq '…'` or `displayName eq '…'`. */
const servicePrincipals: Collection = {
    options: ["$filter", "$select", "$top", "$skiptoken"],
    filterable: ["appId", "displayName"],
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
