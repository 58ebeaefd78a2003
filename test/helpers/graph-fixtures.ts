// Fixtures shared by the Graph client tests (test/graph-client.test.ts, test/graph-client-limits.test.ts,
// test/graph-batch.test.ts).
import { strict as assert } from "assert";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Directory, GraphClient, GraphClientOptions, GraphRequestError } from "../../graph";
import { GraphServer, startGraphServer } from "../../tools/sim/graph-server";
import { TenantSeed } from "../../tools/sim/tenant/format";
import { writeTenant } from "../../tools/sim/tenant/store";

/** The simulated Graph's bearer token in these tests. */
export const TOKEN = "sim-token";
/** Graph's own text for a 403. */
export const DENIED = "Insufficient privileges to complete the operation.";

/** Guest number i: a fixed object ID, `guest{i}@fabrikam.com`. */
export const guest = (i: number) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, mail: `guest${i}@fabrikam.com`, displayName: `Guest ${i}`, userType: "Guest" as const });
/** Guests 1 to n. */
export const guests = (n: number) => Array.from({ length: n }, (_, i) => guest(i + 1));
/** The addresses of guests 1 to n. */
export const mails = (n: number) => guests(n).map((g) => g.mail);

/**
 * The identity lookup of one address (graph/identity.ts `identityRequest`) as the simulated Graph
 * logs its path: Microsoft's "already invited" filter, an advanced query. `a` as it stands between
 * the quotes, a quote in it already doubled.
 */
export const lookupPath = (a: string) =>
    `/users?$filter=userPrincipalName eq '${a}' or mail eq '${a}' or proxyAddresses/any(p:p eq 'smtp:${a}') or otherMails/any(m:m eq '${a}')&$select=id,mail,userPrincipalName,otherMails,proxyAddresses,userType,displayName,createdDateTime,externalUserState,externalUserStateChangeDateTime&$count=true`;

/** The error a promise rejects with; fails when it resolves or rejects with anything else. */
export async function failure(p: Promise<unknown>): Promise<GraphRequestError> {
    try {
        await p;
    } catch (err) {
        if (err instanceof GraphRequestError) return err;
        throw err;
    }
    throw new assert.AssertionError({ message: "expected a rejection" });
}

/**
 * The simulated Graph (tools/sim/graph-server) on a tenant file of its own for each test of the
 * `describe` this is called in: `start(seed)` writes the tenant, starts the server and returns a
 * client whose retries record their waits in `sleeps` instead of sleeping.
 */
export function useSimulatedGraph(prefix: string) {
    const sim = {
        dir: "",
        file: "",
        server: undefined as GraphServer | undefined,
        sleeps: [] as number[],
        async start(seed: TenantSeed, options: Partial<GraphClientOptions> = {}) {
            writeTenant(sim.file, seed);
            sim.server = await startGraphServer({ tenantFile: sim.file, token: TOKEN });
            const graph = new GraphClient({ baseUrl: sim.server.url, token: async () => TOKEN, sleep: async (s) => void sim.sleeps.push(s), ...options });
            return { graph, directory: new Directory(graph) };
        },
        async stop() {
            await sim.server?.close();
            sim.server = undefined;
        },
    };
    beforeEach(() => {
        sim.dir = mkdtempSync(join(tmpdir(), prefix));
        sim.file = join(sim.dir, "tenant.json");
        sim.sleeps = [];
    });
    afterEach(async () => {
        await sim.stop();
        rmSync(sim.dir, { recursive: true, force: true });
    });
    return sim;
}
