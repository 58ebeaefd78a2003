// `node dist/tools/sim/graph-server/main.js <tenant.json>`: the simulated Graph over HTTP on a free port of
// 127.0.0.1 until interrupted. Prints the ENTRA_GUESTS_GRAPH_URL and ENTRA_GUESTS_GRAPH_TOKEN to use.
import { randomUUID } from "crypto";
import { startGraphServer } from "./server";

async function main(args: string[]): Promise<void> {
    const [tenantFile] = args;
    if (!tenantFile) throw new Error("usage: node dist/tools/sim/graph-server/main.js <tenant.json> (the token is ENTRA_GUESTS_GRAPH_TOKEN, or a new one)");
    const token = process.env.ENTRA_GUESTS_GRAPH_TOKEN || randomUUID();
    const server = await startGraphServer({ tenantFile, token });
    process.stdout.write(`ENTRA_GUESTS_GRAPH_URL=${server.url}\nENTRA_GUESTS_GRAPH_TOKEN=${token}\n`);
    const stop = () => void server.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`[graph-server] ${(err as Error).message ?? String(err)}\n`);
    process.exit(1);
});
