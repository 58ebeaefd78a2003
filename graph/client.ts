import { BATCH_LIMIT, BatchRequest, BatchResponse, headerValue, matchResponses, subRequestBody } from "./batch";
import { GraphRequestError, retryAfterSeconds } from "./errors";
import { MAX_PAGES, PageGuard } from "./paging";
import { describe, Headers, Query, relativeUrl } from "./paths";
import { MAX_TOTAL_WAIT_SECONDS, MAX_WAIT_SECONDS, WaitInfo, Waits } from "./waiting";

export { BATCH_LIMIT, BatchRequest, GraphRequestError, Headers, Query, WaitInfo };

export const GRAPH_URL = "https://graph.microsoft.com/v1.0";

/** Requests, pages and retries so far, for a progress line on long runs. */
export interface GraphProgress {
    /** Graph requests answered: each sub-request of a batch counts, as Graph counts it against throttling. */
    requests: number;
    /** `POST /$batch` round trips that carried some of those requests. */
    batches: number;
    pages: number;
    /** Requests (or sub-requests, or whole batches) answered 429 or 503 and sent again. */
    retries: number;
}

export interface GraphClientOptions {
    /** Default `https://graph.microsoft.com/v1.0`; the simulated Graph's URL in tests. */
    baseUrl?: string;
    /** A bearer token for Graph, asked for before every request (credentials cache it). */
    token: () => Promise<string>;
    /** Retries of one request (or sub-request of a batch) answered 429 or 503 before its error is thrown; default 6. */
    maxRetries?: number;
    /** How a retry waits; tests inject one that records the seconds and returns at once. */
    sleep?: (seconds: number) => Promise<void>;
    /** The longest one wait may be; a Retry-After above it fails the request at once. Default 300 s (graph/waiting.ts). */
    maxWaitSeconds?: number;
    /** The most this client waits in all, summed over every retry; past it a retry fails instead. Default 900 s. */
    maxTotalWaitSeconds?: number;
    /** Called before each wait, with what it waits for (`waitLine` words it). */
    onWait?: (info: WaitInfo) => void;
    /** The most pages one list may have before it is refused as endless. Default 3,000 (graph/paging.ts). */
    maxPages?: number;
    onProgress?: (progress: GraphProgress) => void;
}

/** Without Retry-After, 1, 2, 4 ... seconds, at most 60. */
const backoff = (attempt: number) => Math.min(60, 2 ** attempt);

const realSleep = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

/**
 * Microsoft Graph over Node's fetch, for what the azuread provider cannot do (graph/directory.ts).
 * Paths are relative to the base URL (`/users?$filter=...`, query values unencoded: they are
 * encoded here). 429 and 503 are retried after Retry-After, as Graph's throttling guidance asks
 * (learn.microsoft.com/graph/throttling), within the bounds of graph/waiting.ts; every other
 * error is thrown as a GraphRequestError.
 */
export class GraphClient {
    readonly baseUrl: string;
    private readonly progress: GraphProgress = { requests: 0, batches: 0, pages: 0, retries: 0 };
    private readonly waits: Waits;
    private readonly maxRetries: number;

    constructor(private readonly options: GraphClientOptions) {
        this.baseUrl = (options.baseUrl ?? GRAPH_URL).replace(/\/+$/, "");
        this.maxRetries = options.maxRetries ?? 6;
        const limits = { maxWaitSeconds: options.maxWaitSeconds ?? MAX_WAIT_SECONDS, maxTotalWaitSeconds: options.maxTotalWaitSeconds ?? MAX_TOTAL_WAIT_SECONDS };
        this.waits = new Waits(limits, options.sleep ?? realSleep, options.onWait);
    }

    /** `headers`: request headers Graph reads, such as `ConsistencyLevel: eventual` for an advanced query. */
    async get<T>(path: string, query: Query = {}, headers: Headers = {}): Promise<T> {
        return (await this.send("GET", this.url(path, query), describe(path, query), undefined, "requests", headers)) as T;
    }

