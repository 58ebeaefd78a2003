// `entra-guests resend`: the invitation mail again for declared guests who have not
// redeemed it, or with --reset a new redemption for guests who lost their home account. A dry run
// unless --yes; one line per guest either way.
import { parseArgs } from "util";
import { GraphRequestError, readTenantGuests, sendInvitation, WAIT_BUDGET_SPENT, WAIT_TOO_LONG } from "../../../graph";
import { Guest, plural } from "../../../roster";
import { forTerminal } from "../../../text/escape";
import { withGraph } from "../../shell/graph";
import { buildStatus, days, pendingDays, StatusRow } from "../../shell/guest-status";
import { EXIT, Io } from "../../shell/io";
import { declaredGuests } from "../../shell/roster";

export async function resend(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { stack: { type: "string" }, "as-of": { type: "string" }, "pending-for": { type: "string" }, reset: { type: "boolean" }, yes: { type: "boolean" }, email: { type: "string", multiple: true } },
    });
    // --email picks guests by address, normalised as the roster does. With --reset it may pick a
    // guest who accepted and then lost their home account: the case a reset is for.
    const named = values.email === undefined ? undefined : new Set(values.email.map((e) => e.trim().normalize("NFC").toLowerCase()));
    const pendingFor = days(values["pending-for"], "--pending-for");
    const reset = values.reset === true;
    const loaded = await declaredGuests(positionals, values.stack, values["as-of"], io);
    if (typeof loaded === "number") return loaded;
    const { roster, asOf } = loaded;
    const guests = new Map(roster.guests.map((g) => [g.email, g]));
    return withGraph(io, async (graph) => {
        const tenant = await readTenantGuests(graph, roster.guests.map((g) => g.email), { signInActivity: false });
        // Expired guests are left out: the next `pulumi up` removes them, no mail should invite them back.
        const report = buildStatus({ guests: roster.guests, expired: [], tenantGuests: tenant.guests, identities: tenant.identities, others: tenant.others, signIn: tenant.signIn, managed: { known: false, reason: "not read" }, asOf, filters: { pendingFor } });
        if (named) {
            const unknown = [...named].filter((e) => !guests.has(e));
            if (unknown.length > 0) {
                io.stderr.write(`entra-guests: --email ${unknown.map(forTerminal).join(", ")}: not declared in the guest files read; resend only reaches declared guests\n`);
                return EXIT.failed;
            }
        }
        const eligible = (r: StatusRow) => r.state === "pending" || (reset && named !== undefined && r.state === "accepted");
        const chosen = report.rows.filter((r) => r.kind === "declared" && eligible(r) && (named === undefined || named.has(r.email)));
        // Graph's invitation would hand back one of several users an address names, unknown which: no mail.
        for (const r of report.rows.filter((x) => x.state === "ambiguous" && (named === undefined || named.has(x.email)))) {
            io.stderr.write(`entra-guests: ${forTerminal(r.email)} names ${plural(r.matches?.length ?? 0, "user")} (${(r.matches ?? []).join(", ")}); no invitation is sent to it until one user has the address (docs/identity.md)\n`);
        }
        const what = reset ? "reset the redemption and send the invitation again to" : "send the invitation again to";
        if (values.yes !== true) {
            for (const r of chosen) io.stdout.write(`would ${reset ? "reset and send" : "send"}: ${forTerminal(r.email)} (${waited(r, asOf)})\n`);
            const noun = named && reset ? "guest" : "pending guest";
            io.stdout.write(`${chosen.length === 0 ? `no ${noun} matches` : `would ${what} ${plural(chosen.length, noun)}`}${pendingFor !== undefined ? ` (--pending-for ${pendingFor}d, as of ${asOf})` : ` (as of ${asOf})`}; nothing was sent${chosen.length > 0 ? ", add --yes to send" : ""}\n`);
            return EXIT.ok;
        }
        let sent = 0;
        let failed = 0;
        for (const r of chosen) {
            try {
                await sendInvitation(graph, reinvitation(guests.get(r.email)!, reset ? (r.userId ?? undefined) : undefined));
                sent++;
                io.stdout.write(`sent: ${forTerminal(r.email)}\n`);
            } catch (err) {
                if (!(err instanceof GraphRequestError)) throw err;
                failed++;
                io.stdout.write(`failed: ${forTerminal(r.email)}: ${forTerminal(err.message)}\n`);
                // A refused token or permission refuses every other guest too, and so does a throttle
                // longer than the client waits (graph/waiting.ts): stop at the first.
                if (err.status === 401 || err.status === 403 || err.code === WAIT_TOO_LONG || err.code === WAIT_BUDGET_SPENT) {
                    io.stdout.write(`stopped: ${plural(chosen.length - sent - failed, "guest")} not tried after this refusal\n`);
                    break;
                }
            }
        }
        io.stdout.write(`${reset ? "reset and sent" : "sent"} ${sent} of ${plural(chosen.length, "invitation")}${failed > 0 ? `, ${failed} failed` : ""}\n`);
        return failed > 0 || sent < chosen.length ? EXIT.failed : EXIT.ok;
    });
}

function waited(r: StatusRow, asOf: string): string {
    if (r.state === "accepted") return "accepted";
    const d = pendingDays(r, asOf);
    return d === undefined ? "pending" : `pending ${plural(d, "day")}`;
}

function reinvitation(g: Guest, resetUserId: string | undefined) {
    return { email: g.email, redirectUrl: g.redirectUrl, displayName: g.displayName, userType: g.userType, message: g.message, language: g.language, cc: g.cc, resetUserId };
}
