// One run of the program's identity lookups alone: `node child-lookups.js <dist dir> <addresses>`,
// with ENTRA_GUESTS_GRAPH_URL and ENTRA_GUESTS_GRAPH_TOKEN set. Loads graph/ from <dist dir> (this
// build or another one, to compare), then times `usersByAddress` (graph/identity.ts) only: one
// request an address, 20 to a `POST /$batch`; this process's CPU and wall time.
import * as path from "path";
import type * as Graph from "../../graph";
import type * as Identity from "../../graph/identity";

async function run(): Promise<void> {
    const [dist, count] = process.argv.slice(2);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const graph = require(path.resolve(dist, "graph")) as typeof Graph;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const identity = require(path.resolve(dist, "graph", "identity")) as typeof Identity;
    const client = new graph.GraphClient({ baseUrl: process.env.ENTRA_GUESTS_GRAPH_URL, token: async () => process.env.ENTRA_GUESTS_GRAPH_TOKEN ?? "" });
    const addresses = Array.from({ length: Number(count) }, (_, i) => `lookup${i + 1}@fabrikam.com`);
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const found = await identity.usersByAddress(client, addresses);
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    // Every address has an answer; `found` counts those that name a user.
    const named = [...found.values()].filter((i) => i.kind !== "none").length;
    process.stdout.write(`${JSON.stringify({ cpuMs: (used.user + used.system) / 1000, wallMs, found: named })}\n`);
}

run().catch((err) => {
    process.stderr.write(`${String(err?.message ?? err)}\n`);
    process.exit(1);
});
