import { Group, ServicePrincipal, Tenant, User } from "./format";
import { GraphError } from "./errors";
import { Call, Change, TenantStore } from "./store";

/** Graph's page size for member and list queries answered here. */
const PAGE = 100;
/** An object ID in a request path: requests that differ only in it are one kind (TenantStore.mutate). */
const GUID_IN_PATH = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export const notFound = (id: string) => new GraphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

/** Graph's 403 for a permission missing, which the SDK does not retry (tools/sim/provider/sdk.ts, Operation.call); `note` says which fault answered. */
export const denied = (note: string) => Object.assign(new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."), { note });

/**
 * What every simulated Graph request shares (graph.ts has the endpoints): the throttle and deny
 * faults, the call log, paging costs and the lookups that answer 404.
 */
export class GraphCore {
    /** `via: "http"`: the HTTP face (tools/sim/graph-server) answers; its calls are logged with `via`. */
    constructor(
        protected readonly store: TenantStore,
        private readonly options: { via?: "http" } = {},
    ) {}

    // --- plumbing ------------------------------------------------------------------------------

    /**
     * One request: the throttle and deny faults first, then `answer`; each outcome logged once.
     * Public for the HTTP face, whose list pages are answered by tools/sim/graph-server itself.
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
                if (err instanceof GraphError) this.log({ kind: "request", method, path, status: err.status, write, ...(err.note ? { note: err.note } : {}) });
                throw err;
            }
        }, `${method} ${path.split("?")[0].replace(GUID_IN_PATH, "{id}")}`);
    }

    private log(call: Extract<Call, { kind: "request" }>): void {
        this.store.log(this.options.via ? { ...call, via: this.options.via } : call);
    }

    /** Results beyond the first page cost one more request each (the SDK follows @odata.nextLink). */
    protected extraPages(path: string, count: number): void {
        for (let page = 1; page * PAGE < count; page++) this.store.log({ kind: "request", method: "GET", path: `${path} (page ${page + 1})`, status: 200, write: false });
    }

    /** The user, or 404 for one deleted or not yet replicated (invisibleReads, spent here). Public for the HTTP face. */
    visibleUser(t: Tenant, commit: (c: Change) => void, id: string): User {
        const user = t.users.find((u) => u.id === id);
        if (!user) throw notFound(id);
        if (user.invisibleReads > 0) {
            commit({ op: "user", user: { ...user, invisibleReads: user.invisibleReads - 1 } });
            throw notFound(id);
        }
        return user;
    }

    protected group(t: Tenant, id: string): Group {
        const group = t.groups.find((g) => g.id === id);
        if (!group) throw notFound(id);
        return group;
    }

    protected servicePrincipal(t: Tenant, id: string): ServicePrincipal {
        const sp = t.servicePrincipals.find((s) => s.id === id);
        if (!sp) throw notFound(id);
        return sp;
    }
}

/** An assignment as Graph returns it, with the display names. */
export function assignedTo(t: Tenant, a: Tenant["appRoleAssignments"][number]) {
    const principalDisplayName = t.users.find((u) => u.id === a.principalId)?.displayName ?? "";
    const resourceDisplayName = t.servicePrincipals.find((s) => s.id === a.resourceId)?.displayName ?? "";
    return { ...a, principalDisplayName, principalType: "User", resourceDisplayName };
}
