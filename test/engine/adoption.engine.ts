import * as assert from "assert";
import { ops, SimStack } from "./harness";
import { IDS, sampleTenant } from "./fixtures";
import { TenantSeed } from "../../tools/sim/tenant/format";

const uid = (n: number) => `bbbbbbbb-0000-4000-8000-${String(n).padStart(12, "0")}`;
const email = (n: number) => `guest${String(n).padStart(3, "0")}@fabrikam.example`;
const invitationPosts = (sim: SimStack) => sim.writes().filter((w) => w.startsWith("POST /invitations"));
const mails = (sim: SimStack) => sim.calls().filter((c) => c.kind === "mail");

/**
 * A tenant seeded with 500 existing guests, 300 of them in the group and
 * 50 holding the app role, and files that declare them plus 100 new guests.
 */
function bigTenant(): TenantSeed {
    const seed = sampleTenant();
    seed.users = [...(seed.users ?? []), ...Array.from({ length: 500 }, (_, i) => ({ id: uid(i), mail: email(i), displayName: `Guest ${i}`, userType: "Guest" as const, companyName: "Fabrikam" }))];
    seed.groups = seed.groups!.map((g) => (g.id === IDS.falcon ? { ...g, members: Array.from({ length: 300 }, (_, i) => uid(i)) } : g));
    seed.appRoleAssignments = [...(seed.appRoleAssignments ?? []), ...Array.from({ length: 50 }, (_, i) => ({ id: `existing-${i}`, appRoleId: IDS.partnerRead, principalId: uid(i), resourceId: IDS.portal }))];
    return seed;
}

/** 600 guests, each in Project Falcon; the first 100 with the portal role; every row asks for mail. */
function bigFile(): Record<string, string> {
    const rows = Array.from({ length: 600 }, (_, i) => `${email(i)},Guest ${i},Project Falcon,${i < 100 ? "Contoso Partner Portal:Partner.Read" : ""},Welcome`);
    return { "all.csv": `email,displayName,groups,apps,message\n${rows.join("\n")}\n` };
}

