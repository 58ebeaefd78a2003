// Microsoft Graph for the commands that read it (status, resend, adopt): the sign-in, one line
// per wait, a progress line, and every Graph failure as one line and exit 1.
import { chooseCredential, GraphClient, graphClientFromEnvironment, GraphProgress, GraphRequestError, WaitInfo, waitLine } from "../../graph";
import { forTerminal } from "../../text/escape";
import { EXIT, Io } from "./io";

/** Pages of 999 before a progress line is worth printing where stderr is no terminal (a CI log). */
export const PROGRESS_EVERY = 10;

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
