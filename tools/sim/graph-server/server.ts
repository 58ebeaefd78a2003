import { createServer, IncomingMessage, ServerResponse } from "http";
import { AddressInfo } from "net";
import { GraphError } from "../tenant/errors";
import { Graph } from "../tenant/graph";
import { TenantStore } from "../tenant/store";
import { isReset, resetRedemption } from "./reset-redemption";
import { adoptionCollection, adoptionEntity } from "./adoption-routes";
import { invitationBody } from "./invitation-body";
import { appRoleAssignedTo, Collection, encodeSkipToken, groupMembers, page, users } from "./collections";
import { getByIds, userAppRoleAssignments, userRoute } from "./user-routes";
import { Answer, errorAnswer } from "./answer";
import { answerBatch, parseBatch, SubRequest } from "./batch";

/** The API version the face answers under, as `https://graph.microsoft.com/v1.0`. */
const VERSION = "/v1.0";

export interface GraphServer {
    /** The base URL, to use as ENTRA_GUESTS_GRAPH_URL: `http://127.0.0.1:<port>/v1.0`. */
    url: string;
    close(): Promise<void>;
}

/**
 * Microsoft Graph over HTTP for the Graph client (graph/), answered from the same tenant file as
 * the simulated provider, so a test can seed guests the provider never made and see one call
 * log: requests here are logged with `via: "http"`. The bearer token must be `token`; the
 * throttle, deny, expiredToken and loopingNextLink faults apply (tools/sim/README.md). `POST /$batch` answers up to 20
 * requests, each through the same handlers as alone (batch.ts).
 */
export async function startGraphServer(options: { tenantFile: string; token: string }): Promise<GraphServer> {
    const store = new TenantStore(options.tenantFile);
    const graph = new Graph(store, { via: "http" });
    let base = "";
    const server = createServer((req, res) => {
        const consistencyLevel = req.headers.consistencylevel;
        const incoming = {
            method: req.method ?? "GET",
            url: req.url ?? "/",
            authorization: req.headers.authorization,
            consistencyLevel: Array.isArray(consistencyLevel) ? consistencyLevel[0] : consistencyLevel,
            json: () => readJson(req),
            inBatch: false,
        };
        handle(incoming, base, store, graph, options.token).then(
            (answer) => send(res, answer),
            (err: unknown) => send(res, errorAnswer(err)),
        );
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${VERSION}`;
    return {
        url: base,
        close: () =>
            new Promise<void>((resolve, reject) => {
                server.close((err) => (err ? reject(err) : resolve()));
                // A client's keep-alive connection would hold close() open.
                server.closeAllConnections();
            }),
    };
}

/** One request as the handlers see it: from a socket, or one request of a batch (`url` then made absolute-path). */
interface Incoming {
    method: string;
    /** The path and query, `/v1.0/users?$select=id`. */
    url: string;
    authorization: string | undefined;
    /** The `ConsistencyLevel` header, which advanced queries need (advanced-query.ts). */
    consistencyLevel: string | undefined;
    json(): Promise<unknown>;
    inBatch: boolean;
}

async function handle(req: Incoming, base: string, store: TenantStore, graph: Graph, token: string): Promise<Answer> {
    const method = req.method;
    const url = new URL(req.url, "http://127.0.0.1");
    const params = new Map([...url.searchParams]);
    const rel = url.pathname.startsWith(`${VERSION}/`) ? decodeURIComponent(url.pathname.slice(VERSION.length)) : decodeURIComponent(url.pathname);
    const logged = params.size ? `${rel}?${[...params].map(([k, v]) => `${k}=${v}`).join("&")}` : rel;
    const write = method !== "GET";
    const isBatch = !req.inBatch && method === "POST" && rel === "/$batch" && url.pathname.startsWith(`${VERSION}/`);

    // Graph authenticates before anything else: no throttling or permission check without a token.
    // A batch is refused whole; its requests carry its token and are checked again one by one.
    const refused = authenticate(req.authorization, token, store);
    if (refused) {
        store.log(isBatch ? { kind: "batch", status: 401, requests: 0, note: refused.note, via: "http" } : { kind: "request", method, path: logged, status: 401, write, note: refused.note, via: "http" });
        throw new GraphError(401, "InvalidAuthenticationToken", refused.message);
    }
    if (!url.pathname.startsWith(`${VERSION}/`)) return unsupported(store, method, logged, write);
    if (isBatch && params.size === 0) return batch(req, (sub) => handle(sub, base, store, graph, token), store);

    const collection = route(method, rel);
    if (collection) {
        const answer = graph.request(method, logged, false, (t) => {
            const loops = t.faults.loopingNextLink !== undefined && logged.startsWith(t.faults.loopingNextLink.pathPrefix);
            return { status: 200, value: { ...page(t, collection, { params, consistencyLevel: req.consistencyLevel }), loops }, ...(loops ? { note: "fault: looping next link" } : {}) };
        });
        const next = new URLSearchParams([...params].filter(([k]) => k !== "$skiptoken"));
        if (answer.next !== undefined) next.set("$skiptoken", encodeSkipToken(answer.next));
        // The loopingNextLink fault: the next page is the page just read, as a server that never advances.
        const nextLink = answer.loops ? new URL(req.url, base).href : answer.next !== undefined ? `${base}${rel}?${next.toString().replace(/\+/g, "%20")}` : undefined;
        return {
            status: 200,
            body: {
                "@odata.context": `${base}/$metadata#${rel.slice(1)}`,
                ...(answer.count !== undefined ? { "@odata.count": answer.count } : {}),
                value: answer.value,
                ...(nextLink !== undefined ? { "@odata.nextLink": nextLink } : {}),
            },
        };
    }
    const entity = method === "GET" ? adoptionEntity(rel) : undefined;
    if (entity) return { status: 200, body: graph.request(method, logged, false, (t) => ({ status: 200, value: entity.read(t, params) })) };
    const answered = userRoute(graph, method, rel, params, logged);
    if (answered) return answered;
    if (method === "POST" && rel === "/invitations" && params.size === 0) {
        const json = await req.json();
        return isReset(json) ? resetRedemption(graph, json) : invite(graph, json);
    }
    if (method === "POST" && rel === "/directoryObjects/getByIds" && params.size === 0) return getByIds(graph, logged, await req.json());
    return unsupported(store, method, logged, write);
}

