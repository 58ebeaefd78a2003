/** A Graph error response: status, OData error code and message, and Retry-After on a 429. */
export class GraphError extends Error {
    /** Said in the call log when a fault made this answer (`note: "fault: …"`). */
    note?: string;

    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        readonly retryAfter?: number,
    ) {
        super(message);
    }
}
