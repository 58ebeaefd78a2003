// The guard on a list's `@odata.nextLink`s: a list read page by page must end, and a next link
// that repeats, or a list longer than any tenant holds, would otherwise be followed forever.
import { GraphRequestError } from "./errors";

/**
 * The most pages one list may have. A tenant holds at most 300,000 directory objects (50,000 by
 * default, 300,000 with a verified domain: REFERENCE.md section 1), and every list this client
 * reads asks for pages of 999 or takes Graph's default page of 100 (learn.microsoft.com/graph/
 * paging), so a real list has at most 300,000 / 100 = 3,000 pages. More is a server that does
 * not stop.
 */
export const MAX_PAGES = 3000;

/** The codes of the two refusals. */
export const REPEATED_NEXT_LINK = "RepeatedNextLink";
export const TOO_MANY_PAGES = "TooManyPages";

/**
 * One list's pages as they are followed: each page's URL is given to `follow` before it is
 * requested, the first page's included, and a URL seen before or a page past `maxPages` throws.
 * `origin` is the list's first request, as errors name it.
 */
export class PageGuard {
    private readonly followed = new Set<string>();

    constructor(
        readonly origin: string,
        private readonly maxPages: number,
    ) {}

    follow(url: string): void {
        const fail = (code: string, message: string) => new GraphRequestError({ status: 200, code, graphMessage: `the next page is at ${url}`, method: "GET", path: this.origin, message });
        const key = pageKey(url);
        if (this.followed.has(key)) throw fail(REPEATED_NEXT_LINK, `Graph returned the same next page twice for GET ${this.origin}; stopping rather than looping`);
        if (this.followed.size >= this.maxPages) {
            throw fail(TOO_MANY_PAGES, `Graph returned more than ${this.maxPages.toLocaleString("en-US")} pages for GET ${this.origin}; stopping: no list of a tenant's directory objects is that long`);
        }
        this.followed.add(key);
    }
}

/**
 * A page's URL with its query decoded: the client sends `%20` and a literal `$`, Graph (and the
 * simulated Graph) may write the same query as `%24` or `+`, and both are the same page.
 */
function pageKey(url: string): string {
    try {
        const u = new URL(url);
        return `${u.origin}${decodeURIComponent(u.pathname)}?${[...u.searchParams].map(([k, v]) => `${k}=${v}`).join("&")}`;
    } catch {
        return url;
    }
}
