import { strict as assert } from "assert";
import { rm } from "fs/promises";
import { TenantSeed } from "../sim/tenant/format";
import { tempProject } from "./helpers/cli";
import { managedGuestsOf, runProgram } from "./helpers/pulumi";
import { AS_OF } from "./helpers/roster";
import { checkRemovals, fingerprint, GuestPlan, ManagedGuests, parseManagedGuests, planAdoption, TenantAssignment, TenantReads, TenantUser } from "../plan";

const PARTNERS = "11111111-1111-4111-8111-111111111111";
const PORTAL = "22222222-2222-4222-8222-222222222222";
const READER = "33333333-3333-4333-8333-333333333333";
const WRITER = "44444444-4444-4444-8444-444444444444";
const uid = (n: number) => `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** A tenant behind the three reads, counting what each was asked. */
class FakeTenant implements TenantReads {
    asked = { mails: [] as string[][], groups: [] as string[], apps: [] as string[], ids: [] as string[][] };
    constructor(
        readonly users: Record<string, string> = {},
        readonly members: Record<string, string[]> = {},
        readonly assignments: Record<string, TenantAssignment[]> = {},
    ) {}
    async usersByMail(mails: string[]): Promise<Map<string, TenantUser>> {
        this.asked.mails.push([...mails]);
        return new Map(mails.filter((m) => this.users[m]).map((m) => [m, { id: this.users[m], mail: m, userType: "Guest" }]));
    }
    async groupMemberIds(groupId: string): Promise<Set<string>> {
        this.asked.groups.push(groupId);
        return new Set(this.members[groupId] ?? []);
    }
    async existingUserIds(ids: string[]): Promise<Set<string>> {
        this.asked.ids.push([...ids]);
        const all = new Set(Object.values(this.users));
        return new Set(ids.filter((id) => all.has(id)));
    }
    async appRoleAssignedTo(sp: string): Promise<TenantAssignment[]> {
        this.asked.apps.push(sp);
        return this.assignments[sp] ?? [];
    }
}

function plan(emails: string[], opts: { message?: boolean; retain?: string[] } = {}): Pick<GuestPlan, "invitations" | "memberships" | "assignments"> {
    return {
        invitations: emails.map((email, i) => ({
            name: email,
            email,
            inputs: { userEmailAddress: email, redirectUrl: "https://myapps.microsoft.com", userType: "Guest" as const, ...(opts.message ? { message: { language: "en-US" } } : {}) },
            retainOnDelete: opts.retain?.includes(email) ?? false,
            protect: false,
            source: { file: "g.csv", line: i + 2 },
        })),
        memberships: emails.map((email) => ({ name: `${email}/${PARTNERS}`, email, group: "Partners", groupObjectId: PARTNERS })),
        assignments: emails.map((email) => ({ name: `${email}/${PORTAL}`, email, app: "Portal", role: "Reader", resourceObjectId: PORTAL, appRoleId: READER })),
    };
}

const settings = { deleteAdoptedUsers: false };

describe("adoption: users, memberships and assignments that already exist", () => {
    it("adopts existing users without an invitation and invites the others", async () => {
        const tenant = new FakeTenant({ "ann@fabrikam.com": uid(1) }, { [PARTNERS]: [uid(1)] }, { [PORTAL]: [{ id: "asg-1", appRoleId: READER, principalId: uid(1), resourceId: PORTAL }] });
        const result = await planAdoption(plan(["ann@fabrikam.com", "bo@fabrikam.com"], { message: true }), undefined, tenant, settings);
        assert.deepEqual(Object.fromEntries(result.users), { "ann@fabrikam.com": { mode: "adopt", userId: uid(1) }, "bo@fabrikam.com": { mode: "invite", provisional: true } });
        assert.deepEqual(Object.fromEntries(result.imports), {
            [`ann@fabrikam.com/${PARTNERS}`]: `${PARTNERS}/member/${uid(1)}`,
            [`ann@fabrikam.com/${PORTAL}`]: `/servicePrincipals/${PORTAL}/appRoleAssignedTo/asg-1`,
        });
        // One batch of users, one listing per group and per app: not one per guest.
        assert.deepEqual(tenant.asked, { mails: [["ann@fabrikam.com", "bo@fabrikam.com"]], groups: [PARTNERS], apps: [PORTAL], ids: [] });
        assert.deepEqual(result.baseline["ann@fabrikam.com"], { onRemove: "retain", invite: fingerprint(plan(["ann@fabrikam.com"], { message: true }).invitations[0].inputs), userId: uid(1), adopted: true });
        assert.deepEqual(Object.keys(result.baseline["bo@fabrikam.com"]).sort(), ["invite", "onRemove", "provisional"]);
        assert.deepEqual(result.notes, [
            "adopting 1 existing user instead of inviting them (no invitation, no mail; kept when their entry is removed (set `entra-guests:deleteAdoptedUsers` to delete them)): ann@fabrikam.com",
            "no invitation mail for 1 guest whose file asks for one, because the user already exists: ann@fabrikam.com",
            "adopting 1 existing group membership and 1 existing app role assignment (imported, not created)",
        ]);
    });

    it("makes no lookups in a steady state, only one existence check per 1,000 invited users", async () => {
        const tenant = new FakeTenant({ "ann@fabrikam.com": uid(1), "bo@fabrikam.com": uid(2) });
        const previous: ManagedGuests = { "ann@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(1) }, "bo@fabrikam.com": { onRemove: "retain", invite: "x", userId: uid(2), adopted: true } };
        const result = await planAdoption(plan(["ann@fabrikam.com", "bo@fabrikam.com"]), previous, tenant, settings);
        assert.deepEqual(tenant.asked, { mails: [], groups: [], apps: [], ids: [[uid(1), uid(2)]] }, "one existence check for the users it knows");
        assert.deepEqual(Object.fromEntries(result.users), { "ann@fabrikam.com": { mode: "invite", userId: uid(1) }, "bo@fabrikam.com": { mode: "adopt", userId: uid(2) } });
        assert.equal(result.imports.size, 0);
        assert.deepEqual(result.notes, []);
    });

    it("settles guests the last run invited: their user is looked up once, and what that run added is imported", async () => {
        // The last run invited ann and was stopped after adding her to Partners, before it was recorded.
        const tenant = new FakeTenant({ "ann@fabrikam.com": uid(1) }, { [PARTNERS]: [uid(1)] });
        const previous: ManagedGuests = { "ann@fabrikam.com": { onRemove: "delete", invite: "x" } };
        const result = await planAdoption(plan(["ann@fabrikam.com"]), previous, tenant, settings);
        assert.deepEqual(Object.fromEntries(result.users), { "ann@fabrikam.com": { mode: "invite", userId: uid(1) } }, "still invited: its Invitation stays");
        assert.deepEqual(Object.fromEntries(result.imports), { [`ann@fabrikam.com/${PARTNERS}`]: `${PARTNERS}/member/${uid(1)}` });
        assert.equal(result.baseline["ann@fabrikam.com"].userId, uid(1));
        assert.equal(result.baseline["ann@fabrikam.com"].adopted, undefined);
    });

    it("leaves another role of the same app alone and assigns the file's role beside it", async () => {
        const tenant = new FakeTenant({ "ann@fabrikam.com": uid(1) }, {}, { [PORTAL]: [{ id: "asg-9", appRoleId: WRITER, principalId: uid(1), resourceId: PORTAL }] });
        const result = await planAdoption(plan(["ann@fabrikam.com"]), undefined, tenant, settings);
        assert.equal(result.imports.size, 0);
        assert.deepEqual(result.notes.slice(-1), [`left alone: ann@fabrikam.com already has 1 other role of app Portal (${WRITER}), which the stack does not manage; the role in the file is assigned beside it`]);
    });

    it("with deleteAdoptedUsers, owns adopted users through an Invitation without mail, and keeps owning them when switched off", async () => {
        const tenant = new FakeTenant({ "ann@fabrikam.com": uid(1) });
        const first = await planAdoption(plan(["ann@fabrikam.com"]), undefined, tenant, { deleteAdoptedUsers: true });
        assert.deepEqual(first.users.get("ann@fabrikam.com"), { mode: "adopt", userId: uid(1), invitationWithoutMail: true });
        assert.deepEqual([first.baseline["ann@fabrikam.com"].onRemove, first.baseline["ann@fabrikam.com"].invitation], ["delete", true]);
        // Switched off: the Invitation stays registered (dropping it would delete the user), retained.
        const second = await planAdoption(plan(["ann@fabrikam.com"]), first.baseline, tenant, settings);
        assert.deepEqual(second.users.get("ann@fabrikam.com"), { mode: "adopt", userId: uid(1), invitationWithoutMail: true, retainInvitation: true });
        assert.equal(second.baseline["ann@fabrikam.com"].onRemove, "retain");
    });

    it("keeps counting a removal until its user is gone, so a failed run cannot switch the guard off", async () => {
        const previous: ManagedGuests = { "ann@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(1) }, "bo@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(2) } };
        // Run 1 removes bo: counted, and carried as `removing`.
        const tenant = new FakeTenant({ "ann@fabrikam.com": uid(1), "bo@fabrikam.com": uid(2) });
        const run1 = await planAdoption(plan(["ann@fabrikam.com"]), previous, tenant, settings);
        assert.deepEqual(checkRemovals(previous, plan(["ann@fabrikam.com"]), { maxRemovals: 0, confirmRemovals: 1 }, run1.stillPresent).deleted, ["bo@fabrikam.com"]);
        assert.deepEqual(run1.baseline["bo@fabrikam.com"], { onRemove: "delete", invite: "x", userId: uid(2), removing: true });
        // Run 1 failed: bo's user is still there, so run 2 counts it again and carries it.
        const run2 = await planAdoption(plan(["ann@fabrikam.com"]), run1.baseline, tenant, settings);
        assert.deepEqual(tenant.asked.mails, [["bo@fabrikam.com"]], "a removal carried over is looked up by mail");
        assert.deepEqual(checkRemovals(run1.baseline, plan(["ann@fabrikam.com"]), { maxRemovals: 0, confirmRemovals: 1 }, run2.stillPresent).deleted, ["bo@fabrikam.com"]);
        assert.equal(run2.baseline["bo@fabrikam.com"]?.removing, true);
        // Run 2 deleted it: run 3 finds no user, counts nothing and forgets it.
        const gone = new FakeTenant({ "ann@fabrikam.com": uid(1) });
        const run3 = await planAdoption(plan(["ann@fabrikam.com"]), run2.baseline, gone, settings);
        const report = checkRemovals(run2.baseline, plan(["ann@fabrikam.com"]), { maxRemovals: 0, confirmRemovals: 0 }, run3.stillPresent);
        assert.deepEqual([report.deleted, report.error], [[], undefined]);
        assert.deepEqual(Object.keys(run3.baseline), ["ann@fabrikam.com"]);
    });

    it("does not carry retained or adopted users as removals", async () => {
        const previous: ManagedGuests = { "ann@fabrikam.com": { onRemove: "retain", invite: "x", userId: uid(1) }, "bo@fabrikam.com": { onRemove: "retain", invite: "x", userId: uid(2), adopted: true } };
        const result = await planAdoption(plan([]), previous, new FakeTenant({ "ann@fabrikam.com": uid(1) }), settings);
        assert.deepEqual(result.baseline, {});
        assert.deepEqual(checkRemovals(previous, plan([]), { maxRemovals: 0, confirmRemovals: 0 }, result.stillPresent).retained, ["ann@fabrikam.com", "bo@fabrikam.com"]);
    });

    it("repairs a guest whose user was deleted outside the stack in two runs: retained first, then invited again", async () => {
        const previous: ManagedGuests = { "ann@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(1) }, "bo@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(2) } };
        const tenant = new FakeTenant({ "bo@fabrikam.com": uid(2) });
        const first = await planAdoption(plan(["ann@fabrikam.com", "bo@fabrikam.com"]), previous, tenant, settings);
        assert.deepEqual(first.users.get("ann@fabrikam.com"), { mode: "invite", reinvite: "prepare" });
        assert.deepEqual(first.baseline["ann@fabrikam.com"], { onRemove: "delete", invite: "x", userId: uid(1), reinvite: "prepared" });
        assert.deepEqual(first.pendingRepairs, ["ann@fabrikam.com"]);
        assert.deepEqual([...first.gone], ["ann@fabrikam.com"]);
        const second = await planAdoption(plan(["ann@fabrikam.com", "bo@fabrikam.com"]), first.baseline, tenant, settings);
        assert.deepEqual(second.users.get("ann@fabrikam.com"), { mode: "invite", reinvite: "now", provisional: true }, "the new invitation is provisional like any");
        assert.equal(second.baseline["ann@fabrikam.com"].userId, undefined, "unsettled: the next run looks the new user up");
        assert.equal(second.baseline["ann@fabrikam.com"].reinvite, undefined);
        assert.deepEqual(second.pendingRepairs, []);
        assert.deepEqual(second.notes, ["inviting 1 guest again whose user was deleted outside the stack: ann@fabrikam.com"]);
    });

    it("drops a removed guest whose user is gone without counting it as a deletion", async () => {
        const previous: ManagedGuests = { "ann@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(1) } };
        const first = await planAdoption(plan([]), previous, new FakeTenant(), settings);
        assert.deepEqual(first.tombstones, [{ email: "ann@fabrikam.com", retain: true }]);
        assert.deepEqual(checkRemovals(previous, plan([]), { maxRemovals: 0, confirmRemovals: 0 }, first.stillPresent, first.gone).deleted, []);
        const second = await planAdoption(plan([]), first.baseline, new FakeTenant(), settings);
        assert.deepEqual([second.tombstones, second.baseline], [[], {}], "then forgotten: the engine drops the retained invitation");
        assert.deepEqual(checkRemovals(first.baseline, plan([]), { maxRemovals: 0, confirmRemovals: 0 }, second.stillPresent, second.gone).deleted, []);
    });

    it("removes a provisional guest in two runs: made deletable, then deleted and counted", async () => {
        // Invited by the last run; removed before any run saw its user.
        const previous: ManagedGuests = { "ann@fabrikam.com": { onRemove: "delete", invite: "x", provisional: true } };
        const tenant = new FakeTenant({ "ann@fabrikam.com": uid(1) });
        const first = await planAdoption(plan([]), previous, tenant, settings);
        assert.deepEqual(first.tombstones, [{ email: "ann@fabrikam.com", retain: false }]);
        assert.deepEqual(first.baseline, { "ann@fabrikam.com": { onRemove: "delete", invite: "x", provisional: true, leaving: true } });
        assert.deepEqual(checkRemovals(previous, plan([]), { maxRemovals: 0, confirmRemovals: 0 }, first.stillPresent, first.gone).deleted, [], "its invitation is retained: nothing deleted yet");
        const second = await planAdoption(plan([]), first.baseline, tenant, settings);
        assert.deepEqual(second.tombstones, []);
        assert.deepEqual(checkRemovals(first.baseline, plan([]), { maxRemovals: 0, confirmRemovals: 1 }, second.stillPresent, second.gone).deleted, ["ann@fabrikam.com"]);
        assert.deepEqual(second.baseline, { "ann@fabrikam.com": { onRemove: "delete", invite: "x", removing: true } });
    });

    it("invites an adopted guest whose user was deleted outside the stack like a new one, in one run", async () => {
        const previous: ManagedGuests = { "ann@fabrikam.com": { onRemove: "retain", invite: "x", userId: uid(1), adopted: true }, "bo@fabrikam.com": { onRemove: "retain", invite: "x", userId: uid(2), adopted: true } };
        const result = await planAdoption(plan(["ann@fabrikam.com"]), previous, new FakeTenant(), settings);
        assert.deepEqual(result.users.get("ann@fabrikam.com"), { mode: "invite", provisional: true });
        assert.deepEqual(result.baseline["ann@fabrikam.com"], { onRemove: "delete", invite: fingerprint(plan(["ann@fabrikam.com"]).invitations[0].inputs), provisional: true });
        assert.deepEqual([result.tombstones, result.pendingRepairs], [[], []], "bo had no invitation of ours: nothing to register, just forgotten");
        assert.equal(result.baseline["bo@fabrikam.com"], undefined);
        assert.deepEqual(result.notes, ["inviting 1 adopted guest whose user was deleted outside the stack: ann@fabrikam.com"]);
    });

    it("reads the extended baseline and refuses a malformed flag", () => {
        const ok = parseManagedGuests({ "a@b.com": { onRemove: "delete", invite: "x", userId: uid(1), adopted: true, removing: true } });
        assert.deepEqual(ok, { ok: true, guests: { "a@b.com": { onRemove: "delete", invite: "x", userId: uid(1), adopted: true, removing: true } } });
        const bad = parseManagedGuests({ "a@b.com": { onRemove: "delete", invite: "x", adopted: "yes" } });
        assert.equal(bad.ok, false);
    });
});

describe("adoption in the program (mocked engine, simulated Graph)", () => {
    const INVITATION = "azuread:index/invitation:Invitation";
    const MEMBER = "azuread:index/groupMember:GroupMember";
    const DIRECTORY = { groups: { Partners: [PARTNERS] }, servicePrincipals: [] };
    let dirs: string[] = [];
    afterEach(async () => {
        await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
        dirs = [];
    });
    const run = async (csv: string, tenant: TenantSeed, previous?: ManagedGuests, config: Record<string, unknown> = {}) => {
        const dir = await tempProject({ "g.csv": csv });
        dirs.push(dir);
        return runProgram({ guests: [dir], asOf: AS_OF, ...config }, DIRECTORY, { tenant, previousOutputs: previous && { managedGuests: previous } });
    };

    it("registers no Invitation for an existing user and imports its existing membership", async () => {
        const tenant: TenantSeed = { users: [{ id: uid(1), mail: "ann@fabrikam.com", userType: "Guest" }], groups: [{ id: PARTNERS, displayName: "Partners", members: [uid(1)] }] };
        const result = await run("email,groups,message\nann@fabrikam.com,Partners,Hi\nbo@fabrikam.com,Partners,Hi\n", tenant);
        assert.equal(result.error, undefined);
        assert.deepEqual(result.resources.filter((r) => r.type === INVITATION).map((r) => r.name), ["guests/bo@fabrikam.com"]);
        const members = result.resources.filter((r) => r.type === MEMBER).map((r) => [r.name, r.inputs.memberObjectId, r.options.import]);
        assert.deepEqual(members, [
            [`guests/ann@fabrikam.com/${PARTNERS}`, uid(1), `${PARTNERS}/member/${uid(1)}`],
            [`guests/bo@fabrikam.com/${PARTNERS}`, "user-id-of-bo@fabrikam.com", undefined],
        ]);
        const managed = managedGuestsOf(result.outputs);
        assert.deepEqual(managed["ann@fabrikam.com"].adopted, true);
        assert.deepEqual(result.graph.map((g) => g.split("?")[0]), ["GET /users", `GET /groups/${PARTNERS}/members`]);
    });

    it("with deleteAdoptedUsers, the adopted user's Invitation has no message block, so no mail", async () => {
        const tenant: TenantSeed = { users: [{ id: uid(1), mail: "ann@fabrikam.com", userType: "Guest" }], groups: [{ id: PARTNERS, displayName: "Partners" }] };
        const result = await run("email,message,groups\nann@fabrikam.com,Welcome,Partners\n", tenant, undefined, { deleteAdoptedUsers: true });
        const inv = result.resources.filter((r) => r.type === INVITATION);
        assert.deepEqual(inv.map((r) => [r.name, r.inputs.message, r.options.retainOnDelete]), [["guests/ann@fabrikam.com", undefined, false]]);
        // The stack owns the user, so removing ann deletes it, and her membership goes with it.
        const members = result.resources.filter((r) => r.type === MEMBER);
        assert.deepEqual(members.map((r) => [r.name, r.inputs.memberObjectId, r.options.deletedWith]), [[`guests/ann@fabrikam.com/${PARTNERS}`, uid(1), "guests/ann@fabrikam.com"]]);
        const kept = await run("email,groups\nann@fabrikam.com,Partners\n", tenant);
        assert.deepEqual(kept.resources.filter((r) => r.type === MEMBER).map((r) => r.options.deletedWith), [undefined], "adopted and kept: no Invitation to go with");
    });

    it("prepares a guest whose user was deleted outside the stack, then invites it again", async () => {
        const previous: ManagedGuests = { "ann@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(1) } };
        const first = await run("email,groups\nann@fabrikam.com,Partners\n", {}, previous);
        assert.equal(first.error, undefined);
        const inv = first.resources.find((r) => r.type === INVITATION)!;
        assert.deepEqual([inv.options.retainOnDelete, inv.options.replacementTrigger], [true, "retained: user deleted outside the stack"]);
        // The mocked Invitation has a user ID (no refresh): what is left is kept, retained.
        assert.deepEqual(first.resources.filter((r) => r.type === MEMBER).map((r) => r.options.retainOnDelete), [true]);
        assert.deepEqual(first.outputs?.pendingRepairs, ["ann@fabrikam.com"]);
        const second = await run("email,groups\nann@fabrikam.com,Partners\n", {}, managedGuestsOf(first.outputs));
        const again = second.resources.find((r) => r.type === INVITATION)!;
        assert.deepEqual([again.options.retainOnDelete, again.options.replacementTrigger], [true, "invited again"], "provisional until a run sees the new user");
        assert.deepEqual(second.outputs?.pendingRepairs, []);
    });
});

describe("adoption lookups that fail (issue 12)", () => {
    it("a refused Graph permission stops the run before anything is registered, naming the permission, not blaming the files", async () => {
        const dir = await tempProject({ "g.csv": "email\nann@fabrikam.com\n" });
        try {
            const tenant: TenantSeed = { faults: { deny: { status: 403, code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation.", pathPrefix: "/users" } } };
            const result = await runProgram({ guests: [dir], asOf: AS_OF }, { groups: {}, servicePrincipals: [] }, { tenant });
            assert.equal(result.error?.constructor.name, "RunError");
            const lines = (result.error?.message ?? "").split("\n");
            assert.match(lines[0], /^looking up which guests already exist in the tenant failed: .*403 Authorization_RequestDenied: Insufficient privileges to complete the operation\..*`User\.Read\.All`/);
            assert.deepEqual(lines.slice(1), ["nothing was changed; the directory lookups failed"]);
            assert.deepEqual(result.resources.filter((r) => r.type.startsWith("azuread:")), []);
        } finally {
            await rm(dir, { recursive: true, force: true });
        }
    });
});
