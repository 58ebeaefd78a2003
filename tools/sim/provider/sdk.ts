import { GraphError } from "../tenant/graph";
import { TenantStore } from "../tenant/store";

/**
 * What the real provider's Graph client and Terraform plugin SDK add around each Graph call:
 * retries, backoff, Retry-After, the 5-minute operation deadline, the consistency polls and
 * the error wording. Sources are terraform-provider-azuread v3.8.0 (what pulumi-azuread 6.9.1
 * bridges) and the modules it vendors, cited as `path:line`.
 */

/** Every resource operation and data source read has a 5-minute timeout (e.g. invitation_resource.go:35-39). */
const OPERATION_SECONDS = 300;

const STATUS_TEXT: Record<number, string> = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    409: "Conflict",
    424: "Failed Dependency",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
};

/**
 * One provider operation (a create, a read, a delete, an invoke): its clock, in the provider's
 * real seconds, runs against the 5-minute deadline; sleeps are real but scaled.
 */
export class Operation {
    elapsed = 0;
    /** The lock this operation holds, whose queue its sleeps keep waiting. */
    holding?: { locks: Locks; key: string };

    constructor(
        private readonly store: TenantStore,
        private readonly scale: number,
    ) {}

    remaining(): number {
        return OPERATION_SECONDS - this.elapsed;
    }

    /** Sleeps `seconds` of provider time (scaled), and logs it so a benchmark can add real time up. */
    async sleep(seconds: number, reason: string): Promise<void> {
        this.elapsed += seconds;
        if (this.holding) this.holding.locks.advance(this.holding.key, seconds);
        this.store.log({ kind: "sleep", seconds, reason });
        await new Promise((r) => setTimeout(r, seconds * 1000 * this.scale));
    }

    /**
     * One Graph request with the SDK's retries (vendor/github.com/hashicorp/go-azure-sdk/sdk/client/client.go:447-486):
     * 429, 408, 424 and 5xx but 501 always, plus the caller's own rule; the wait is Retry-After
     * when given, else 1, 2, 4 ... 61 s (client.go:674-700); the number of retries comes from the
     * time left before the deadline (client.go:709-724). When they run out, the last error stands.
     */
    async call<T>(request: () => T, retryOn?: (e: GraphError) => boolean): Promise<T> {
        const retryMax = safeRetryNumber(this.remaining());
        for (let attempt = 0; ; attempt++) {
            // The operation's context: past its 5 minutes (waiting for a lock counts), a request fails at once.
            if (this.remaining() <= 0) throw new Error("context deadline exceeded");
            try {
                return request();
            } catch (err) {
                if (!(err instanceof GraphError)) throw err;
                const retryable = [408, 424, 429].includes(err.status) || (err.status >= 500 && err.status !== 501) || (retryOn?.(err) ?? false);
                if (!retryable || attempt >= retryMax) throw new SdkError(err);
                await this.sleep(err.retryAfter ?? Math.min(2 ** attempt, 61), `retry after ${err.status}`);
            }
        }
    }

    /**
     * consistency.WaitForUpdate / WaitForDeletion (internal/helpers/consistency/consistency.go:17-84):
     * a StateChangeConf that needs 5 consecutive target results, polling at least 5 s and at most
     * 10 s apart, the first poll at once (vendor/.../terraform-plugin-sdk/v2/helper/retry/state.go:95-201).
     */
    async waitFor(target: string, pending: string, poll: () => Promise<boolean>): Promise<void> {
        let wait = 0;
        let streak = 0;
        for (;;) {
            if (wait > 0) {
                if (wait > this.remaining()) {
                    throw new Error(`timeout while waiting for state to become '${target}' (last state: '${streak > 0 ? target : pending}', timeout: 5m0s)`);
                }
                await this.sleep(wait, `waiting for '${target}'`);
            }
            if (await poll()) {
                if (++streak >= 5) return;
            } else {
                streak = 0;
            }
            wait = wait === 0 ? 0.1 : wait;
            if (streak === 0) wait *= 2;
            wait = Math.min(Math.max(wait, 5), 10);
        }
    }
}

