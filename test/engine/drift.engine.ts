import * as assert from "assert";
import { deployed, ops, shortType, SimStack, warnings } from "./harness";
import { IDS, PAIR, SAMPLES, sampleTenant } from "./fixtures";

describe("engine: changes made outside Pulumi, destroy, bad files and secrets", () => {
    it("refresh after a membership was removed by hand, then up adds it back", async () => {
        const sim = await deployed(PAIR, sampleTenant());
        const bo = sim.tenant().users.find((u) => u.mail === "bo@fabrikam.com")!;
        sim.editTenant((t) => {
            const g = t.groups.find((x) => x.id === IDS.partners)!;
            g.members = g.members.filter((m) => m !== bo.id);
        });
        const refresh = await sim.refresh();
        assert.strictEqual(refresh.ok, true, refresh.failure);
        assert.strictEqual((await sim.state()).some((r) => r.name === `guests/bo@fabrikam.com/${IDS.partners}`), false, "refresh drops the missing membership from state");
        assert.deepStrictEqual(sim.writes(), [], "a refresh only reads");

        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(ops(up, "create", "delete", "replace"), [`create GroupMember guests/bo@fabrikam.com/${IDS.partners}`]);
        assert.deepStrictEqual(sim.writes(), [`POST /beta/groups/${IDS.partners}/members/$ref 204`]);
        assert.ok(sim.tenant().groups.find((g) => g.id === IDS.partners)!.members.includes(bo.id));
    });

    it("a guest deleted in the portal, then refresh: the next up has nothing to forget, the one after invites it again", async () => {
        const sim = await deployed(PAIR, sampleTenant());
        const cy = sim.tenant().users.find((u) => u.mail === "cy@fabrikam.com")!;
        sim.editTenant((t) => {
            t.users = t.users.filter((u) => u.id !== cy.id);
            for (const g of t.groups) g.members = g.members.filter((m) => m !== cy.id);
        });
        const refresh = await sim.refresh();
        assert.strictEqual(refresh.ok, true, refresh.failure);
        // The GuestUser's read finds the user gone and drops it from the state; the membership's read too.
        assert.strictEqual((await sim.state()).some((r) => r.name.startsWith("guests/cy@fabrikam.com")), false);
        sim.clearCalls();
        const forget = await sim.up();
        assert.strictEqual(forget.ok, true, forget.failure);
        assert.deepStrictEqual([ops(forget, "create", "delete", "replace", "update"), sim.writes()], [[], []]);
        assert.deepStrictEqual((await sim.outputs()).pendingRepairs?.value, ["cy@fabrikam.com"]);
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(ops(up, "create", "delete", "replace", "update"), ["create GroupMember guests/cy@fabrikam.com/" + IDS.falcon, "create GuestUser guests/cy@fabrikam.com"]);
        assert.deepStrictEqual(sim.writes(), ["POST /invitations 201", `POST /beta/groups/${IDS.falcon}/members/$ref 204`], "invited again; no delete");
        const again = sim.tenant().users.find((u) => u.mail === "cy@fabrikam.com")!;
        assert.notStrictEqual(again.id, cy.id);
        assert.deepStrictEqual(sim.tenant().groups.find((g) => g.id === IDS.falcon)!.members.filter((m) => m === again.id || m === cy.id), [again.id]);
    });

    it("a guest deleted in the portal, no refresh: the next up forgets it without a write, the one after invites it again", async () => {
        const sim = await deployed(PAIR, sampleTenant(), { "entra-guests:maxRemovals": "0" });
        const cy = sim.tenant().users.find((u) => u.mail === "cy@fabrikam.com")!;
        sim.editTenant((t) => {
            t.users = t.users.filter((u) => u.id !== cy.id);
            for (const g of t.groups) g.members = g.members.filter((m) => m !== cy.id);
        });
        sim.clearCalls();
        const forget = await sim.up();
        assert.strictEqual(forget.ok, true, forget.failure);
        assert.deepStrictEqual(ops(forget, "create", "delete", "replace", "update"), [`delete GroupMember guests/cy@fabrikam.com/${IDS.falcon}`, "delete GuestUser guests/cy@fabrikam.com"]);
        assert.deepStrictEqual(sim.writes(), [], "its user is gone: the GuestUser's delete finds nothing, the membership goes with it");
        assert.match(warnings(forget).join("\n"), /the user of cy@fabrikam\.com was deleted outside the stack; this run forgets it \(nothing is deleted\), and the next `pulumi up` invites cy@fabrikam\.com again/);
        assert.deepStrictEqual((await sim.outputs()).pendingRepairs?.value, ["cy@fabrikam.com"]);
        sim.clearCalls();
        const again = await sim.up();
        assert.strictEqual(again.ok, true, again.failure);
        assert.deepStrictEqual(sim.writes(), ["POST /invitations 201", `POST /beta/groups/${IDS.falcon}/members/$ref 204`]);
        assert.deepStrictEqual((await sim.outputs()).pendingRepairs?.value, []);
    });

    it("a guest deleted in the portal whose entry is then removed is dropped in one run, with no delete and no removal counted", async () => {
        const sim = await deployed(PAIR, sampleTenant(), { "entra-guests:maxRemovals": "0" });
        const cy = sim.tenant().users.find((u) => u.mail === "cy@fabrikam.com")!;
        sim.editTenant((t) => {
            t.users = t.users.filter((u) => u.id !== cy.id);
            for (const g of t.groups) g.members = g.members.filter((m) => m !== cy.id);
        });
        sim.writeGuests({ "a.csv": PAIR["a.csv"] });
        sim.clearCalls();
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(ops(up, "delete"), [`delete GroupMember guests/cy@fabrikam.com/${IDS.falcon}`, "delete GuestUser guests/cy@fabrikam.com"]);
        assert.deepStrictEqual(sim.writes(), [], "dropped from the state only: its user was already gone");
        assert.strictEqual((await sim.state()).some((r) => r.name.startsWith("guests/cy@")), false);
    });

    it("destroy removes what the stack created and nothing it did not create, with one Graph write per deleted user", async () => {
        const sim = await SimStack.create(SAMPLES, sampleTenant());
        assert.strictEqual((await sim.up()).ok, true);
        // Every membership and assignment goes with its GuestUser (deletedWith).
        const state = await sim.state();
        const deletedWith = state.filter((r) => r.deletedWith !== undefined).map((r) => `${shortType(r.type)} ${r.name} with ${r.deletedWith!.split("::").pop()}`);
        assert.strictEqual(deletedWith.length, 5, deletedWith.join("\n"));
        assert.ok(deletedWith.every((d) => /^(GroupMember|AppRoleAssignment) guests\/([^/]+)\/\S+ with guests\/\2$/.test(d)), deletedWith.join("\n"));
        const dev = sim.tenant().users.find((u) => u.mail === "dev.patel@fabrikam.example")!;
        const invited = sim.tenant().users.filter((u) => u.id !== IDS.admin && u.id !== dev.id);
        sim.clearCalls();
        const destroy = await sim.destroy();
        assert.strictEqual(destroy.ok, true, destroy.failure);
        assert.deepStrictEqual((await sim.state()).map((r) => `${shortType(r.type)} ${r.name}`), []);
        assert.deepStrictEqual(
            sim.writes().sort(),
            [...invited.map((u) => `DELETE /users/${u.id} 204`), `DELETE /groups/${IDS.partners}/members/${dev.id}/$ref 204`].sort(),
            "no membership or assignment delete for a user deleted in the same run; dev.patel's GuestUser removes its membership",
        );
        const t = sim.tenant();
        // The administrator, its membership and role stay; dev.patel stays (onRemove: retain), out of every group.
        assert.deepStrictEqual(t.users.map((u) => u.id).sort(), [IDS.admin, dev.id].sort());
        assert.deepStrictEqual(t.groups.map((g) => [g.id, g.members]), [[IDS.partners, [IDS.admin]], [IDS.falcon, []]]);
        assert.deepStrictEqual(t.appRoleAssignments.map((a) => a.principalId), [IDS.admin]);
        assert.deepStrictEqual(t.servicePrincipals.map((s) => s.id), [IDS.portal]);
    });

    it("a bad guest file fails the engine run with located errors, and nothing reaches the tenant", async () => {
        const sim = await deployed(PAIR, sampleTenant());
        sim.writeGuests({ ...PAIR, "a.csv": "email,displayName,groups\nann@fabrikam,Ann,Partners - Fabrikam\nbo@@fabrikam.com,Bo,Partners - Fabrikam\n" });
        for (const run of [await sim.preview(), await sim.up()]) {
            assert.strictEqual(run.ok, false);
            assert.match(run.failure, /guests\/a\.csv:2:1: /);
            assert.match(run.failure, /guests\/a\.csv:3:/);
            assert.match(run.failure, /errors? in the guest files; nothing was changed/);
            assert.doesNotMatch(run.failure, /    at .*\.js:\d+/, "no stack trace");
            assert.deepStrictEqual(ops(run, "create", "delete", "replace", "update"), []);
        }
        assert.deepStrictEqual(sim.writes(), [], "the tenant's write log is empty");
    });

    it("redeem URLs are encrypted in the state file, in no stack output, and `entra-guests access` reads them from the state", async () => {
        const sim = await deployed(PAIR, sampleTenant());
        const t = sim.tenant();
        const urls = t.invitations.map((i) => i.inviteRedeemUrl);
        assert.strictEqual(urls.length, 3);
        const checkpoint = sim.checkpointText();
        for (const url of urls) assert.strictEqual(checkpoint.includes(url), false, "no redeem URL in clear in the checkpoint");
        assert.ok(checkpoint.includes("4dabf18193072939515e22adb298388d"), "secrets are there, encrypted");
        // No per-guest outputs: they would cost most of the program's time at 10,000 guests.
        const plain = await sim.cli("stack", "output", "--json", "--show-secrets");
        assert.deepStrictEqual(Object.keys(JSON.parse(plain)).sort(), ["guestCount", "managedGuests", "pendingRepairs", "runComplete"]);
        for (const url of urls) assert.strictEqual(plain.includes(url), false, "no redeem URL in any output");

        const userId = (mail: string) => t.users.find((u) => u.mail === mail)!.id;
        const guest = (mail: string, displayName: string, groups: string[], redeemUrl: string) => ({ displayName, userId: userId(mail), ownership: "invited", groups: [...groups].sort(), apps: [], redeemUrl });
        const hidden = await sim.entraGuests("access", "--format", "json");
        assert.deepStrictEqual(JSON.parse(hidden), {
            stack: "test",
            guests: {
                "ann@fabrikam.com": guest("ann@fabrikam.com", "Ann", [IDS.partners, IDS.falcon], "[secret]"),
                "bo@fabrikam.com": guest("bo@fabrikam.com", "Bo", [IDS.partners], "[secret]"),
                "cy@fabrikam.com": guest("cy@fabrikam.com", "Cy", [IDS.falcon], "[secret]"),
            },
            unknown: [],
            problems: [],
        });
        for (const url of urls) assert.strictEqual(hidden.includes(url), false, "no redeem URL without --show-secrets");
        const revealed = JSON.parse(await sim.entraGuests("access", "bo@fabrikam.com", "--format", "json", "--show-secrets")) as { guests: Record<string, { redeemUrl: string }> };
        const bo = t.invitations.find((i) => i.invitedUserEmailAddress === "bo@fabrikam.com")!;
        assert.deepStrictEqual(Object.keys(revealed.guests), ["bo@fabrikam.com"]);
        assert.strictEqual(revealed.guests["bo@fabrikam.com"].redeemUrl, bo.inviteRedeemUrl, "the owner can still read them");
    });
});
