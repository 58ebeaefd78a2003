// `entra-guests status`: what became of each declared guest, read from Microsoft
// Graph, and the tenant's guests that no file declares.
import { parseArgs } from "util";
import { readTenantGuests, TenantGuests } from "../../../graph";
import { forTerminal } from "../../../text/escape";
import { oneOf } from "../../shell/errors";
import { withGraph } from "../../shell/graph";
import { buildStatus, days, StatusFilters } from "../../shell/guest-status";
import { EXIT, Io } from "../../shell/io";
import { projectFolder } from "../../shell/project-config";
import { declaredGuests } from "../../shell/roster";
import { renderStatus, StatusFormat } from "./output";
import { readManagedGuests } from "./stack-managed";

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