/** client.go:709-724 */
function safeRetryNumber(seconds: number): number {
    if (seconds <= 0) return 0;
    return seconds <= 63 ? Math.floor(Math.log2(seconds + 1)) - 1 : Math.floor((seconds - 63) / 61) + 6;
}

/** The SDK's text for an unexpected status with an OData error (client.go:527-577, odata/errors.go:105-119). */
export class SdkError extends Error {
    constructor(readonly graph: GraphError) {
        super(`unexpected status ${graph.status} (${graph.status} ${STATUS_TEXT[graph.status] ?? ""}) with error: ${graph.code}: ${graph.message}`);
    }
}

/** A Terraform diagnostic: the bridge prints `[path] Summary: Detail` (bridge pkg/tfshim/diagnostics/error.go:25-52). */
export interface Diagnostic {
    summary: string;
    detail?: string;
    path?: string;
}

export function diag(summary: string, cause?: unknown, path?: string): Diagnostic {
    const detail = cause === undefined ? undefined : cause instanceof Error ? cause.message : String(cause);
    return { summary, detail, path };
}

/** The bridge's error text: diagnostics joined by hashicorp/go-multierror (bridge sdk-v2/diagnostics.go:32-40). */
export function multierror(diags: Diagnostic[]): string {
    const items = diags.map((d) => `\t* ${d.path ? `[${d.path}] ` : ""}${d.summary}${d.detail ? `: ${d.detail}` : ""}`);
    const head = diags.length === 1 ? "1 error occurred:" : `${diags.length} errors occurred:`;
    return `${head}\n${items.join("\n")}\n\n`;
}

/** A failed Terraform operation, as the bridge reports it. */
export class DiagnosticsError extends Error {
    /** main.ts keeps the provider server from logging these with a stack: the bridge does not. */
    override name = "ProviderError";

    constructor(readonly diags: Diagnostic[]) {
        super(multierror(diags));
    }
}

/**
 * An error after the ID was set: the bridge reports a partial failure, `creating <urn>: …` from
 * Create (bridge pkg/tfbridge/provider.go:1352-1354, 1390-1392) or `updating <urn>: …` from
 * Update (1733-1735, 1770-1772), and the engine keeps the resource in state with its init error.
 */
export function partialFailure(urn: string, id: string, properties: unknown, err: DiagnosticsError, verb: "creating" | "updating" = "creating"): Error {
    const reason = `${verb} ${urn}: ${err.message}`;
    return Object.assign(new DiagnosticsError(err.diags), { message: reason, id, properties, reasons: [reason] });
}

/** Go's %q for the plain strings used here. */
export function quote(s: string): string {
    return JSON.stringify(s);
}

/**
 * Serialises operations on one key, like the provider's tf.LockByName (internal/helpers/tf/locks.go:57-63),
 * a mutex that ignores the operation's context. The 5-minute timeout starts before the lock is
 * taken (vendor/.../terraform-plugin-sdk/v2/helper/schema/resource.go:847-898), so the provider
 * time that the holders before it spent (their sleeps) is added to a waiting operation's clock.
 */
export class Locks {
    private readonly tails = new Map<string, Promise<void>>();
    private readonly clocks = new Map<string, number>();

    async with<T>(key: string, op: Operation, work: () => Promise<T>): Promise<T> {
        const queuedAt = this.clocks.get(key) ?? 0;
        const before = this.tails.get(key) ?? Promise.resolve();
        let release!: () => void;
        const mine = new Promise<void>((r) => (release = r));
        const tail = before.then(() => mine);
        this.tails.set(key, tail);
        await before;
        op.elapsed += (this.clocks.get(key) ?? 0) - queuedAt;
        op.holding = { locks: this, key };
        try {
            return await work();
        } finally {
            op.holding = undefined;
            release();
            if (this.tails.get(key) === tail) this.tails.delete(key);
        }
    }

    /** Provider seconds spent by the holder of `key`. */
    advance(key: string, seconds: number): void {
        this.clocks.set(key, (this.clocks.get(key) ?? 0) + seconds);
    }
}
