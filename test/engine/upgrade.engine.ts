import * as assert from "assert";
import { ops, SimStack } from "./harness";
import { IDS, sampleTenant } from "./fixtures";

/**
 * A stack deployed by a version that kept each guest's user in an azuread.Invitation (registered
 * under the same component and names, memberships deletedWith it, the baseline without
 * `runComplete`), as that version's program registered it. Guests: email -> group IDs.
 */
function legacyProgram(guests: Record<string, string[]>): string {
    return `
const pulumi = require("@pulumi/pulumi");
const azuread = require("@pulumi/azuread");
const guests = ${JSON.stringify(guests)};
module.exports = async () => {
    const component = new pulumi.ComponentResource("entra-guests:index:Guests", "guests", {});
    const ids = {};
    for (const [email, groups] of Object.entries(guests)) {
        const invitation = new azuread.Invitation("guests/" + email, { userEmailAddress: email, redirectUrl: "https://myapps.microsoft.com", userType: "Guest" },
            { parent: component, ignoreChanges: ["userEmailAddress", "userDisplayName", "message", "redirectUrl", "userType"], deleteBeforeReplace: true, additionalSecretOutputs: ["redeemUrl"] });
        ids[email] = invitation.userId;
        for (const g of groups) new azuread.GroupMember("guests/" + email + "/" + g, { groupObjectId: g, memberObjectId: invitation.userId }, { parent: component, deletedWith: invitation });
    }
    const managedGuests = pulumi.all(ids).apply((u) => JSON.stringify(Object.fromEntries(Object.keys(u).sort().map((e) => [e, { onRemove: "delete", invite: "0000000000000000", userId: u[e] }]))));
    return { guestCount: Object.keys(guests).length, managedGuests, pendingRepairs: [] };
};
`;
}

describe("engine: upgrading a stack whose users an azuread.Invitation kept", function () {
    it("moves each user to a GuestUser without inviting, mailing or deleting anyone, then drops the old Invitations without a delete", async () => {
        const files = (cy: boolean) => ({ "a.yaml": `guests:\n  - email: ann@fabrikam.com\n    groups: [Partners - Fabrikam]\n  - email: bo@fabrikam.com\n${cy ? "  - email: cy@fabrikam.com\n" : ""}` });
        const sim = await SimStack.create(files(true), sampleTenant());
        sim.useProgram(legacyProgram({ "ann@fabrikam.com": [IDS.partners], "bo@fabrikam.com": [], "cy@fabrikam.com": [] }));
        const legacy = await sim.up();
        assert.strictEqual(legacy.ok, true, legacy.failure);
        const id = (mail: string) => sim.tenant().users.find((u) => u.mail === mail)!.id;
        const [ann, bo, cy] = ["ann@fabrikam.com", "bo@fabrikam.com", "cy@fabrikam.com"].map(id);

        // This version, with cy removed in the same pull request.
        sim.useProgram(undefined);
        sim.writeGuests(files(false));
        sim.clearCalls();
        const preview = await sim.preview();
        assert.strictEqual(preview.ok, true, preview.failure);
        assert.deepStrictEqual(ops(preview, "create", "delete", "replace", "update", "import"), [
            "create GuestUser guests/ann@fabrikam.com",
            "create GuestUser guests/bo@fabrikam.com",
            "delete Invitation guests/cy@fabrikam.com",
        ]);
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(sim.writes(), [`DELETE /users/${cy} 204`], "cy is deleted as the earlier version would; nobody is invited");
        assert.deepStrictEqual(sim.tenant().mail, []);
        const state = await sim.state();
        const guestUser = (email: string) => state.find((r) => r.type === "entraguests:index:GuestUser" && r.name === `guests/${email}`)?.outputs;
        assert.deepStrictEqual([guestUser("ann@fabrikam.com")?.userId, guestUser("ann@fabrikam.com")?.createdByStack], [ann, true], "claimed: the stack's own");
        assert.deepStrictEqual([guestUser("bo@fabrikam.com")?.userId, guestUser("bo@fabrikam.com")?.createdByStack], [bo, true]);
        assert.deepStrictEqual(
            state.filter((r) => r.type === "azuread:index/invitation:Invitation").map((r) => [r.name, r.retainOnDelete]).sort(),
            [
                ["guests/ann@fabrikam.com", true],
                ["guests/bo@fabrikam.com", true],
            ],
            "each old Invitation registered once more, retained",
        );

        sim.clearCalls();
        const drop = await sim.up();
        assert.strictEqual(drop.ok, true, drop.failure);
        assert.deepStrictEqual(ops(drop, "create", "delete", "replace", "update"), ["delete Invitation guests/ann@fabrikam.com", "delete Invitation guests/bo@fabrikam.com"]);
        assert.deepStrictEqual(sim.writes(), [], "dropped from the state without a delete");
        assert.ok(sim.tenant().users.some((u) => u.id === ann) && sim.tenant().users.some((u) => u.id === bo));

        // Removing ann now deletes her user through her GuestUser, and her membership with it.
        sim.writeGuests({ "a.yaml": "guests:\n  - email: bo@fabrikam.com\n" });
        sim.clearCalls();
        const removed = await sim.up();
        assert.strictEqual(removed.ok, true, removed.failure);
        assert.deepStrictEqual(sim.writes(), [`DELETE /users/${ann} 204`]);
        assert.ok(!sim.tenant().groups.find((g) => g.id === IDS.partners)!.members.includes(ann));
    });
});