describe("engine: adoption of what the tenant already has", () => {
    it("500 existing guests, 300 memberships and 50 assignments are adopted in one up: exactly 100 invitations, no mail to existing users, then no changes", async function () {
        this.timeout(600_000);
        const sim = await SimStack.create(bigFile(), bigTenant());
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.strictEqual(ops(up, "create").filter((o) => o.startsWith("create GuestUser")).length, 600, "a GuestUser per guest, adopted or invited");
        assert.strictEqual(ops(up, "import").filter((o) => o.startsWith("import GroupMember")).length, 300);
        assert.strictEqual(ops(up, "import").filter((o) => o.startsWith("import AppRoleAssignment")).length, 50);
        assert.strictEqual(ops(up, "create").filter((o) => o.startsWith("create GroupMember")).length, 300);
        assert.strictEqual(ops(up, "create").filter((o) => o.startsWith("create AppRoleAssignment")).length, 50);
        assert.deepStrictEqual(ops(up).filter((o) => !/^(create|import) /.test(o)), [], "nothing but creates and imports");
        assert.strictEqual(invitationPosts(sim).length, 100, "exactly 100 invitations");
        assert.deepStrictEqual(mails(sim).map((m) => m.kind === "mail" && m.to).sort(), Array.from({ length: 100 }, (_, i) => email(500 + i)), "mail to the new guests only");
        const tenant = sim.tenant();
        assert.deepStrictEqual(sim.writes().filter((w) => w.startsWith("PATCH")), [], "no user is patched");
        assert.strictEqual(tenant.users.filter((u) => u.mail?.startsWith("guest") && u.companyName === "Fabrikam").length, 500, "adopted users keep their companyName");
        assert.strictEqual(tenant.groups.find((g) => g.id === IDS.falcon)!.members.length, 600);
        assert.strictEqual(tenant.appRoleAssignments.filter((a) => a.resourceId === IDS.portal && a.principalId !== IDS.admin).length, 100);
        const info = up.diagnostics.filter((d) => d.severity === "info").map((d) => d.message).join("\n");
        assert.match(info, /adopting 500 existing users instead of inviting them \(no invitation, no mail;/);
        assert.match(info, /no invitation mail for 500 guests whose file asks for one, because the user already exists/);
        assert.match(info, /adopting 300 existing group memberships and 50 existing app role assignments \(imported, not created\)/);
        const state = await sim.state();
        const guestUsers = state.filter((r) => r.type === "entraguests:index:GuestUser");
        assert.deepStrictEqual([guestUsers.filter((r) => r.outputs.createdByStack === true).length, guestUsers.filter((r) => r.outputs.createdByStack === false).length], [100, 500], "the stack owns what it invited");
        assert.strictEqual(state.some((r) => r.protect), false, "imports are not protected");

        sim.clearCalls();
        const preview = await sim.preview();
        assert.strictEqual(preview.ok, true, preview.failure);
        assert.deepStrictEqual(ops(preview).filter((o) => !o.startsWith("same ")), [], "a following preview shows no changes");
        // A steady-state run looks nothing up: one existence check of the 600 recorded users (docs/identity.md).
        assert.deepStrictEqual(
            sim.calls().flatMap((c) => (c.kind === "request" && c.via === "http" ? [`${c.method} ${c.path}`] : [])),
            ["POST /directoryObjects/getByIds"],
        );
    });

    it("a membership whose read-back missed is adopted by the next up instead of failing it with 'already exists'", async () => {
        const seed = sampleTenant();
        seed.faults = { memberReadBackMisses: { "ann@fabrikam.com": 1 } };
        const sim = await SimStack.create({ "a.yaml": "guests:\n  - email: ann@fabrikam.com\n    groups: [Project Falcon]\n" }, seed);
        const first = await sim.up();
        assert.strictEqual(first.ok, false);
        const ann = sim.tenant().users.find((u) => u.mail === "ann@fabrikam.com")!;
        sim.clearCalls();
        const again = await sim.up();
        assert.strictEqual(again.ok, true, again.failure);
        assert.deepStrictEqual(ops(again, "import", "create"), [`import GroupMember guests/ann@fabrikam.com/${IDS.falcon}`]);
        assert.deepStrictEqual(sim.writes(), [], "nothing written: the membership is adopted");
        assert.deepStrictEqual(sim.tenant().groups.find((g) => g.id === IDS.falcon)!.members, [ann.id]);
    });

    it("a first deployment that fails half way leaves a baseline: the guests it invited are guarded when removed", async function () {
        this.timeout(300_000);
        const seed = sampleTenant();
        // zed's membership fails its read-back, which fails the run. zed is invited by then (the
        // membership waits for its GuestUser), whatever order the engine takes the rest in.
        seed.faults = { memberReadBackMisses: { "zed@fabrikam.com": 1 } };
        const names = ["ann", "bo", "cy", "dee", "zed"];
        const file = { "g.csv": `email,groups\n${names.map((n) => `${n}@fabrikam.com,Project Falcon`).join("\n")}\n` };
        const sim = await SimStack.create(file, seed, { "entra-guests:maxRemovals": "0" });
        const first = await sim.up();
        assert.strictEqual(first.ok, false);
        assert.match(first.failure, /expected non-nil error with nil state during Create/);
        const invited = sim.tenant().users.filter((u) => u.createdBy === "invitation").map((u) => u.mail ?? "").sort();
        assert.ok(invited.includes("zed@fabrikam.com"), `guests invited before the failure: ${invited.join(", ")}`);
        const baseline = JSON.parse((await sim.outputs()).managedGuests?.value as string) as Record<string, unknown>;
        assert.deepStrictEqual(Object.keys(baseline ?? {}).sort(), names.map((n) => `${n}@fabrikam.com`), "the failed run published its baseline");
        assert.strictEqual((await sim.outputs()).runComplete?.value, false);

        // Only ann stays: the others' users are the stack's own (their GuestUsers say so), so their
        // removal deletes them, and the guard, counting them, refuses it before any write.
        sim.writeGuests({ "g.csv": "email\nann@fabrikam.com\n" });
        sim.clearCalls();
        const leaving = names.filter((n) => n !== "ann").map((n) => `${n}@fabrikam.com`);
        const guarded = await sim.up();
        assert.strictEqual(guarded.ok, false);
        assert.match(guarded.failure, new RegExp(`this run would delete 4 guest users, more than \`entra-guests:maxRemovals\` \\(0\\) allows: ${leaving.join(", ").replace(/\./g, "\\.")}\\.`));
        assert.deepStrictEqual(sim.writes(), []);
        await sim.setConfig("entra-guests:confirmRemovals", "4");
        const confirmed = await sim.up();
        assert.strictEqual(confirmed.ok, true, confirmed.failure);
        const deleted = sim.writes().filter((w) => w.startsWith("DELETE /users/"));
        assert.strictEqual(deleted.length, invited.filter((m) => m !== "ann@fabrikam.com").length, "each user the failed run invited, once");
    });
});

describe("engine: a deployment killed half way", () => {
    it("is completed by the next up after `pulumi cancel`: what it made is adopted, nothing is deleted, no address gets a second user", async function () {
        this.timeout(300_000);
        const rows = Array.from({ length: 40 }, (_, i) => `${email(i)},Project Falcon`);
        const sim = await SimStack.create({ "g.csv": `email,groups\n${rows.join("\n")}\n` }, sampleTenant(), { "entra-guests:maxRemovals": "0" });
        const falcon = (t: { groups: { id: string; members: string[] }[] }) => t.groups.find((g) => g.id === IDS.falcon)!.members.length;
        const run = await sim.upKilled((t) => falcon(t) >= 10);
        assert.strictEqual(run.killed, true, "the up was killed before it finished");
        const before = sim.tenant();
        assert.ok(falcon(before) < 40, `killed half way (${falcon(before)} of 40 memberships)`);

        // A killed run leaves its lock: `pulumi cancel` (the engine's own way out, not a state edit) clears it.
        const locked = await sim.up();
        assert.strictEqual(locked.ok, false);
        assert.match(locked.failure, /the stack is currently locked by 1 lock\(s\)/);
        await sim.cli("cancel", "--yes");
        sim.clearCalls();
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        const after = sim.tenant();
        const guests = after.users.filter((u) => u.mail?.startsWith("guest"));
        assert.strictEqual(guests.length, 40, "one user per address");
        assert.strictEqual(new Set(guests.map((u) => u.mail)).size, 40);
        assert.strictEqual(falcon(after), 40, "every guest in the group, once");
        // The killed run published no baseline (the engine records stack outputs when a deployment
        // ends), so the users it invited look like users that were there before, and are adopted.
        // Their invitations were created retained (provisional): forgetting them deletes nothing.
        const invited = before.users.filter((u) => u.mail?.startsWith("guest")).map((u) => u.mail);
        assert.ok(invited.length > 0, "guests invited before the kill");
        assert.deepStrictEqual(ops(up).filter((o) => /^(replace|delete-replaced|create-replacement)/.test(o) || (o.startsWith("delete ") && !o.startsWith("delete Invitation "))), [], "nothing replaced; only invitations forgotten");
        assert.deepStrictEqual(sim.writes().filter((w) => w.startsWith("DELETE")), [], "no delete reached the tenant");
        const state = await sim.state();
        assert.strictEqual(state.filter((r) => r.type.endsWith("Invitation")).length, 40 - invited.length, "adopted users have no invitation");
        assert.strictEqual(state.filter((r) => r.type.endsWith("GroupMember")).length, 40);
        const info = up.diagnostics.filter((d) => d.severity === "info").map((d) => d.message).join("\n");
        assert.match(info, new RegExp(`adopting ${invited.length} existing users? instead of inviting them`));
        const preview = await sim.preview();
        assert.deepStrictEqual(ops(preview).filter((o) => !o.startsWith("same ")), [], "then nothing left to do");
    });
});
