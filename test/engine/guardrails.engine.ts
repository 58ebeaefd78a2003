import * as assert from "assert";
import { existsSync } from "fs";
import * as path from "path";
import { deployed, ops, SimStack } from "./harness";
import { PAIR, sampleTenant } from "./fixtures";

const ONLY_CY = { "b.yaml": PAIR["b.yaml"] };

describe("engine: the removal guard through the engine's own read of the last outputs (readStackOutputs), and expiry", () => {
    it("the first deployment, with no outputs to compare yet, passes even with maxRemovals 0", async () => {
        const sim = await SimStack.create(PAIR, sampleTenant(), { "entra-guests:maxRemovals": "0" });
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.strictEqual(ops(up, "create").length, 7);
    });

    it("deleting more than maxRemovals guests fails before any write; the exact confirmRemovals lets it through", async () => {
        const sim = await deployed(PAIR, sampleTenant(), { "entra-guests:maxRemovals": "1" });
        // The baseline is read by an invoke: the checkpoint keeps it once, as the stack output, and no StackReference.
        const types = (JSON.parse(sim.checkpointText()) as { checkpoint: { latest: { resources: { type: string }[] } } }).checkpoint.latest.resources.map((r) => r.type);
        assert.deepStrictEqual(types.filter((t) => t.startsWith("pulumi:pulumi:")), ["pulumi:pulumi:Stack"]);
        sim.writeGuests(ONLY_CY);
        const preview = await sim.preview();
        assert.strictEqual(preview.ok, false);
        assert.match(preview.failure, /this run would delete 2 guest users, more than `entra-guests:maxRemovals` \(1\) allows: ann@fabrikam\.com, bo@fabrikam\.com\. Nothing was changed\./);
        const up = await sim.up();
        assert.strictEqual(up.ok, false);
        assert.match(up.failure, /this run would delete 2 guest users/);
        assert.deepStrictEqual(ops(up, "delete"), []);
        assert.deepStrictEqual(sim.writes(), [], "nothing reached the tenant");
        assert.strictEqual(sim.tenant().users.filter((u) => u.createdBy === "invitation").length, 3);

        await sim.setConfig("entra-guests:confirmRemovals", "3");
        const wrong = await sim.up();
        assert.strictEqual(wrong.ok, false, "a confirmation of another number does not pass");
        assert.match(wrong.failure, /but `entra-guests:confirmRemovals` is 3/);
        assert.deepStrictEqual(sim.writes(), []);

        await sim.setConfig("entra-guests:confirmRemovals", "2");
        const confirmed = await sim.up();
        assert.strictEqual(confirmed.ok, true, confirmed.failure);
        assert.deepStrictEqual(ops(confirmed, "delete").filter((s) => s.includes("GuestUser")), ["delete GuestUser guests/ann@fabrikam.com", "delete GuestUser guests/bo@fabrikam.com"]);
        assert.deepStrictEqual(sim.tenant().users.filter((u) => u.createdBy === "invitation").map((u) => u.mail), ["cy@fabrikam.com"]);
    });

    it("a guest past its expires date is removed on the next up", async () => {
        const files = { "a.yaml": "guests:\n  - email: ann@fabrikam.com\n    expires: 2026-12-01\n    groups: [Project Falcon]\n  - email: bo@fabrikam.com\n" };
        const sim = await deployed(files, sampleTenant());
        const ann = sim.tenant().users.find((u) => u.mail === "ann@fabrikam.com")!;
        await sim.setConfig("entra-guests:asOf", "2026-12-01");
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(ops(up, "delete", "create", "replace").map((s) => s.replace(/\/[0-9a-f-]{36}$/, "/<group>")), ["delete GroupMember guests/ann@fabrikam.com/<group>", "delete GuestUser guests/ann@fabrikam.com"]);
        assert.strictEqual(sim.tenant().users.some((u) => u.id === ann.id), false);
        assert.ok(sim.tenant().users.some((u) => u.mail === "bo@fabrikam.com"));
    });
});

describe("engine: the removal guard on a file backend in the legacy layout", () => {
    it("reads its own stack by its bare name, the only form the legacy layout accepts (store.go:360-373), so the guard works there", async () => {
        const sim = await SimStack.create(PAIR, sampleTenant(), { "entra-guests:maxRemovals": "1" }, { legacyLayout: true });
        for (const which of ["first", "second"]) {
            const up = await sim.up();
            assert.strictEqual(up.ok, true, `${which} up: ${up.failure}`);
        }
        assert.ok(existsSync(path.join(sim.folders.state, ".pulumi", "stacks", "test.json")), "the legacy layout: no project folder");
        sim.writeGuests(ONLY_CY);
        sim.clearCalls();
        const preview = await sim.preview();
        assert.strictEqual(preview.ok, false);
        assert.match(preview.failure, /this run would delete 2 guest users, more than `entra-guests:maxRemovals` \(1\) allows: ann@fabrikam\.com, bo@fabrikam\.com\. Nothing was changed\./);
        assert.deepStrictEqual(sim.writes(), []);
    });
});
