import { z } from "zod";
import { isGuid } from "../../../roster";
import { GraphError } from "../tenant/errors";
import { Graph } from "../tenant/graph";
import { assignedTo } from "../tenant/graph-core";
import { Answer } from "./answer";
import { Collection, notFound, pick, selection, userItem, users } from "./collections";

/**
 * The requests on one user, its app role assignments and a group's member references, which
 * the program's identity checks and removals make (server.ts hooks them in). Each is answered
 * through `Graph.request`, so the throttle and deny faults apply and a write is logged with
 * `write: true`. A user is named by its object ID: Graph also takes a userPrincipalName there
 * (learn.microsoft.com/graph/api/user-get), which the simulated Graph does not serve (400).
 */
export function userRoute(graph: Graph, method: string, rel: string, params: Map<string, string>, logged: string): Answer | undefined {
    const user = /^\/users\/([^/]+)$/.exec(rel);
    if (user && isGuid(user[1])) {
        const id = user[1];
        // GET /users/{id}: 404 for a user deleted, or not yet replicated (invisibleReads, as the provider's reads).
        if (method === "GET" && [...params.keys()].every((k) => k === "$select")) {
            return { status: 200, body: graph.request(method, logged, false, (t, commit) => ({ status: 200, value: pick(userItem(graph.visibleUser(t, commit, id)), selection(users, params.get("$select"))) })) };
        }
        // DELETE /users/{id}: the user leaves its groups and loses its assignments (tools/sim/tenant/store.ts, deleteUser).
        if (method === "DELETE" && params.size === 0) return noContent(() => graph.deleteUser(id));
        return undefined;
    }
    const assignment = /^\/users\/([^/]+)\/appRoleAssignments\/([^/]+)$/.exec(rel);
    if (assignment && method === "DELETE" && params.size === 0) return noContent(() => graph.deleteUserAppRoleAssignment(assignment[1], assignment[2]));
    // DELETE /groups/{id}/members/{id}/$ref (learn.microsoft.com/graph/api/group-delete-members): 404 when not a member.
    const member = /^\/groups\/([^/]+)\/members\/([^/]+)\/\$ref$/.exec(rel);
    if (member && method === "DELETE" && params.size === 0) return noContent(() => graph.removeMember(member[1], member[2], ""));
    return undefined;
}

function noContent(write: () => void): Answer {
    write();
    return { status: 204 };
}

/** GET /users/{id}/appRoleAssignments (learn.microsoft.com/graph/api/user-list-approleassignments): the user's assignments to any app; 404 for no such user. */
export function userAppRoleAssignments(rel: string): Collection | undefined {
    const m = /^\/users\/([^/]+)\/appRoleAssignments$/.exec(rel);
    if (!m) return undefined;
    const properties = ["id", "appRoleId", "principalId", "principalType", "principalDisplayName", "resourceId", "resourceDisplayName"];
    return {
        options: ["$select", "$top", "$skiptoken"],
        filterable: [],
        properties,
        defaults: properties,
        entity: "microsoft.graph.appRoleAssignment",
        items: (t) => {
            if (!t.users.some((u) => u.id === m[1])) throw notFound(m[1]);
            return t.appRoleAssignments.filter((a) => a.principalId === m[1]).map((a) => assignedTo(t, a));
        },
    };
}

const getByIdsBody = z.strictObject({ ids: z.array(z.string()).min(1).max(1000), types: z.array(z.literal("user")).optional() });

/**
 * POST /directoryObjects/getByIds: the objects among `ids` (at most 1,000) that exist; IDs of
 * deleted or unknown objects are left out, not an error (learn.microsoft.com/graph/api/
 * directoryobject-getbyids). Each user comes with its `@odata.type` and its properties but
 * signInActivity, which Graph returns only when `$select` names it. A read, though it is a POST.
 * Only `types: ["user"]` is served.
 */
export function getByIds(graph: Graph, logged: string, json: unknown): Answer {
    const parsed = getByIdsBody.safeParse(json);
    if (!parsed.success) throw new GraphError(400, "Request_BadRequest", `Invalid getByIds request: ${parsed.error.issues.map((i) => i.message).join("; ")}.`);
    const wanted = new Set(parsed.data.ids);
    const value = graph.request("POST", logged, false, (t) => ({
        status: 200,
        value: t.users.filter((u) => wanted.has(u.id)).map((u) => {
            const { signInActivity: _, ...item } = userItem(u);
            return { "@odata.type": "#microsoft.graph.user", ...item };
        }),
    }));
    return { status: 200, body: { value } };
}
