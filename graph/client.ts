import { GraphRequestError, retryAfterSeconds } from "./errors";

export { GraphRequestError };

export const GRAPH_URL = "https://graph.microsoft.com/v1.0";

/** Requests, pages and retries so far, for a progress line on long runs. */
export interface GraphProgress {
    requests: number;
    pages: number;
    retries: number;
}

export interface GraphClientOptions {
    /** Default `https://graph.microsoft.com/v1.0`; the simulated Graph's URL in tests. */
    baseUrl?: string;
    /** A bearer token for Graph, asked for before every request (credentials cache it). */
    token: () => Promise<string>;
    /** Retries of one request answered 429 or 503 before its error is thrown; default 6. */
    maxRetries?: number;
    /** How a retry waits; tests inject one that records the seconds and returns at once. */
    sleep?: (seconds: number) => Promise<void>;
    onProgress?: (progress: GraphProgress) => void;
}

/** Without Retry-After, 1, 2, 4 ... seconds, at most 60. */
const backoff = (attempt: number) => Math.min(60, 2 ** attempt);

const realSleep = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

/**
 * Microsoft Graph over Node's fetch, for what the azuread provider cannot do (graph/directory.ts).
 * Paths are relative to the base URL (`/users?$filter=...`, query values unencoded: they are
 * encoded here). 429 and 503 are retried after Retry-After, as Graph's throttling guidance asks
 * (learn.microsoft.com/graph/throttling); every other error is thrown as a GraphRequestError.
 */
export class GraphClient {
    readonly baseUrl: string;
    private readonly progress: GraphProgress = { requests: 0, pages: 0, retries: 0 };

    constructor(private readonly options: GraphClientOptions) {
        this.baseUrl = (options.baseUrl ?? GRAPH_URL).replace(/\/+$/, "");
    }

    async get<T>(path: string, query: Query = {}): Promise<T> {
        return (await this.send("GET", this.url(path, query), describe(path, query))) as T;
    }

    async post<T>(path: string, body: unknown): Promise<T> {
        return (await this.send("POST", this.url(path, {}), path, body)) as T;
    }

    /**
     * Every item of a collection: the first page, then each `@odata.nextLink` until there is
     * none. A page that fails throws, so a caller never mistakes part of a list for all of it.
     */
    async getAll<T>(path: string, query: Query = {}): Promise<T[]> {
        const items: T[] = [];
        let url: string | undefined = this.url(path, query);
        while (url !== undefined) {
            const page = (await this.send("GET", url, this.relative(url))) as { value?: T[]; "@odata.nextLink"?: string };
            if (!Array.isArray(page.value)) throw new GraphRequestError({ status: 200, code: "UnexpectedResponse", graphMessage: "the answer has no `value` list", method: "GET", path: this.relative(url) });
            items.push(...page.value);
            this.progress.pages++;
            this.report();
            url = page["@odata.nextLink"];
            // The bearer token goes only where the first request went.
            if (url !== undefined && !url.startsWith(`${this.baseUrl}/`)) {
                throw new GraphRequestError({ status: 200, code: "UnexpectedNextLink", graphMessage: `the next page is at ${url}, outside ${this.baseUrl}`, method: "GET", path: describe(path, query) });
            }
        }
        return items;
    }

    private async send(method: string, url: string, path: string, body?: unknown): Promise<unknown> {
        const maxRetries = this.options.maxRetries ?? 6;
        const sleep = this.options.sleep ?? realSleep;
        for (let attempt = 0; ; attempt++) {
            const token = await this.options.token();
            let res: Response;
            try {
                res = await fetch(url, {
                    method,
                    headers: { Authorization: `Bearer ${token}`, Accept: "application/json", ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
                    body: body !== undefined ? JSON.stringify(body) : undefined,
                });
            } catch (err) {
                const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
                throw new GraphRequestError({ status: 0, code: "NetworkError", graphMessage: `could not reach ${this.baseUrl} (${cause})`, method, path });
            }
            this.progress.requests++;
            const text = await res.text();
            if (res.ok) {
                this.report();
                return text === "" ? undefined : JSON.parse(text);
            }
            if ((res.status === 429 || res.status === 503) && attempt < maxRetries) {
                this.progress.retries++;
                this.report();
                await sleep(retryAfterSeconds(res.headers.get("retry-after"), Date.now()) ?? backoff(attempt));
                continue;
            }
            this.report();
            throw GraphRequestError.fromResponse(res.status, text, method, path);
        }
    }

    private url(path: string, query: Query): string {
        const pairs = Object.entries(query).map(([k, v]) => `${k}=${encodeValue(v)}`);
        return `${this.baseUrl}${path}${pairs.length ? `?${pairs.join("&")}` : ""}`;
    }

    /** The path of a next link, for errors and hints: the base URL off, the query decoded. */
    private relative(url: string): string {
        const rest = url.startsWith(this.baseUrl) ? url.slice(this.baseUrl.length) : url;
        try {
            return decodeURIComponent(rest);
        } catch {
            return rest;
        }
    }

    private report(): void {
        this.options.onProgress?.({ ...this.progress });
    }
}

/** Query options by name, values unencoded: `{ $filter: "userType eq 'Guest'", $top: "999" }`. */
export type Query = Record<string, string>;

/** Graph's OData parser wants spaces as %20, not +; `$` and `,` may stay as they are, for readable logs. */
function encodeValue(v: string): string {
    return encodeURIComponent(v).replace(/%24/g, "$").replace(/%2C/g, ",");
}

/** The call as errors name it: the path and its query, decoded. */
function describe(path: string, query: Query): string {
    const pairs = Object.entries(query).map(([k, v]) => `${k}=${v}`);
    return pairs.length ? `${path}?${pairs.join("&")}` : path;
}