    async delete(path: string): Promise<void> {
        await this.send("DELETE", this.url(path, {}), path);
    }

    async post<T>(path: string, body: unknown): Promise<T> {
        return (await this.send("POST", this.url(path, {}), path, body)) as T;
    }

    /**
     * Every item of a collection: the first page, then each `@odata.nextLink` until there is
     * none. A page that fails throws, so a caller never mistakes part of a list for all of it.
     */
    async getAll<T>(path: string, query: Query = {}, headers: Headers = {}): Promise<T[]> {
        return this.pagesFrom<T>(this.url(path, query), [], this.guard(describe(path, query)), headers);
    }

    /**
     * Up to 20 requests in one `POST /$batch` (Microsoft Graph JSON batching,
     * https://learn.microsoft.com/graph/json-batching): each request's body, in the order asked,
     * whatever the order Graph answers in (it matches them by `id`). A sub-request answered 429 or
     * 503 is sent again in a later batch of those alone, after the longest of their Retry-After
     * headers (else the backoff), up to maxRetries each, while the others' answers are kept
     * ("Requests in a batch are evaluated individually against the applicable throttling limits",
     * json-batching, "Batch size limitations"); a Retry-After past the bounds fails at once, naming
     * the sub-request it was for (graph/waiting.ts). Any other failed sub-request throws the
     * GraphRequestError its request would have thrown alone; a whole batch answered 429 or 503 is
     * retried as any request is.
     */
    async batch(requests: BatchRequest[]): Promise<unknown[]> {
        if (requests.length > BATCH_LIMIT) throw new Error(`GraphClient.batch: at most ${BATCH_LIMIT} requests a batch (got ${requests.length})`);
        const bodies: unknown[] = new Array(requests.length);
        const attempts: number[] = requests.map(() => 0);
        let pending = requests.map((_, i) => i);
        while (pending.length > 0) {
            const sent = { requests: pending.map((i) => subRequestBody(String(i + 1), requests[i], relativeUrl(requests[i].path, requests[i].query ?? {}))) };
            const answer = await this.send("POST", `${this.baseUrl}/$batch`, "/$batch", sent, "batches");
            const answered = matchResponses(answer, pending.map((i) => String(i + 1)));
            const throttled: number[] = [];
            // The longest wait of the throttled sub-requests, which all wait it out together.
            let longest: { wait: WaitInfo; answer: GraphRequestError } | undefined;
            for (const i of pending) {
                const r = answered.get(String(i + 1)) as BatchResponse;
                const req = requests[i];
                this.progress.requests++;
                if (r.status >= 200 && r.status < 300) {
                    bodies[i] = r.body;
                    continue;
                }
                const text = r.body === undefined ? "" : typeof r.body === "string" ? r.body : JSON.stringify(r.body);
                const answer = GraphRequestError.fromResponse(r.status, text, req.method, describe(req.path, req.query ?? {}));
                if ((r.status === 429 || r.status === 503) && attempts[i] < this.maxRetries) {
                    this.progress.retries++;
                    attempts[i]++;
                    throttled.push(i);
                    const wait = this.waitFor(r.status, headerValue(r.headers, "retry-after"), attempts[i], answer);
                    if (longest === undefined || wait.seconds > longest.wait.seconds) longest = { wait, answer };
                } else {
                    this.report();
                    throw answer;
                }
            }
            this.report();
            pending = throttled;
            if (longest) await this.waits.wait({ ...longest.wait, attempt: Math.max(...throttled.map((i) => attempts[i])), alongside: throttled.length - 1 }, longest.answer);
        }
        return bodies;
    }

