// The wire format of Microsoft Graph JSON batching (https://learn.microsoft.com/graph/json-batching):
// what GraphClient.batch sends and how it reads the answer. The retries are the client's.
import { GraphRequestError } from "./errors";

/** "JSON batch requests are currently limited to 20 individual requests" (json-batching, "Batch size limitations"). */
export const BATCH_LIMIT = 20;

/** One request of a batch, as GraphClient.get or post would send it alone. */
export interface BatchRequest {
    /** What this client sends: reads, and POSTs such as getByIds. */
    method: "GET" | "POST";
    /** Relative to the base URL, as for get: `/users`. */
    path: string;
    /** Query options by name, values unencoded, as for get. */
    query?: Record<string, string>;
    /** A JSON body, for a POST. */
    body?: unknown;
    /** Request headers Graph reads, such as `ConsistencyLevel: eventual`. */
    headers?: Record<string, string>;
}

/** One answer of a batch: "each individual response ... has a status code", its headers and body. */
export interface BatchResponse {
    id: string;
    status: number;
    headers?: Record<string, string>;
    body?: unknown;
}

/** A request as the batch body carries it; a body needs its Content-Type in `headers` (json-batching). */
export function subRequestBody(id: string, r: BatchRequest, url: string): Record<string, unknown> {
    const headers = { ...(r.headers ?? {}), ...(r.body !== undefined ? { "Content-Type": "application/json" } : {}) };
    return { id, method: r.method, url, ...(Object.keys(headers).length > 0 ? { headers } : {}), ...(r.body !== undefined ? { body: r.body } : {}) };
}

/**
 * The answers of a batch by id. Graph answers in any order ("Individual responses might appear in a
 * different order than the requests"), but every id sent exactly once; anything else is an answer
 * we cannot trust, so it throws rather than guess which request a result belongs to.
 */
export function matchResponses(answer: unknown, ids: string[]): Map<string, BatchResponse> {
    const unexpected = (graphMessage: string) => new GraphRequestError({ status: 200, code: "UnexpectedResponse", graphMessage, method: "POST", path: "/$batch" });
    const responses = (answer as { responses?: unknown } | undefined)?.responses;
    if (!Array.isArray(responses)) throw unexpected("the answer has no `responses` list");
    const wanted = new Set(ids);
    const byId = new Map<string, BatchResponse>();
    for (const r of responses as Partial<BatchResponse>[]) {
        const id = typeof r?.id === "string" ? r.id : String(r?.id);
        if (!wanted.has(id)) throw unexpected(`the answer has a response for request "${id}", which was not sent`);
        if (byId.has(id)) throw unexpected(`the answer has two responses for request "${id}"`);
        if (typeof r.status !== "number") throw unexpected(`the response for request "${id}" has no status`);
        byId.set(id, r as BatchResponse);
    }
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) throw unexpected(`the answer has no response for request ${missing.map((id) => `"${id}"`).join(", ")}`);
    return byId;
}

/** A header of a sub-response; JSON keys keep the server's spelling, HTTP names are case-insensitive. */
export function headerValue(headers: Record<string, string> | undefined, name: string): string | null {
    for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name) return String(v);
    return null;
}
