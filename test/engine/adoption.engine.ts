import * as assert from "assert";
import { ops, SimStack } from "./harness";
import { IDS, sampleTenant } from "./fixtures";
import { TenantSeed } from "../../tools/sim/tenant/format";

const uid = (n: number) => `bbbbbbbb-0000-4000-8000-${String(n).padStart(12, "0")}`;
const email = (n: number) => `guest${String(n).padStart(3, "0")}@fabrikam.example`;
const invitationPosts = (sim: SimStack) => sim.writes().filter((w) => w.startsWith("POST /invitations"));
const mails = (sim: SimStack) => sim.calls().filter((c) => c.kind === "mail");

/**
 * A tenant seeded with EXISTING guests, IN_GROUP of them in the group and WITH_ROLE holding the
 * app role, and files that declare them plus NEW guests. 60 addresses are three batches of
 * identity lookups (20 to a batch); the benches take the same path to 10,000 guests.
 */
const EXISTING = 60;
const IN_GROUP = 36;
const WITH_ROLE = 10;
const NEW = 12;
/** Declared guests with the portal role in the file: the first WITH_ROLE have it already. */
const DECLARED_WITH_ROLE = 20;
const DECLARED = EXISTING + NEW;
function bigTenant(): TenantSeed {
    const seed = sampleTenant();
    seed.users = [...(seed.users ?? []), ...Array.from({ length: EXISTING }, (_, i) => ({ id: uid(i), mail: email(i), displayName: `Guest ${i}`, userType: "Guest" as const, companyName: "Fabrikam" }))];
    seed.groups = seed.groups!.map((g) => (g.id === IDS.falcon ? { ...g, members: Array.from({ length: IN_GROUP }, (_, i) => uid(i)) } : g));
    seed.appRoleAssignments = [...(seed.appRoleAssignments ?? []), ...Array.from({ length: WITH_ROLE }, (_, i) => ({ id: `existing-${i}`, appRoleId: IDS.partnerRead, principalId: uid(i), resourceId: IDS.portal }))];
    return seed;
}

/** DECLARED guests, each in Project Falcon; the first DECLARED_WITH_ROLE with the portal role; every row asks for mail. */
function bigFile(): Record<string, string> {
    const rows = Array.from({ length: DECLARED }, (_, i) => `${email(i)},Guest ${i},Project Falcon,${i < DECLARED_WITH_ROLE ? "Contoso Partner Portal:Partner.Read" : ""},Welcome`);
    return { "all.csv": `email,displayName,groups,apps,message\n${rows.join("\n")}\n` };
}

