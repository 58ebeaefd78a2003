// The simulated Graph's groups and service principals by name, raw over HTTP: `$filter=displayName
// eq`, `$search` as an advanced query (tools/sim/tenant/search.ts), and the properties a failed
// lookup's hint selects (graph/name-hints.ts).
import { strict as assert } from "assert";
import { SEARCH_NEEDS_HEADER, tokenize } from "../tools/sim/tenant/search";
import { TenantSeed } from "../tools/sim/tenant/format";
import { readCalls } from "../tools/sim/tenant/store";
import { TOKEN, useSimulatedGraph } from "./helpers/graph-fixtures";

const G1 = "11111111-0000-4000-8000-000000000001";
const G2 = "11111111-0000-4000-8000-000000000002";
const G3 = "11111111-0000-4000-8000-000000000003";
const G4 = "11111111-0000-4000-8000-000000000004";
const G5 = "11111111-0000-4000-8000-000000000005";
const SP = "44444444-0000-4000-8000-000000000001";
const APP = "55555555-0000-4000-8000-000000000001";
const EVENTUAL = { ConsistencyLevel: "eventual" };

const seed: TenantSeed = {
    groups: [
        { id: G1, displayName: "Partners - Fabrikam", description: "B2B partners", createdDateTime: "2025-03-01T09:30:00Z" },
        { id: G2, displayName: "Project Falcon" },
        { id: G3, displayName: "HelloWorld Team", description: "Sales EMEA" },
        { id: G4, displayName: "hello.world" },
        { id: G5, displayName: "O'Brien Sales2024" },
    ],
    servicePrincipals: [{ id: SP, appId: APP, displayName: "Contoso Partner Portal", description: "Partner self-service" }],
};

describe("simulated Graph over HTTP: groups and service principals by name", () => {
    const sim = useSimulatedGraph("sim-search-");
    type Body = { value?: Record<string, unknown>[]; "@odata.count"?: number; error?: { code: string; message: string } };
    const call = async (path: string, query: Record<string, string>, headers: Record<string, string> = {}) => {
        const qs = Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
        const res = await fetch(`${sim.server!.url}${path}?${qs}`, { headers: { Authorization: `Bearer ${TOKEN}`, ...headers } });
        return { status: res.status, body: (await res.json()) as Body };
    };
    const search = async (path: string, s: string) => {
        const r = await call(path, { $search: s, $select: "displayName" }, EVENTUAL);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.value!.map((g) => g.displayName);
    };

    it("refuses $search without `ConsistencyLevel: eventual`, in the words aad-advanced-queries documents", async () => {
        await sim.start(seed);
        for (const path of ["/groups", "/servicePrincipals"]) {
            const r = await call(path, { $search: '"displayName:par"', $count: "true" });
            assert.deepEqual([r.status, r.body.error?.code, r.body.error?.message], [400, "Request_UnsupportedQuery", SEARCH_NEEDS_HEADER]);
        }
        assert.equal(SEARCH_NEEDS_HEADER, "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
    });

    it("finds a clause's words at the start of a name's words, in any case and order, split as search-query-parameter says", async () => {
        await sim.start(seed);
        assert.deepEqual(await search("/groups", '"displayName:par" OR "displayName:fab"'), ["Partners - Fabrikam"]);
        assert.deepEqual(await search("/groups", '"displayName:FALCON pro"'), ["Project Falcon"], "every word of a clause, in any order");
        assert.deepEqual(await search("/groups", '"displayName:world"'), ["HelloWorld Team", "hello.world"], "a lower-to-upper case change and a symbol split words");
        assert.deepEqual(await search("/groups", '"displayName:helloworld"'), ["hello.world"], "words separated only by a symbol are also one word");
        assert.deepEqual(await search("/groups", '"displayName:2024"'), ["O'Brien Sales2024"], "digits are a word of their own");
        assert.deepEqual(await search("/groups", '"displayName:abrikam"'), [], "no 'contains'");
        assert.deepEqual(await search("/groups", '"displayName:pro" AND "displayName:fal" OR "description:emea"'), ["Project Falcon", "HelloWorld Team"], "AND binds tighter than OR");
        assert.deepEqual(await search("/groups", '"displayName:say \\"brien\\""'), [], "an escaped quote is text: both words must match");
        assert.deepEqual(await search("/servicePrincipals", '"displayName:portl" OR "displayName:contoso"'), ["Contoso Partner Portal"]);
        assert.deepEqual(tokenize("HELLOworld HelloWORld hello123world"), { words: ["helloworld", "hello", "world", "hello", "123", "world"], joined: [] });
    });

    it("counts with $count=true, and refuses what it does not simulate with a 400 rather than guess", async () => {
        await sim.start(seed);
        const counted = await call("/groups", { $search: '"displayName:hel"', $select: "id", $count: "true" }, EVENTUAL);
        assert.deepEqual([counted.body["@odata.count"], counted.body.value], [2, [{ id: G3 }, { id: G4 }]]);
        for (const s of ['"mail:par"', '("displayName:par")', '"displayName:par" or "displayName:fab"', "displayName:par", '"displayName:-"']) {
            const r = await call("/groups", { $search: s }, EVENTUAL);
            assert.deepEqual([r.status, r.body.error?.code], [400, "BadRequest"], s);
        }
        const users = await call("/users", { $search: '"displayName:par"' }, EVENTUAL);
        assert.deepEqual([users.status, users.body.error?.message], [400, "Query option '$search' is not supported here by the simulated Graph (tools/sim/graph-server)."]);
    });

    it("selects a group's description and creation time, and a service principal's client ID and description", async () => {
        await sim.start(seed);
        const groups = await call("/groups", { $filter: "displayName eq 'partners - fabrikam'", $select: "id,displayName,description,createdDateTime", $top: "999" });
        assert.deepEqual(groups.body.value, [{ id: G1, displayName: "Partners - Fabrikam", description: "B2B partners", createdDateTime: "2025-03-01T09:30:00Z" }]);
        const quoted = await call("/groups", { $filter: "displayName eq 'O''Brien Sales2024'", $select: "id,description,createdDateTime" });
        assert.deepEqual(quoted.body.value, [{ id: G5, description: null, createdDateTime: null }]);
        const sps = await call("/servicePrincipals", { $filter: "displayName eq 'Contoso Partner Portal'", $select: "id,appId,displayName,description" });
        assert.deepEqual(sps.body.value, [{ id: SP, appId: APP, displayName: "Contoso Partner Portal", description: "Partner self-service" }]);
        assert.deepEqual(
            readCalls(sim.file).flatMap((c) => (c.kind === "request" ? [`${c.path} ${c.status}`] : [])),
            [
                "/groups?$filter=displayName eq 'partners - fabrikam'&$select=id,displayName,description,createdDateTime&$top=999 200",
                "/groups?$filter=displayName eq 'O''Brien Sales2024'&$select=id,description,createdDateTime 200",
                "/servicePrincipals?$filter=displayName eq 'Contoso Partner Portal'&$select=id,appId,displayName,description 200",
            ],
        );
    });
});
