// The Graph reads behind a failed lookup's hint (graph/name-hints.ts), against the simulated Graph:
// exactly which request each makes, and that a name from a guest file cannot break its query.
import { strict as assert } from "assert";
import { objectsNamed, similarNames, similarNamesSearch } from "../graph";
import { readCalls } from "../tools/sim/tenant/store";
import { useSimulatedGraph } from "./helpers/graph-fixtures";

const G1 = "11111111-0000-4000-8000-000000000001";
const G2 = "11111111-0000-4000-8000-000000000002";
const G3 = "11111111-0000-4000-8000-000000000003";
const SP = "44444444-0000-4000-8000-000000000001";
const APP = "55555555-0000-4000-8000-000000000001";

describe("graph name hints: the reads after a failed group or app lookup", () => {
    const sim = useSimulatedGraph("name-hints-");
    const requests = () => readCalls(sim.file).flatMap((c) => (c.kind === "request" ? [`${c.method} ${c.path} ${c.status}`] : []));
    const seed = {
        groups: [
            { id: G2, displayName: "O'Brien Partners", description: "EMEA", createdDateTime: "2024-06-01T00:00:00Z" },
            { id: G1, displayName: "o'brien partners" },
            { id: G3, displayName: "Partners - Fabrikam" },
        ],
        servicePrincipals: [{ id: SP, appId: APP, displayName: "Contoso Partner Portal", description: "Self-service" }],
    };

    it("every group with a name: one request, the name's quote doubled, the IDs, descriptions and creation times", async () => {
        const { graph } = await sim.start(seed);
        assert.deepEqual(await objectsNamed(graph, "group", "O'Brien Partners"), {
            objects: [
                { ref: G2, displayName: "O'Brien Partners", description: "EMEA", createdDateTime: "2024-06-01T00:00:00Z" },
                { ref: G1, displayName: "o'brien partners", description: null, createdDateTime: null },
            ],
            more: false,
        });
        assert.deepEqual(requests(), ["GET /groups?$filter=displayName eq 'O''Brien Partners'&$select=id,displayName,description,createdDateTime&$top=999 200"]);
    });

    it("every service principal with a name: its client ID is what a guest file writes", async () => {
        const { graph } = await sim.start(seed);
        assert.deepEqual(await objectsNamed(graph, "app", "contoso partner portal"), { objects: [{ ref: APP, displayName: "Contoso Partner Portal", description: "Self-service", createdDateTime: null }], more: false });
        assert.deepEqual(requests(), ["GET /servicePrincipals?$filter=displayName eq 'contoso partner portal'&$select=id,appId,displayName,description&$top=999 200"]);
    });

    it("names near a name: one advanced query, with `ConsistencyLevel: eventual`, searching the start of each word", async () => {
        const { graph } = await sim.start(seed);
        assert.deepEqual(await similarNames(graph, "group", "Partners - Fabrikm"), ["O'Brien Partners", "o'brien partners", "Partners - Fabrikam"]);
        assert.deepEqual(await similarNames(graph, "app", "Contoso Portl"), ["Contoso Partner Portal"]);
        assert.deepEqual(requests(), [
            `GET /groups?$search="displayName:par" OR "displayName:fab"&$select=displayName&$top=999&$count=true 200`,
            `GET /servicePrincipals?$search="displayName:con" OR "displayName:por"&$select=displayName&$top=999&$count=true 200`,
        ]);
    });

    it("searches only letters and digits of a name from a guest file, at most five words, and reads nothing for a name without a word", async () => {
        const { graph } = await sim.start(seed);
        assert.equal(similarNamesSearch('Par"tners\\ \u001b[2J - Fab\u202eOR "x'), `"displayName:par" OR "displayName:tne" OR "displayName:2j" OR "displayName:fab" OR "displayName:or"`);
        assert.equal(similarNamesSearch("Één Twee Drie Vier Vijf Zes"), `"displayName:één" OR "displayName:twe" OR "displayName:dri" OR "displayName:vie" OR "displayName:vij"`);
        assert.equal(similarNamesSearch("a - b"), undefined);
        assert.deepEqual(await similarNames(graph, "group", "a - b"), []);
        assert.deepEqual(await similarNames(graph, "group", 'Par"tners\\ \u001b[2J - Fab\u202eOR "x'), ["O'Brien Partners", "o'brien partners", "Partners - Fabrikam"]);
        assert.deepEqual(requests().length, 1, "no request for a name without a word");
    });
});
