// One run of the adoption lookups alone: `node child-lookups.js <dist dir> <addresses>`, with
// ENTRA_GUESTS_GRAPH_URL and ENTRA_GUESTS_GRAPH_TOKEN set. Loads graph/ from <dist dir> (this build
// or another one, to compare), then times `usersByMail` only: this process's CPU and wall time.
import * as path from "path";
import type * as Graph from "../../graph";

async function run(): Promise<void> {
    const [dist, count] = process.argv.slice(2);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const graph = require(path.resolve(dist, "graph")) as typeof Graph;
    const client = new graph.GraphClient({ baseUrl: process.env.ENTRA_GUESTS_GRAPH_URL, token: async () => process.env.ENTRA_GUESTS_GRAPH_TOKEN ?? "" });
    const mails = Array.from({ length: Number(count) }, (_, i) => `lookup${i + 1}@fabrikam.com`);
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const found = await new graph.Directory(client).usersByMail(mails);
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    process.stdout.write(`${JSON.stringify({ cpuMs: (used.user + used.system) / 1000, wallMs, found: found.size })}\n`);
}

run().catch((err) => {
    process.stderr.write(`${String(err?.message ?? err)}\n`);
    process.exit(1);
});
