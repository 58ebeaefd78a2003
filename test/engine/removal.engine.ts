import * as assert from "assert";
import { deployed, ops } from "./harness";
import { IDS, SAMPLES, sampleTenant } from "./fixtures";

/** fabrikam.yaml without Ann: her user, two memberships and one assignment go; nothing else. */
const WITHOUT_ANN = SAMPLES["fabrikam.yaml"].replace(/  - email: ann\.lee@fabrikam\.example[\s\S]*?expires: 2027-06-30\n\n/, "");
const WITHOUT_DEV = SAMPLES["fabrikam.yaml"].replace(/\n  - email: dev\.patel@fabrikam\.example[\s\S]*$/, "\n");

describe("engine: removing guests", () => {
    it("removing a guest deletes its user, memberships and assignments, and nothing else", async () => {
        assert.notStrictEqual(WITHOUT_ANN, SAMPLES["fabrikam.yaml"]);
        const sim = await deployed(SAMPLES, sampleTenant());
        const ann = sim.tenant().users.find((u) => u.mail === "ann.lee@fabrikam.example")!;
        const before = sim.tenant();
        sim.writeGuests({ ...SAMPLES, "fabrikam.yaml": WITHOUT_ANN });
        const preview = await sim.preview();
        assert.strictEqual(preview.ok, true, preview.failure);
        const expected = [
            "delete AppRoleAssignment guests/ann.lee@fabrikam.example/" + IDS.portal,
            "delete GroupMember guests/ann.lee@fabrikam.example/" + IDS.falcon,
            "delete GroupMember guests/ann.lee@fabrikam.example/" + IDS.partners,
            "delete GuestUser guests/ann.lee@fabrikam.example",
        ].sort();
        assert.deepStrictEqual(ops(preview, "delete", "create", "replace", "update"), expected);
        assert.deepStrictEqual(sim.writes(), []);

        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(ops(up, "delete", "create", "replace", "update"), expected);
        // Her memberships and assignment go with her GuestUser (deletedWith): the engine deletes
        // them from the state without calling azuread, and Entra drops them with the user.
        assert.deepStrictEqual(sim.writes(), [`DELETE /users/${ann.id} 204`]);
        const after = sim.tenant();
        assert.deepStrictEqual(after.users.map((u) => u.mail).sort(), before.users.map((u) => u.mail).filter((m) => m !== "ann.lee@fabrikam.example").sort());
        assert.deepStrictEqual(after.groups.find((g) => g.id === IDS.partners)!.members, before.groups.find((g) => g.id === IDS.partners)!.members.filter((m) => m !== ann.id));
        assert.deepStrictEqual(after.appRoleAssignments, before.appRoleAssignments.filter((a) => a.principalId !== ann.id));
    });

    it("with onRemove: retain the user stays in the tenant and only leaves the state; its GuestUser removes its membership", async () => {
        const sim = await deployed(SAMPLES, sampleTenant());
        const dev = sim.tenant().users.find((u) => u.mail === "dev.patel@fabrikam.example")!;
        sim.writeGuests({ ...SAMPLES, "fabrikam.yaml": WITHOUT_DEV });
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(ops(up, "delete", "create", "replace"), [`delete GroupMember guests/dev.patel@fabrikam.example/${IDS.partners}`, "delete GuestUser guests/dev.patel@fabrikam.example"]);
        // The membership goes with the GuestUser, whose delete keeps the user and removes what the files gave it.
        assert.deepStrictEqual(sim.writes(), [`DELETE /groups/${IDS.partners}/members/${dev.id}/$ref 204`], "the user itself is not deleted");
        assert.deepStrictEqual(sim.tenant().users.find((u) => u.id === dev.id)?.mail, "dev.patel@fabrikam.example");
        assert.strictEqual((await sim.state()).some((r) => r.name === "guests/dev.patel@fabrikam.example"), false);
    });

    it("protect: true stops the deletion with a clear message", async () => {
        const sim = await deployed({ "a.yaml": "guests:\n  - email: ann@fabrikam.com\n    protect: true\n  - email: bo@fabrikam.com\n" }, sampleTenant());
        sim.writeGuests({ "a.yaml": "guests:\n  - email: bo@fabrikam.com\n" });
        const up = await sim.up();
        assert.strictEqual(up.ok, false);
        assert.match(up.failure, /guests\/ann@fabrikam\.com.*protect/s);
        assert.deepStrictEqual(sim.writes(), []);
        assert.ok(sim.tenant().users.some((u) => u.mail === "ann@fabrikam.com"));
    });
});