describe("engine: adoption of what the tenant already has", () => {
    it("existing guests, memberships and assignments are adopted in one up: an invitation for each new guest only, no mail to existing users, then no changes", async function () {
        this.timeout(600_000);
        const sim = await SimStack.create(bigFile(), bigTenant());
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.strictEqual(ops(up, "create").filter((o) => o.startsWith("create GuestUser")).length, DECLARED, "a GuestUser per guest, adopted or invited");
        assert.strictEqual(ops(up, "import").filter((o) => o.startsWith("import GroupMember")).length, IN_GROUP);
        assert.strictEqual(ops(up, "import").filter((o) => o.startsWith("import AppRoleAssignment")).length, WITH_ROLE);
        assert.strictEqual(ops(up, "create").filter((o) => o.startsWith("create GroupMember")).length, DECLARED - IN_GROUP);
        assert.strictEqual(ops(up, "create").filter((o) => o.startsWith("create AppRoleAssignment")).length, DECLARED_WITH_ROLE - WITH_ROLE);
        assert.deepStrictEqual(ops(up).filter((o) => !/^(create|import) /.test(o)), [], "nothing but creates and imports");
        assert.strictEqual(invitationPosts(sim).length, NEW, "an invitation for each new guest");
        assert.deepStrictEqual(mails(sim).map((m) => m.kind === "mail" && m.to).sort(), Array.from({ length: NEW }, (_, i) => email(EXISTING + i)), "mail to the new guests only");
        const tenant = sim.tenant();
        assert.deepStrictEqual(sim.writes().filter((w) => w.startsWith("PATCH")), [], "no user is patched");
        assert.strictEqual(tenant.users.filter((u) => u.mail?.startsWith("guest") && u.companyName === "Fabrikam").length, EXISTING, "adopted users keep their companyName");
        assert.strictEqual(tenant.groups.find((g) => g.id === IDS.falcon)!.members.length, DECLARED);
        assert.strictEqual(tenant.appRoleAssignments.filter((a) => a.resourceId === IDS.portal && a.principalId !== IDS.admin).length, DECLARED_WITH_ROLE);
        const info = up.diagnostics.filter((d) => d.severity === "info").map((d) => d.message).join("\n");
        assert.match(info, new RegExp(`adopting ${EXISTING} existing users instead of inviting them \\(no invitation, no mail;`));
        assert.match(info, new RegExp(`no invitation mail for ${EXISTING} guests whose file asks for one, because the user already exists`));
        assert.match(info, new RegExp(`adopting ${IN_GROUP} existing group memberships and ${WITH_ROLE} existing app role assignments \\(imported, not created\\)`));
        const state = await sim.state();
        const guestUsers = state.filter((r) => r.type === "entraguests:index:GuestUser");
        assert.deepStrictEqual([guestUsers.filter((r) => r.outputs.createdByStack === true).length, guestUsers.filter((r) => r.outputs.createdByStack === false).length], [NEW, EXISTING], "the stack owns what it invited");
        assert.strictEqual(state.some((r) => r.protect), false, "imports are not protected");

        sim.clearCalls();
        const preview = await sim.preview();
        assert.strictEqual(preview.ok, true, preview.failure);
        assert.deepStrictEqual(ops(preview).filter((o) => !o.startsWith("same ")), [], "a following preview shows no changes");
        // A steady-state run looks nothing up: one existence check of the recorded users (docs/identity.md).
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
        const recorded = (await sim.state()).filter((r) => r.type === "entraguests:index:GuestUser").length;
        const invited = before.users.filter((u) => u.mail?.startsWith("guest")).map((u) => u.mail);
        assert.ok(invited.length >= recorded, `guests invited before the kill (${invited.length}), at least those recorded (${recorded})`);
        sim.clearCalls();
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        const after = sim.tenant();
        const guests = after.users.filter((u) => u.mail?.startsWith("guest"));
        assert.strictEqual(guests.length, 40, "one user per address");
        assert.strictEqual(new Set(guests.map((u) => u.mail)).size, 40);
        assert.strictEqual(falcon(after), 40, "every guest in the group, once");
        // What the killed run recorded stays; a user it invited without recording the GuestUser
        // looks like a user that was there before, and is adopted (kept if its entry is removed).
        assert.deepStrictEqual(ops(up).filter((o) => /^(replace|delete-replaced|create-replacement|delete )/.test(o)), [], "nothing replaced or deleted");
        assert.strictEqual(ops(up, "create").filter((o) => o.startsWith("create GuestUser")).length, 40 - recorded);
        assert.deepStrictEqual(sim.writes().filter((w) => w.startsWith("DELETE")), [], "no delete reached the tenant");
        assert.strictEqual(sim.writes().filter((w) => w.startsWith("POST /invitations")).length, 40 - invited.length, "an invitation only for addresses no user has");
        const state = await sim.state();
        assert.strictEqual(state.filter((r) => r.type === "entraguests:index:GuestUser").length, 40);
        assert.strictEqual(state.filter((r) => r.type.endsWith("GroupMember")).length, 40);
        // A killed run never finalizes its stack outputs (step_executor.go:214-222 keeps them for the
        // end), so the program sees no baseline and takes every user it finds as existing: it
        // imports the memberships the killed run made. The GuestUsers the killed run recorded keep
        // their createdByStack, so the new baseline says whose each user is.
        const info = up.diagnostics.filter((d) => d.severity === "info").map((d) => d.message).join("\n");
        assert.match(info, new RegExp(`adopting ${invited.length} existing users? instead of inviting them`));
        const baseline = JSON.parse((await sim.outputs()).managedGuests?.value as string) as Record<string, { owner: string }>;
        const owners = Object.values(baseline).map((e) => e.owner);
        assert.deepStrictEqual([owners.filter((o) => o === "stack").length, owners.filter((o) => o === "adopted").length], [40 - invited.length + recorded, invited.length - recorded]);
        const preview = await sim.preview();
        assert.deepStrictEqual(ops(preview).filter((o) => !o.startsWith("same ")), [], "then nothing left to do");
    });
});
