// `entra-guests status` (issue 15): what became of each declared guest, read from Microsoft
// Graph, and the tenant's guests that no file declares.
import { parseArgs } from "util";
import { chooseCredential, GraphClient, graphClientFromEnvironment, GraphProgress, GraphRequestError, readTenantGuests, TenantGuests, WaitInfo, waitLine } from "../../../graph";
import { Roster } from "../../../roster";
import { today } from "../../../roster/rules/guardrails";
import { oneOf, UsageError } from "../../shell/errors";
import { forTerminal } from "../../../text/escape";
import type { Io } from "../../main";
import { rosterFor } from "../../main";
import { problemLine } from "../../shell/output";
import { projectFolder } from "../../shell/project-config";
import { readManagedGuests } from "./stack-managed";
import { renderStatus, StatusFormat } from "./output";
import { buildStatus, parseDays, StatusFilters } from "../../shell/guest-status";

/** Exit codes of status and resend: 0 a report (whatever it says), 1 invalid guest files or Graph failed, 2 usage. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Pages of 999 before a progress line is worth printing where stderr is no terminal (a CI log). */
export const PROGRESS_EVERY = 10;

export async function status(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
            format: { type: "string", default: "text" },
            stack: { type: "string" },
            "as-of": { type: "string" },
            "pending-for": { type: "string" },
            "inactive-for": { type: "string" },
            unmanaged: { type: "boolean" },
        },
    });
    const format = oneOf(values.format, ["text", "json", "markdown", "csv"] as const, "--format");
    const filters: StatusFilters = { pendingFor: days(values["pending-for"], "--pending-for"), inactiveFor: days(values["inactive-for"], "--inactive-for"), unmanaged: values.unmanaged === true };
    const loaded = await declaredGuests(positionals, values.stack, values["as-of"], io);
    if (typeof loaded === "number") return loaded;
    const { roster, asOf } = loaded;
    return withGraph(io, async (graph) => {
        const tenant = await readTenantGuests(graph, [...roster.guests, ...roster.expired].map((g) => g.email));
        if (filters.inactiveFor !== undefined && !tenant.signIn.available) {
            io.stderr.write(`entra-guests: --inactive-for needs the guests' last sign-in, which is ${forTerminal(tenant.signIn.reason)}\n`);
            return EXIT.failed;
        }
        const managed = await readManagedGuests(values.stack, projectFolder(io.cwd), io.env ?? process.env);
        const report = buildStatus({ guests: roster.guests, expired: roster.expired, ...tenantParts(tenant), managed, asOf, filters });
        io.stdout.write(renderStatus(report, format as StatusFormat));
        return EXIT.ok;
    });
}

const tenantParts = (t: TenantGuests) => ({ tenantGuests: t.guests, identities: t.identities, others: t.others, signIn: t.signIn });

/** `14d` as a number of days; a usage error naming the flag otherwise. */
export function days(value: string | undefined, flag: string): number | undefined {
    if (value === undefined) return undefined;
    const n = parseDays(value);
    if (n === undefined) throw new UsageError(`${flag} must be a number of days like 14d (got "${value}")`);
    return n;
}

/**
 * The roster and the date it is judged on; an exit code when the files have errors (printed to
 * stderr, one line each: a report on a roster with errors would be about the wrong guests).
 */
export async function declaredGuests(paths: string[], stack: string | undefined, asOf: string | undefined, io: Io): Promise<{ roster: Roster; asOf: string } | number> {
    const loaded = await rosterFor(paths, stack, asOf, io);
    if (typeof loaded === "number") return loaded;
    const { roster, settings } = loaded;
    if (roster.errors.length > 0) {
        for (const p of roster.errors) io.stderr.write(`${problemLine(p)}\n`);
        io.stderr.write(`entra-guests: the guest files have errors; fix them (\`npx entra-guests validate\`) and run again\n`);
        return EXIT.failed;
    }
    return { roster, asOf: asOf || settings.asOf || today() };
}

/**
 * Runs `fn` with the Graph client of this environment (graph/credentials.ts). A refused or failed
 * Graph call, or a sign-in the environment cannot make, is one line on stderr and exit 1: Graph's
 * code and message and the hint (the permission to grant, or how to sign in again), no stack. So
 * is a wait Graph asks for past the client's bounds (graph/waiting.ts); every wait within them is
 * a line on stderr first, so a throttled run never sits silent.
 */
export async function withGraph(io: Io, fn: (graph: GraphClient) => Promise<number>): Promise<number> {
    const env = io.env ?? process.env;
    try {
        chooseCredential(env);
    } catch (err) {
        io.stderr.write(`entra-guests: cannot sign in to Microsoft Graph: ${forTerminal((err as Error).message)}\n`);
        return EXIT.failed;
    }
    const progress = progressLine(io);
    try {
        return await fn(graphClientFromEnvironment(env, { sleep: io.sleep, onProgress: progress.report, onWait: waitReporter(io, progress.end) }));
    } catch (err) {
        if (!(err instanceof GraphRequestError) && !isCredentialError(err)) throw err;
        progress.end();
        io.stderr.write(`entra-guests: ${forTerminal((err as Error).message.split("\n")[0])}\n`);
        return EXIT.failed;
    } finally {
        progress.end();
    }
}

/** Each wait as a line on stderr, after ending an open progress line: "entra-guests: waiting 30 s: Graph throttled …". */
export function waitReporter(io: Io, endProgress: () => void = () => {}): (info: WaitInfo) => void {
    return (info) => {
        endProgress();
        io.stderr.write(`entra-guests: ${forTerminal(waitLine(info))}\n`);
    };
}

/** @azure/identity's failures to get a token (`az login` missing, a bad secret): same one line. */
function isCredentialError(err: unknown): boolean {
    const name = (err as { name?: string })?.name ?? "";
    return name === "CredentialUnavailableError" || name === "AuthenticationError" || name === "AggregateAuthenticationError";
}

/**
 * Where stderr is a terminal, one line rewritten in place as pages arrive; elsewhere (a CI log,
 * a test) a line every PROGRESS_EVERY pages, so small runs print nothing.
 */
function progressLine(io: Io): { report: (p: GraphProgress) => void; end: () => void } {
    const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
    let shown = 0;
    let open = false;
    const text = (p: GraphProgress) => `entra-guests: read ${p.pages} pages from Graph (${p.requests} requests${p.retries ? `, ${p.retries} throttled and retried` : ""})`;
    return {
        report: (p) => {
            if (p.pages === shown) return;
            shown = p.pages;
            if (tty) {
                io.stderr.write(`\r${text(p)}`);
                open = true;
            } else if (p.pages % PROGRESS_EVERY === 0) io.stderr.write(`${text(p)}\n`);
        },
        end: () => {
            if (open) io.stderr.write("\n");
            open = false;
        },
    };
}
