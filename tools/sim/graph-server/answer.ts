import { GraphError } from "../tenant/errors";

/** What the simulated Graph answers one request with: over HTTP, or as one response of a batch. */
export interface Answer {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
}

/** Graph's error body: `{ "error": { "code", "message", "innerError" } }`, and Retry-After on a 429. */
export function errorAnswer(err: unknown): Answer {
    const e = err instanceof GraphError ? err : new GraphError(500, "InternalServerError", `The simulated Graph failed: ${(err as Error).message ?? String(err)}`);
    return {
        status: e.status,
        body: { error: { code: e.code, message: e.message, innerError: { date: new Date().toISOString(), "request-id": "00000000-0000-0000-0000-000000000000" } } },
        headers: e.retryAfter !== undefined ? { "Retry-After": String(e.retryAfter) } : {},
    };
}