    /**
     * Every item of each collection, as getAll reads it, the first pages asked in one batch (at
     * most 20 lists): a first page that has an `@odata.nextLink` has its further pages read as
     * getAll reads them, so no list is cut short.
     */
    async getAllBatched<T>(lists: { path: string; query?: Query; headers?: Headers }[]): Promise<T[][]> {
        const firsts = await this.batch(lists.map((l) => ({ method: "GET", path: l.path, query: l.query, headers: l.headers })));
        return Promise.all(
            firsts.map((page, i) => {
                const guard = this.guard(describe(lists[i].path, lists[i].query ?? {}));
                guard.follow(this.url(lists[i].path, lists[i].query ?? {}));
                const items: T[] = [];
                const next = this.takePage(page, items, guard.origin, guard.origin);
                return next === undefined ? items : this.pagesFrom(next, items, guard, lists[i].headers);
            }),
        );
    }

    /** The pages from `url` on, appended to `items`; the guard refuses a page seen before, and a list without end. */
    private async pagesFrom<T>(first: string, items: T[], guard: PageGuard, headers: Headers = {}): Promise<T[]> {
        let url: string | undefined = first;
        while (url !== undefined) {
            guard.follow(url);
            const page = await this.send("GET", url, this.relative(url), undefined, "requests", headers);
            url = this.takePage(page, items, this.relative(url), guard.origin);
        }
        return items;
    }

    private guard(origin: string): PageGuard {
        return new PageGuard(origin, this.options.maxPages ?? MAX_PAGES);
    }

    /** The wait before retry `attempt` (1 for the first): Graph's Retry-After, else the backoff. */
    private waitFor(status: 429 | 503, header: string | null, attempt: number, answer: GraphRequestError): WaitInfo {
        const asked = retryAfterSeconds(header, Date.now());
        return { seconds: asked ?? backoff(attempt - 1), from: asked === undefined ? "backoff" : "Retry-After", status, method: answer.method, path: answer.path, attempt, maxRetries: this.maxRetries, alongside: 0 };
    }

    /** One page's items appended to `items`; its next link, checked to stay on this Graph. */
    private takePage<T>(page: unknown, items: T[], path: string, origin: string): string | undefined {
        const p = page as { value?: T[]; "@odata.nextLink"?: string } | undefined;
        if (!Array.isArray(p?.value)) throw new GraphRequestError({ status: 200, code: "UnexpectedResponse", graphMessage: "the answer has no `value` list", method: "GET", path });
        items.push(...p.value);
        this.progress.pages++;
        this.report();
        const next = p["@odata.nextLink"];
        // The bearer token goes only where the first request went.
        if (next !== undefined && !next.startsWith(`${this.baseUrl}/`)) {
            throw new GraphRequestError({ status: 200, code: "UnexpectedNextLink", graphMessage: `the next page is at ${next}, outside ${this.baseUrl}`, method: "GET", path: origin });
        }
        return next;
    }

    /** One HTTP request, retried on 429 and 503; counted as a request, or as a batch (whose sub-requests batch() counts). */
    private async send(method: string, url: string, path: string, body?: unknown, counter: "requests" | "batches" = "requests", extra: Headers = {}): Promise<unknown> {
        for (let attempt = 0; ; attempt++) {
            const token = await this.options.token();
            let res: Response;
            try {
                res = await fetch(url, {
                    method,
                    headers: { ...extra, Authorization: `Bearer ${token}`, Accept: "application/json", ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
                    body: body !== undefined ? JSON.stringify(body) : undefined,
                });
            } catch (err) {
                const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
                throw new GraphRequestError({ status: 0, code: "NetworkError", graphMessage: `could not reach ${this.baseUrl} (${cause})`, method, path });
            }
            this.progress[counter]++;
            const text = await res.text();
            if (res.ok) {
                this.report();
                return text === "" ? undefined : JSON.parse(text);
            }
            const answer = GraphRequestError.fromResponse(res.status, text, method, path);
            if ((res.status === 429 || res.status === 503) && attempt < this.maxRetries) {
                this.progress.retries++;
                this.report();
                await this.waits.wait(this.waitFor(res.status, res.headers.get("retry-after"), attempt + 1, answer), answer);
                continue;
            }
            this.report();
            throw answer;
        }
    }

    private url(path: string, query: Query): string {
        return `${this.baseUrl}${relativeUrl(path, query)}`;
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
