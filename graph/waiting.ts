// How long the Graph client waits before a retry, and when it refuses to. Graph answers 429 (and
// 503) with a Retry-After that a client must bound: a header can say a day (REFERENCE.md section
// 1), and an unbounded client would sleep that day without a word.
import { GraphRequestError } from "./errors";

/**
 * The longest single wait, in seconds. Graph's throttling windows run from 10 s (reads, counted
 * in resource units per 10 s) to 5 minutes (identity writes: 35,000 per 5 min per app, 18,000
 * per 5 min per tenant) (learn.microsoft.com/graph/throttling-limits), and Retry-After is what is
 * left of such a window, so an honest one is at most 300 s. A longer one is no throttling a run
 * can wait out: the request fails at once and says what Graph asked.
 */
export const MAX_WAIT_SECONDS = 300;

/**
 * The most one client waits in all, in seconds: the sum of its sleeps, concurrent ones included.
 * Three of the longest windows (15 minutes), or some 90 waits of a 10-second read window: far
 * more than a throttled run needs to get through, far less than the hours that 6 retries of
 * 300 s for each of many requests would allow. Past it, a run is better stopped and started
 * again later than left holding a terminal or a CI job.
 */
export const MAX_TOTAL_WAIT_SECONDS = 900;

/** Codes of the GraphRequestErrors thrown instead of waiting; their status is Graph's 429 or 503. */
export const WAIT_TOO_LONG = "RetryAfterTooLong";
export const WAIT_BUDGET_SPENT = "WaitBudgetSpent";

/** A wait about to start, for one line of output: what is waited for, how long, and why. */
export interface WaitInfo {
    seconds: number;
    /** Where `seconds` comes from: Graph's Retry-After header, or the client's backoff when Graph gave none. */
    from: "Retry-After" | "backoff";
    /** Graph's answer: 429 throttled, 503 unavailable. */
    status: 429 | 503;
    method: string;
    /** As errors name the call: relative to the base URL, query decoded. */
    path: string;
    /** This retry's number, 1 for the first; at most `maxRetries`. */
    attempt: number;
    maxRetries: number;
    /** Other requests of the same `POST /$batch` that wait with this one; 0 for a request alone. */
    alongside: number;
}

export interface WaitLimits {
    maxWaitSeconds: number;
    maxTotalWaitSeconds: number;
}

/** Paths longer than this are cut in a wait line (errors keep them whole). */
const SHOWN_PATH = 100;

/** "waiting 30 s: Graph throttled GET /users?$filter=… (retry 2 of 6)". */
export function waitLine(w: WaitInfo): string {
    const path = w.path.length > SHOWN_PATH ? `${w.path.slice(0, SHOWN_PATH)}…` : w.path;
    const why = w.status === 429 ? "Graph throttled" : "Graph was unavailable (503) for";
    const others = w.alongside === 0 ? "" : ` and ${w.alongside} other request${w.alongside === 1 ? "" : "s"} of its batch`;
    return `waiting ${w.seconds} s: ${why} ${w.method} ${path}${others} (retry ${w.attempt} of ${w.maxRetries})`;
}

/**
 * The waits of one GraphClient: each checked against the limits, announced, then slept. The
 * total is counted when a wait starts, so concurrent requests share one budget.
 */
export class Waits {
    private spent = 0;

    constructor(
        private readonly limits: WaitLimits,
        private readonly sleep: (seconds: number) => Promise<void>,
        private readonly onWait?: (info: WaitInfo) => void,
    ) {}

    /**
     * Sleeps `w.seconds`, or throws instead when that is more than one wait may be or than the
     * budget has left. `answer` is the error Graph's answer would throw, for its words.
     */
    async wait(w: WaitInfo, answer: GraphRequestError): Promise<void> {
        const asked = w.from === "Retry-After" ? `Graph asked to wait ${w.seconds} s (Retry-After) before ${w.method} ${w.path}` : `Graph answered ${w.status} to ${w.method} ${w.path} and the next retry would wait ${w.seconds} s`;
        const refuse = (code: string, limit: string) => new GraphRequestError({ status: answer.status, code, graphMessage: answer.graphMessage, method: w.method, path: w.path, message: `${asked}; ${limit}; try again later` });
        if (w.seconds > this.limits.maxWaitSeconds) throw refuse(WAIT_TOO_LONG, `entra-guests waits at most ${this.limits.maxWaitSeconds} s at a time`);
        if (this.spent + w.seconds > this.limits.maxTotalWaitSeconds) {
            throw refuse(WAIT_BUDGET_SPENT, `entra-guests has waited ${this.spent} s for Graph already and waits at most ${this.limits.maxTotalWaitSeconds} s in all`);
        }
        this.spent += w.seconds;
        this.onWait?.(w);
        await this.sleep(w.seconds);
    }
}
