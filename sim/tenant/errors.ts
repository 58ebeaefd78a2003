/** A Graph error response: status, OData error code and message, and Retry-After on a 429. */
export class GraphError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        readonly retryAfter?: number,
    ) {
        super(message);
    }
}