function route(method: string, rel: string): Collection | undefined {
    if (method !== "GET") return undefined;
    if (rel === "/users") return users;
    const members = /^\/groups\/([^/]+)\/members$/.exec(rel);
    if (members) return groupMembers(members[1]);
    const assigned = /^\/servicePrincipals\/([^/]+)\/appRoleAssignedTo$/.exec(rel);
    if (assigned) return appRoleAssignedTo(assigned[1]);
    return userAppRoleAssignments(rel) ?? adoptionCollection(rel);
}

/**
 * POST /$batch: logged once as `kind: "batch"` (a round trip, not a Graph request), then each of its
 * requests is answered by `dispatch` as if it came alone, so each is logged, throttled and denied as
 * the Graph request it is (tools/sim/README.md, "The call log").
 */
async function batch(req: Incoming, dispatch: (sub: Incoming) => Promise<Answer>, store: TenantStore): Promise<Answer> {
    let asked = 0;
    try {
        const json = await req.json();
        if (Array.isArray((json as { requests?: unknown })?.requests)) asked = (json as { requests: unknown[] }).requests.length;
        const requests = parseBatch(json);
        store.log({ kind: "batch", status: 200, requests: requests.length, via: "http" });
        // Each request carries its own headers: "To use advanced query capabilities in batch
        // requests, specify the ConsistencyLevel header in the JSON body" (aad-advanced-queries).
        const header = (r: SubRequest, name: string) => Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
        return answerBatch(requests, (r) =>
            dispatch({ method: r.method, url: `${VERSION}/${r.url.replace(/^\/+/, "")}`, authorization: req.authorization, consistencyLevel: header(r, "consistencylevel"), json: async () => r.body, inBatch: true }),
        );
    } catch (err) {
        if (err instanceof GraphError) store.log({ kind: "batch", status: err.status, requests: asked, note: err.message, via: "http" });
        throw err;
    }
}

/** The reason a request is refused, or undefined when its token is good (the expiredToken fault is spent here). */
function authenticate(header: string | undefined, token: string, store: TenantStore): { message: string; note: string } | undefined {
    const given = /^Bearer (.+)$/.exec(header ?? "")?.[1];
    if (given === undefined) return { message: "Access token is empty.", note: "no bearer token" };
    if (given !== token) return { message: "Access token validation failure. Invalid audience.", note: "wrong bearer token" };
    const expired = store.mutate((t, commit) => {
        const left = t.faults.expiredToken ?? 0;
        if (left > 0) commit({ op: "faults", faults: { ...t.faults, expiredToken: left - 1 } });
        return left > 0;
    });
    return expired ? { message: "Lifetime validation failed, the token is expired.", note: "fault: expired token" } : undefined;
}


/** POST /invitations, through the same code as the provider's invitations (tools/sim/tenant/graph.ts). */
function invite(graph: Graph, json: unknown): Answer {
    const parsed = invitationBody.safeParse(json);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `\`${i.path.join(".")}\`: ${i.message}`).join("; ");
        throw new GraphError(400, "BadRequest", `Invalid invitation: ${problems}.`);
    }
    const b = parsed.data;
    const info = b.invitedUserMessageInfo;
    const inv = graph.createInvitation({
        email: b.invitedUserEmailAddress,
        redirectUrl: b.inviteRedirectUrl,
        displayName: b.invitedUserDisplayName,
        userType: b.invitedUserType,
        sendMessage: b.sendInvitationMessage,
        message: info ? { body: info.customizedMessageBody ?? null, language: info.messageLanguage ?? null, cc: info.ccRecipients.map((r) => r.emailAddress.address) } : undefined,
    });
    return {
        status: 201,
        body: {
            id: inv.id,
            invitedUserEmailAddress: inv.invitedUserEmailAddress,
            invitedUserType: b.invitedUserType,
            inviteRedeemUrl: inv.inviteRedeemUrl,
            inviteRedirectUrl: b.inviteRedirectUrl,
            sendInvitationMessage: inv.sendInvitationMessage,
            status: "PendingAcceptance",
            invitedUser: { id: inv.invitedUserId },
        },
    };
}

function unsupported(store: TenantStore, method: string, logged: string, write: boolean): never {
    store.log({ kind: "request", method, path: logged, status: 400, write, note: "not supported by the simulated Graph", via: "http" });
    throw new GraphError(400, "BadRequest", `${method} ${logged} is not supported by the simulated Graph (tools/sim/graph-server).`);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
    let text = "";
    for await (const chunk of req) text += (chunk as Buffer).toString();
    try {
        return JSON.parse(text);
    } catch {
        throw new GraphError(400, "BadRequest", "The request body is not JSON.");
    }
}

function send(res: ServerResponse, answer: Answer): void {
    const body = answer.body === undefined ? "" : JSON.stringify(answer.body);
    res.writeHead(answer.status, { "Content-Type": "application/json", ...answer.headers });
    res.end(body);
}
