/**
 * A Graph request that failed: Graph's own status, code and message, the call, and a hint that
 * says what to do. The message is one line with no stack: it is what a pipeline log shows.
 */
export class GraphRequestError extends Error {
    /** HTTP status; 0 when Graph could not be reached. */
    readonly status: number;
    /** Graph's error code, e.g. Authorization_RequestDenied. */
    readonly code: string;
    /** Graph's own message, as Graph wrote it. */
    readonly graphMessage: string;
    readonly method: string;
    /** Relative to the base URL, query decoded: `/users?$filter=mail in ('a@x.com')`. */
    readonly path: string;
    /** What to do about it; "" when there is nothing more to say than Graph's message. */
    readonly hint: string;

    /**
     * `message`: the whole message, for a failure that is the client's own decision rather than
     * Graph's answer (a wait refused, graph/waiting.ts; a list that does not end, graph/paging.ts).
     */
    constructor(f: { status: number; code: string; graphMessage: string; method: string; path: string; message?: string }) {
        const hint = f.message === undefined ? hintFor(f.status, f.method, f.path) : "";
        super(f.message ?? `Graph ${f.method} ${f.path} failed${f.status ? ` with ${f.status}` : ""} ${f.code}: ${f.graphMessage}${hint ? `; ${hint}` : ""}`);
        this.name = "GraphRequestError";
        this.status = f.status;
        this.code = f.code;
        this.graphMessage = f.graphMessage;
        this.method = f.method;
        this.path = f.path;
        this.hint = hint;
    }

    /** From Graph's error body, `{ "error": { "code", "message" } }`, or whatever else came back. */
    static fromResponse(status: number, body: string, method: string, path: string): GraphRequestError {
        let code = `HTTP${status}`;
        let graphMessage = body.trim().slice(0, 300) || "(no body)";
        try {
            const e = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }).error;
            if (typeof e?.code === "string") code = e.code;
            if (typeof e?.message === "string") graphMessage = e.message;
        } catch {
            // Not JSON (a proxy's page): keep the start of the text.
        }
        return new GraphRequestError({ status, code, graphMessage, method, path });
    }
}

/**
 * The Graph permission a call needs (application permissions, as listed on each API's page at
 * learn.microsoft.com/graph/api: user-list, group-list-members, serviceprincipal-list-approleassignedto,
 * invitation-post; signInActivity needs AuditLog.Read.All besides User.Read.All).
 */
export function permissionFor(method: string, path: string): string | undefined {
    const [pathname, query = ""] = path.split("?", 2);
    if (/signInActivity/i.test(query) || pathname.startsWith("/auditLogs")) return "AuditLog.Read.All";
    if (method === "POST" && pathname === "/invitations") return "User.Invite.All";
    if (/^\/groups\/[^/]+\/members/.test(pathname)) return "GroupMember.Read.All";
    // Reading groups themselves (list, get by ID) needs no more than this either (group-list, group-get).
    if (pathname === "/groups" || /^\/groups\/[^/]+$/.test(pathname)) return "GroupMember.Read.All";
    if (pathname.startsWith("/servicePrincipals")) return "Application.Read.All";
    // getByIds lists Directory.Read.All as its least-privileged application permission (directoryobject-getbyids).
    if (pathname === "/directoryObjects/getByIds") return "Directory.Read.All";
    if (pathname.startsWith("/users")) return "User.Read.All";
    return undefined;
}

function hintFor(status: number, method: string, path: string): string {
    if (status === 401) {
        return "Graph refused the access token (expired, revoked or for another audience): sign in again with `az login`, or in CI check ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET or ARM_USE_OIDC";
    }
    if (status === 403) {
        const permission = permissionFor(method, path);
        return permission
            ? `the identity running this needs the Microsoft Graph permission \`${permission}\` (an application permission with admin consent, or a user's directory role that allows it)`
            : "the identity running this lacks a Microsoft Graph permission for this call";
    }
    if (status === 0) return "check the network, or ENTRA_GUESTS_GRAPH_URL when it is set";
    return "";
}

/**
 * Seconds to wait from a Retry-After header: delay-seconds or an HTTP date (RFC 9110 10.2.3).
 * undefined when absent or unreadable, so the caller backs off on its own.
 */
export function retryAfterSeconds(header: string | null, now: number): number | undefined {
    if (header === null || header.trim() === "") return undefined;
    if (/^\d+$/.test(header.trim())) return Number(header.trim());
    const at = Date.parse(header);
    return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
