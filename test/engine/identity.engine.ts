import * as assert from "assert";
import { deployed, ops, RunResult, SimStack } from "./harness";
import { IDS, PAIR, sampleTenant } from "./fixtures";

/** Resource identity is the guest's address (plus group or app), never a file, row or order. */
describe("engine: what must change nothing", () => {
    const RESOURCES = [
        "GuestUser guests/ann@fabrikam.com",
        "GuestUser guests/bo@fabrikam.com",
        "GuestUser guests/cy@fabrikam.com",
        `GroupMember guests/ann@fabrikam.com/${IDS.partners}`,
        `GroupMember guests/ann@fabrikam.com/${IDS.falcon}`,
        `GroupMember guests/bo@fabrikam.com/${IDS.partners}`,
        `GroupMember guests/cy@fabrikam.com/${IDS.falcon}`,
    ].sort();

    async function assertNoChange(sim: SimStack, preview: RunResult): Promise<void> {
        assert.strictEqual(preview.ok, true, preview.failure);
        assert.deepStrictEqual(ops(preview), RESOURCES.map((r) => `same ${r}`));
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(ops(up).filter((s) => !s.startsWith("same ")), []);
        assert.deepStrictEqual(sim.writes(), [], "nothing reached the tenant");
    }

    it("the first deployment of the pair makes exactly these resources", async () => {
        const sim = await SimStack.create(PAIR, sampleTenant());
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(ops(up), RESOURCES.map((r) => `create ${r}`));
    });

    it("upgrading from a version that published `managedGuests` as a map: read, guarded, then published as its JSON text", async () => {
        const sim = await deployed(PAIR, sampleTenant(), { "entra-guests:maxRemovals": "0" });
        const text = (await sim.outputs()).managedGuests?.value;
        assert.strictEqual(typeof text, "string");
        await sim.editDeployment((d) => {
            const stack = d.resources!.find((r) => r.type === "pulumi:pulumi:Stack")!;
            stack.outputs!.managedGuests = JSON.parse(text as string);
        });
        assert.deepStrictEqual(typeof (await sim.outputs()).managedGuests?.value, "object", "the state now holds the map, as earlier versions left it");
        // The removal guard reads the map: removing bo would delete a guest, and maxRemovals is 0.
        sim.writeGuests({ ...PAIR, "a.csv": PAIR["a.csv"].replace("bo@fabrikam.com,Bo,Partners - Fabrikam\n", "") });
        const guarded = await sim.preview();
        assert.strictEqual(guarded.ok, false);
        assert.match(guarded.failure, /this run would delete 1 guest user, more than `entra-guests:maxRemovals` \(0\) allows: bo@fabrikam\.com\./);
        sim.writeGuests(PAIR);
        await assertNoChange(sim, await sim.preview());
        assert.strictEqual((await sim.outputs()).managedGuests?.value, text, "the up published the text again, the same text");
    });

    it("reordering the rows of a file", async () => {
        const sim = await deployed(PAIR, sampleTenant());
        sim.writeGuests({ ...PAIR, "a.csv": "email,displayName,groups\nbo@fabrikam.com,Bo,Partners - Fabrikam\nann@fabrikam.com,Ann,Project Falcon;Partners - Fabrikam\n" });
        await assertNoChange(sim, await sim.preview());
    });

    it("moving a guest to another file", async () => {
        const sim = await deployed(PAIR, sampleTenant());
        sim.writeGuests({
            "a.csv": "email,displayName,groups\nann@fabrikam.com,Ann,Partners - Fabrikam;Project Falcon\n",
            "b.yaml": "guests:\n  - email: cy@fabrikam.com\n    displayName: Cy\n    groups: [Project Falcon]\n  - email: bo@fabrikam.com\n    displayName: Bo\n    groups: [Partners - Fabrikam]\n",
        });
        await assertNoChange(sim, await sim.preview());
    });

    it("converting the CSV file to YAML", async () => {
        const sim = await deployed(PAIR, sampleTenant());
        sim.writeGuests({
            "a.yaml": "guests:\n  - email: ann@fabrikam.com\n    displayName: Ann\n    groups: [Partners - Fabrikam, Project Falcon]\n  - email: bo@fabrikam.com\n    displayName: Bo\n    groups: [Partners - Fabrikam]\n",
            "b.yaml": PAIR["b.yaml"],
        });
        await assertNoChange(sim, await sim.preview());
    });

    it("writing a group by its object ID instead of its name", async () => {
        const sim = await deployed(PAIR, sampleTenant());
        sim.writeGuests({ ...PAIR, "a.csv": `email,displayName,groups\nann@fabrikam.com,Ann,${IDS.partners};Project Falcon\nbo@fabrikam.com,Bo,${IDS.partners.toUpperCase()}\n` });
        await assertNoChange(sim, await sim.preview());
    });

    it("changing the case of an address", async () => {
        const sim = await deployed(PAIR, sampleTenant());
        sim.writeGuests({ ...PAIR, "a.csv": "email,displayName,groups\nANN@Fabrikam.com,Ann,Partners - Fabrikam;Project Falcon\nbo@FABRIKAM.COM,Bo,Partners - Fabrikam\n" });
        await assertNoChange(sim, await sim.preview());
    });
});
