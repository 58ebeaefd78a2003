import * as assert from "assert";
import { ops, shortType, SimStack } from "./harness";
import { GUESTS, IDS, SAMPLE_RESOURCES, SAMPLES, sampleTenant } from "./fixtures";

describe("engine: first deployment of the sample files", function () {
    it("previews every resource, then invites every guest and makes every membership and assignment", async () => {
        const sim = await SimStack.create(SAMPLES, sampleTenant());
        const preview = await sim.preview();
        assert.strictEqual(preview.ok, true, preview.failure);
        assert.deepStrictEqual(ops(preview), SAMPLE_RESOURCES.map((r) => `create ${r}`));
        assert.deepStrictEqual(sim.writes(), [], "a preview writes nothing");

        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(ops(up), SAMPLE_RESOURCES.map((r) => `create ${r}`));
        assert.deepStrictEqual((await sim.state()).map((r) => `${shortType(r.type)} ${r.name}`).sort(), SAMPLE_RESOURCES);

        const t = sim.tenant();
        const guestUsers = t.users.filter((u) => u.createdBy === "invitation");
        assert.deepStrictEqual(guestUsers.map((u) => u.mail).sort(), GUESTS);
        assert.ok(guestUsers.every((u) => u.userType === "Guest"));
        const id = (mail: string) => t.users.find((u) => u.mail === mail)!.id;
        assert.deepStrictEqual(new Set(t.groups.find((g) => g.id === IDS.partners)!.members), new Set([IDS.admin, id("ann.lee@fabrikam.example"), id("bo.chen@fabrikam.example"), id("dev.patel@fabrikam.example")]));
        assert.deepStrictEqual(t.groups.find((g) => g.id === IDS.falcon)!.members, [id("ann.lee@fabrikam.example")]);
        assert.deepStrictEqual(
            t.appRoleAssignments.map((a) => [a.principalId, a.resourceId, a.appRoleId]).sort(),
            [[IDS.admin, IDS.portal, IDS.partnerRead], [id("ann.lee@fabrikam.example"), IDS.portal, IDS.partnerRead]].sort(),
        );
        // The samples send no mail: no POST with sendInvitationMessage.
        assert.deepStrictEqual(t.mail, []);
        assert.ok(t.invitations.every((i) => !i.sendInvitationMessage));
        // Each user is the stack's own: its invitation created it.
        assert.ok((await sim.state()).filter((r) => r.type === "entraguests:index:GuestUser").every((r) => r.outputs.createdByStack === true));

        sim.clearCalls();
        const again = await sim.preview();
        assert.strictEqual(again.ok, true, again.failure);
        assert.deepStrictEqual(ops(again), SAMPLE_RESOURCES.map((r) => `same ${r}`));
        assert.deepStrictEqual(sim.writes(), []);
        // Nothing for a reviewer either: the stack outputs the up recorded are what the preview computes.
        const text = await sim.cli("preview", "--diff", "--expect-no-changes");
        assert.doesNotMatch(text, /managedGuests|runComplete/);
    });
});
