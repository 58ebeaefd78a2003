import { strict as assert } from "assert";
import type { DirectoryAssignment } from "../graph/directory";
import { identify, Identity, IdentityUser } from "../graph/identity";
import { accessFingerprint, checkRemovals, GuestPlan, ManagedGuests, parseManagedGuests, planIdentity, TenantReads } from "../plan";

const PARTNERS = "11111111-1111-4111-8111-111111111111";
const PORTAL = "22222222-2222-4222-8222-222222222222";
const READER = "33333333-3333-4333-8333-333333333333";
const WRITER = "44444444-4444-4444-8444-444444444444";
const uid = (n: number) => `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, "0")}`;

interface FakeUser {
    id: string;
    mail: string | null;
    userType?: "Guest" | "Member";
    otherMails?: string[];
    userPrincipalName?: string;
}

/** A tenant behind the four reads, counting what each was asked; identity follows graph/identity.ts. */
class FakeTenant implements TenantReads {
    asked = { addresses: [] as string[][], groups: [] as string[], apps: [] as string[], ids: [] as string[][] };
    constructor(
        readonly users: FakeUser[] = [],
        readonly members: Record<string, string[]> = {},
        readonly assignments: Record<string, DirectoryAssignment[]> = {},
    ) {}
    async usersByAddress(addresses: string[]): Promise<Map<string, Identity>> {
        this.asked.addresses.push([...addresses]);
        const all: IdentityUser[] = this.users.map((u) => ({ id: u.id, mail: u.mail, userPrincipalName: u.userPrincipalName ?? null, otherMails: u.otherMails ?? [], proxyAddresses: [], userType: u.userType ?? "Guest", displayName: null, createdDateTime: null, externalUserState: null, externalUserStateChangeDateTime: null }));
        return new Map(addresses.map((a) => [a, identify(a, all)]));
    }
    async existingUsers(ids: string[]): Promise<Map<string, { userType: string | null }>> {
        this.asked.ids.push([...ids]);
        return new Map(this.users.filter((u) => ids.includes(u.id)).map((u) => [u.id, { userType: u.userType ?? "Guest" }]));
    }
    async groupMemberIds(groupId: string): Promise<Set<string>> {
        this.asked.groups.push(groupId);
        return new Set(this.members[groupId] ?? []);
    }
    async appRoleAssignedTo(sp: string): Promise<DirectoryAssignment[]> {
        this.asked.apps.push(sp);
        return this.assignments[sp] ?? [];
    }
}

type Plan = Pick<GuestPlan, "invitations" | "memberships" | "assignments">;

function plan(emails: string[], opts: { message?: boolean; retain?: string[]; members?: string[] } = {}): Plan {
    return {
        invitations: emails.map((email, i) => ({
            name: email,
            email,
            inputs: { userEmailAddress: email, redirectUrl: "https://myapps.microsoft.com", userType: "Guest" as const, ...(opts.message ? { message: { language: "en-US" } } : {}) },
            retainOnDelete: opts.retain?.includes(email) ?? false,
            protect: false,
            existingMember: opts.members?.includes(email) ?? false,
            source: { file: "g.csv", line: i + 2 },
        })),
        memberships: emails.map((email) => ({ name: `${email}/${PARTNERS}`, email, group: "Partners", groupObjectId: PARTNERS })),
        assignments: emails.map((email) => ({ name: `${email}/${PORTAL}`, email, app: "Portal", role: "Reader", resourceObjectId: PORTAL, appRoleId: READER })),
    };
}

/** The access fingerprint of [PARTNERS] and PORTAL/READER, written out. */
const ACCESS = "e2803286af3275af";
const current = { deleteAdoptedUsers: false, lastRunComplete: true, legacy: false };

describe("access fingerprint", () => {
    it("is written-out digests of the sorted groups and app roles: order does not matter, every group and role does", () => {
        assert.deepEqual(
            [accessFingerprint([PARTNERS], [`${PORTAL}/${READER}`]), accessFingerprint([], []), accessFingerprint([], [`${PORTAL}/${READER}`]), accessFingerprint([PARTNERS], [])],
            ["e2803286af3275af", "643d5437104296e2", "84cb57e70bb4a1fd", "98e0232fd90ba12c"],
        );
        assert.equal(accessFingerprint([PORTAL, PARTNERS], []), accessFingerprint([PARTNERS, PORTAL], []));
    });
});

describe("identity: who each declared address names, and what the stack may do with it", () => {
    it("invites an address no user has, adopts the one guest that has it, and imports that guest's access", async () => {
        const tenant = new FakeTenant([{ id: uid(1), mail: "Ann@Fabrikam.com" }], { [PARTNERS]: [uid(1)] }, { [PORTAL]: [{ id: "asg-1", appRoleId: READER, principalId: uid(1), resourceId: PORTAL }] });
        const p = plan(["ann@fabrikam.com", "bo@fabrikam.com"], { message: true });
        const result = await planIdentity(p, undefined, tenant, current);
        assert.deepEqual(result.errors, []);
        assert.deepEqual(Object.fromEntries(result.users), {
            "ann@fabrikam.com": { register: true, userId: uid(1), expectedUserId: uid(1), owner: "adopted" },
            "bo@fabrikam.com": { register: true },
        });
        assert.deepEqual(Object.fromEntries(result.imports), {
            [`ann@fabrikam.com/${PARTNERS}`]: `${PARTNERS}/member/${uid(1)}`,
            [`ann@fabrikam.com/${PORTAL}`]: `/servicePrincipals/${PORTAL}/appRoleAssignedTo/asg-1`,
        });
        // One lookup per new address (20 to a batch in graph/identity.ts), one listing per group and app.
        assert.deepEqual(tenant.asked, { addresses: [["ann@fabrikam.com", "bo@fabrikam.com"]], groups: [PARTNERS], apps: [PORTAL], ids: [] });
        assert.deepEqual(result.baseline, {
            "ann@fabrikam.com": { onRemove: "retain", invite: "fa8c610bb4728596", userId: uid(1), owner: "adopted", access: ACCESS },
            "bo@fabrikam.com": { onRemove: "delete", invite: "4a56ade7c442d237", access: ACCESS },
        });
        assert.deepEqual(result.notes, [
            "adopting 1 existing user instead of inviting them (no invitation, no mail; kept when their entry is removed (set `entra-guests:deleteAdoptedUsers` to delete adopted guests)): ann@fabrikam.com",
            "no invitation mail for 1 guest whose file asks for one, because the user already exists: ann@fabrikam.com",
            "adopting 1 existing group membership and 1 existing app role assignment (imported, not created)",
        ]);
    });

    it("adopts a user Graph's invitation would hand back by otherMails or userPrincipalName, not only by mail", async () => {
        const tenant = new FakeTenant([
            { id: uid(1), mail: "a.lee@fabrikam-old.com", otherMails: ["ann@fabrikam.com"] },
            { id: uid(2), mail: null, userPrincipalName: "bo@contoso.com", userType: "Guest" },
        ]);
        const result = await planIdentity(plan(["ann@fabrikam.com", "bo@contoso.com"]), undefined, tenant, current);
        assert.deepEqual([result.users.get("ann@fabrikam.com")?.expectedUserId, result.users.get("bo@contoso.com")?.expectedUserId], [uid(1), uid(2)]);
        assert.deepEqual([result.baseline["ann@fabrikam.com"].owner, result.baseline["bo@contoso.com"].owner], ["adopted", "adopted"]);
    });

    it("refuses an address that names two users, located, naming both with their types, and registers nothing for it", async () => {
        const tenant = new FakeTenant([
            { id: uid(2), mail: "ANN@fabrikam.com", userType: "Member" },
            { id: uid(1), mail: "ann@fabrikam.com" },
        ]);
        const result = await planIdentity(plan(["bo@fabrikam.com", "ann@fabrikam.com"]), undefined, tenant, current);
        assert.deepEqual(result.errors, [
            {
                file: "g.csv",
                line: 3,
                message: `\`email\` ann@fabrikam.com names 2 users in the tenant: ${uid(1)} (Guest, by mail), ${uid(2)} (Member, by mail); the stack will not pick one. Remove the address from all but one of them in Entra (mail, otherMails, proxyAddresses), or declare the guest by another address`,
            },
        ]);
        assert.equal(result.users.has("ann@fabrikam.com"), false);
        assert.equal(result.baseline["ann@fabrikam.com"], undefined);
    });

    it("refuses a member named by a guest line unless its entry says existingMember, and then never deletes it", async () => {
        const tenant = new FakeTenant([{ id: uid(5), mail: "lena@contoso.com", userType: "Member" }]);
        const refused = await planIdentity(plan(["lena@contoso.com"]), undefined, tenant, current);
        assert.deepEqual(refused.errors.map((e) => e.message), [
            `\`email\` lena@contoso.com is a member of this tenant, not a guest (user ${uid(5)} (Member, by mail)); to manage this member's groups and apps from the file, set \`existingMember: true\` on the entry (the stack never deletes a member), otherwise delete the entry`,
        ]);
        const allowed = await planIdentity(plan(["lena@contoso.com"], { members: ["lena@contoso.com"] }), undefined, tenant, { ...current, deleteAdoptedUsers: true });
        assert.deepEqual(allowed.errors, []);
        assert.deepEqual(allowed.users.get("lena@contoso.com"), { register: true, userId: uid(5), expectedUserId: uid(5), owner: "member" });
        assert.equal(allowed.baseline["lena@contoso.com"].onRemove, "retain", "deleteAdoptedUsers never reaches a member");
    });

    it("refuses existingMember on a guest or on an address nobody has", async () => {
        const tenant = new FakeTenant([{ id: uid(1), mail: "ann@fabrikam.com" }]);
        const result = await planIdentity(plan(["ann@fabrikam.com", "nobody@contoso.com"], { members: ["ann@fabrikam.com", "nobody@contoso.com"] }), undefined, tenant, current);
        assert.deepEqual(result.errors.map((e) => [e.line, e.message]), [
            [2, `\`existingMember\` is true for ann@fabrikam.com, but the user is a guest (user ${uid(1)} (Guest, by mail)); delete \`existingMember\` to manage it as a guest`],
            [3, "`existingMember` is true for nobody@contoso.com, but no user in the tenant has this address; correct the address, or delete `existingMember` to invite a guest"],
        ]);
    });

    it("makes no lookup in a steady state: one existence check for recorded users, no listing", async () => {
        const tenant = new FakeTenant([{ id: uid(1), mail: "ann@fabrikam.com" }, { id: uid(2), mail: "bo@fabrikam.com" }]);
        const previous: ManagedGuests = {
            "ann@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(1), owner: "stack", access: ACCESS },
            "bo@fabrikam.com": { onRemove: "retain", invite: "x", userId: uid(2), owner: "adopted", access: ACCESS },
        };
        const result = await planIdentity(plan(["ann@fabrikam.com", "bo@fabrikam.com"]), previous, tenant, current);
        assert.deepEqual(tenant.asked, { addresses: [], groups: [], apps: [], ids: [[uid(1), uid(2)]] });
        assert.deepEqual(Object.fromEntries(result.users), { "ann@fabrikam.com": { register: true, userId: uid(1), owner: "stack" }, "bo@fabrikam.com": { register: true, userId: uid(2), owner: "adopted" } });
        assert.equal(result.imports.size, 0);
        assert.deepEqual(result.notes, []);
    });

    it("imports a membership added by hand when the guest's groups change, and every existing one after a run that did not finish", async () => {
        const tenant = new FakeTenant([{ id: uid(1), mail: "ann@fabrikam.com" }], { [PARTNERS]: [uid(1)] }, { [PORTAL]: [{ id: "asg-1", appRoleId: READER, principalId: uid(1), resourceId: PORTAL }] });
        // The last deployment gave ann no groups or apps; the portal added her to Partners and the file now says so.
        const before: ManagedGuests = { "ann@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(1), owner: "stack", access: "643d5437104296e2" } };
        const changed = await planIdentity(plan(["ann@fabrikam.com"]), before, tenant, current);
        assert.deepEqual([...changed.imports.keys()], [`ann@fabrikam.com/${PARTNERS}`, `ann@fabrikam.com/${PORTAL}`]);
        const unchanged = { "ann@fabrikam.com": { ...before["ann@fabrikam.com"], access: ACCESS } };
        assert.equal((await planIdentity(plan(["ann@fabrikam.com"]), unchanged, tenant, current)).imports.size, 0, "the same access after a finished run: in the state already");
        const afterFailure = await planIdentity(plan(["ann@fabrikam.com"]), unchanged, tenant, { ...current, lastRunComplete: false });
        assert.deepEqual([...afterFailure.imports.values()], [`${PARTNERS}/member/${uid(1)}`, `/servicePrincipals/${PORTAL}/appRoleAssignedTo/asg-1`]);
    });

    it("leaves another role of the same app alone and says so", async () => {
        const tenant = new FakeTenant([{ id: uid(1), mail: "ann@fabrikam.com" }], {}, { [PORTAL]: [{ id: "asg-9", appRoleId: WRITER, principalId: uid(1), resourceId: PORTAL }] });
        const result = await planIdentity(plan(["ann@fabrikam.com"]), undefined, tenant, current);
        assert.equal(result.imports.size, 0);
        assert.deepEqual(result.notes.slice(-1), [`left alone: ann@fabrikam.com already has 1 other role of app Portal (${WRITER}), which the stack does not manage; the role in the file is assigned beside it`]);
    });

    it("forgets a declared guest whose user was deleted outside the stack, so that the next run invites it anew", async () => {
        const previous: ManagedGuests = { "ann@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(1), owner: "stack", access: ACCESS } };
        const first = await planIdentity(plan(["ann@fabrikam.com"]), previous, new FakeTenant(), current);
        assert.deepEqual(first.users.get("ann@fabrikam.com"), { register: false });
        assert.deepEqual([first.pendingRepairs, first.baseline, [...first.gone]], [["ann@fabrikam.com"], {}, ["ann@fabrikam.com"]]);
        assert.deepEqual(first.warnings, ["the user of ann@fabrikam.com was deleted outside the stack; this run forgets it (nothing is deleted), and the next `pulumi up` invites ann@fabrikam.com again (remove its entry to drop it instead)"]);
        const second = await planIdentity(plan(["ann@fabrikam.com"]), first.baseline, new FakeTenant(), current);
        assert.deepEqual(second.users.get("ann@fabrikam.com"), { register: true }, "new to the stack: invited");
        assert.deepEqual(second.pendingRepairs, []);
    });

    it("keeps counting a removal until its user is gone, so a failed run cannot switch the guard off", async () => {
        const previous: ManagedGuests = {
            "ann@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(1), owner: "stack" },
            "bo@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(2), owner: "stack" },
        };
        const tenant = new FakeTenant([{ id: uid(1), mail: "ann@fabrikam.com" }, { id: uid(2), mail: "bo@fabrikam.com" }]);
        const guard = { maxRemovals: 0, confirmRemovals: 1 };
        const run1 = await planIdentity(plan(["ann@fabrikam.com"]), previous, tenant, current);
        assert.deepEqual(checkRemovals(previous, plan(["ann@fabrikam.com"]), guard, run1.stillPresent, run1.gone).deleted, ["bo@fabrikam.com"]);
        assert.deepEqual(run1.baseline["bo@fabrikam.com"], { onRemove: "delete", invite: "x", userId: uid(2), owner: "stack", removing: true });
        // Run 1 failed: bo is still there, so run 2 counts it again and carries it.
        const run2 = await planIdentity(plan(["ann@fabrikam.com"]), run1.baseline, tenant, { ...current, lastRunComplete: false });
        assert.deepEqual(checkRemovals(run1.baseline, plan(["ann@fabrikam.com"]), guard, run2.stillPresent, run2.gone).deleted, ["bo@fabrikam.com"]);
        // Run 2 deleted it: run 3 counts nothing and forgets it.
        const run3 = await planIdentity(plan(["ann@fabrikam.com"]), run2.baseline, new FakeTenant([{ id: uid(1), mail: "ann@fabrikam.com" }]), current);
        assert.deepEqual(checkRemovals(run2.baseline, plan(["ann@fabrikam.com"]), { maxRemovals: 0, confirmRemovals: 0 }, run3.stillPresent, run3.gone).deleted, []);
        assert.deepEqual(Object.keys(run3.baseline), ["ann@fabrikam.com"]);
    });

    it("counts a removal exactly at maxRemovals as allowed and one more as refused", () => {
        const previous: ManagedGuests = Object.fromEntries([1, 2, 3].map((n) => [`g${n}@fabrikam.com`, { onRemove: "delete" as const, invite: "x", userId: uid(n), owner: "stack" as const }]));
        assert.equal(checkRemovals(previous, plan([]), { maxRemovals: 3, confirmRemovals: 0 }).error, undefined);
        assert.match(checkRemovals(previous, plan([]), { maxRemovals: 2, confirmRemovals: 0 }).error ?? "", /^this run would delete 3 guest users, more than `entra-guests:maxRemovals` \(2\) allows/);
    });

    it("publishes what removal does for each kind of user", async () => {
        const tenant = new FakeTenant([{ id: uid(1), mail: "ann@fabrikam.com" }, { id: uid(5), mail: "lena@contoso.com", userType: "Member" }]);
        const p = plan(["ann@fabrikam.com", "bo@fabrikam.com", "cy@fabrikam.com", "lena@contoso.com"], { retain: ["cy@fabrikam.com"], members: ["lena@contoso.com"] });
        const kept = await planIdentity(p, undefined, tenant, current);
        const deleting = await planIdentity(p, undefined, tenant, { ...current, deleteAdoptedUsers: true });
        const outcome = (b: ManagedGuests) => Object.fromEntries(Object.entries(b).map(([e, x]) => [e, x.onRemove]));
        assert.deepEqual(outcome(kept.baseline), { "ann@fabrikam.com": "retain", "bo@fabrikam.com": "delete", "cy@fabrikam.com": "retain", "lena@contoso.com": "retain" });
        assert.deepEqual(outcome(deleting.baseline), { "ann@fabrikam.com": "delete", "bo@fabrikam.com": "delete", "cy@fabrikam.com": "retain", "lena@contoso.com": "retain" });
    });
});

describe("identity: a stack an earlier version deployed with azuread Invitations", () => {
    const legacy = { ...current, lastRunComplete: false, legacy: true };

    it("claims the users its Invitations created, keeps adopted ones adopted, and registers each such Invitation retained", async () => {
        const tenant = new FakeTenant([{ id: uid(1), mail: "ann@fabrikam.com" }, { id: uid(2), mail: "bo@fabrikam.com" }, { id: uid(3), mail: "cy@fabrikam.com" }]);
        const previous: ManagedGuests = {
            "ann@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(1) },
            "bo@fabrikam.com": { onRemove: "retain", invite: "x", userId: uid(2), adopted: true },
            "cy@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(3), adopted: true, invitation: true },
            "dee@fabrikam.com": { onRemove: "delete", invite: "x", provisional: true },
        };
        const result = await planIdentity(plan(["ann@fabrikam.com", "bo@fabrikam.com", "cy@fabrikam.com", "dee@fabrikam.com"]), previous, tenant, legacy);
        assert.deepEqual(Object.fromEntries(result.users), {
            "ann@fabrikam.com": { register: true, userId: uid(1), owner: "stack", claimUserId: uid(1) },
            "bo@fabrikam.com": { register: true, userId: uid(2), owner: "adopted" },
            "cy@fabrikam.com": { register: true, userId: uid(3), owner: "adopted" },
            "dee@fabrikam.com": { register: true },
        });
        assert.deepEqual(result.standIns, ["ann@fabrikam.com", "cy@fabrikam.com"]);
        assert.deepEqual(tenant.asked.addresses, [["dee@fabrikam.com"]], "a provisional guest is looked up like a new one, never claimed");
        assert.deepEqual([result.baseline["ann@fabrikam.com"].legacyInvitation, result.baseline["bo@fabrikam.com"].legacyInvitation], [true, undefined]);
        // After that run finished, the stand-ins are retained in the state: the next run drops them.
        const next = await planIdentity(plan(["ann@fabrikam.com"]), result.baseline, tenant, current);
        assert.deepEqual([next.standIns, next.users.get("ann@fabrikam.com")], [[], { register: true, userId: uid(1), owner: "stack" }]);
    });

    it("lets the earlier version's Invitation delete a removed guest that still exists, and retains one whose user is gone", async () => {
        const tenant = new FakeTenant([{ id: uid(1), mail: "ann@fabrikam.com" }]);
        const previous: ManagedGuests = { "ann@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(1) }, "bo@fabrikam.com": { onRemove: "delete", invite: "x", userId: uid(2) } };
        const result = await planIdentity(plan([]), previous, tenant, legacy);
        assert.deepEqual(result.standIns, ["bo@fabrikam.com"]);
        assert.deepEqual(checkRemovals(previous, plan([]), { maxRemovals: 5, confirmRemovals: 0 }, result.stillPresent, result.gone).deleted, ["ann@fabrikam.com"]);
        assert.equal(result.baseline["ann@fabrikam.com"].removing, true);
    });
});

describe("the managedGuests baseline", () => {
    it("reads today's entries and an earlier version's, and refuses a malformed one", () => {
        const today = parseManagedGuests({ "a@b.com": { onRemove: "delete", invite: "x", userId: uid(1), owner: "stack", access: "y" } });
        assert.deepEqual(today, { ok: true, guests: { "a@b.com": { onRemove: "delete", invite: "x", userId: uid(1), owner: "stack", access: "y" } } });
        const earlier = parseManagedGuests({ "a@b.com": { onRemove: "delete", invite: "x", userId: uid(1), adopted: true, removing: true } });
        assert.deepEqual(earlier, { ok: true, guests: { "a@b.com": { onRemove: "delete", invite: "x", userId: uid(1), adopted: true, removing: true } } });
        assert.equal(parseManagedGuests({ "a@b.com": { onRemove: "delete", invite: "x", owner: "someone" } }).ok, false);
        assert.equal(parseManagedGuests({ "a@b.com": { onRemove: "delete", invite: "x", adopted: "yes" } }).ok, false);
    });
});

describe("locating an address the directory refused", () => {
    it("finds the address's column on its line, in CSV, YAML and UTF-16 files, and keeps the line alone when it is gone", async () => {
        const { mkdtemp, writeFile, rm } = await import("fs/promises");
        const { tmpdir } = await import("os");
        const path = await import("path");
        const { locateEmail } = await import("../roster/read/locate-email");
        const dir = await mkdtemp(path.join(tmpdir(), "locate-"));
        try {
            await writeFile(path.join(dir, "a.csv"), "email,displayName\r\nbo@x.com,Bo\r\n  Ann@Fabrikam.com ,Ann\r\n");
            await writeFile(path.join(dir, "b.yaml"), "guests:\n  - email: ann@fabrikam.com\n");
            await writeFile(path.join(dir, "c.txt"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("email\tname\r\nann@fabrikam.com\tAnn\r\n", "utf16le")]));
            assert.deepEqual(locateEmail(dir, { file: "a.csv", line: 3 }, "ann@fabrikam.com"), { file: "a.csv", line: 3, column: 3 });
            assert.deepEqual(locateEmail(dir, { file: "b.yaml", line: 2 }, "ann@fabrikam.com"), { file: "b.yaml", line: 2, column: 12 });
            assert.deepEqual(locateEmail(dir, { file: "c.txt", line: 2 }, "ann@fabrikam.com"), { file: "c.txt", line: 2, column: 1 });
            assert.deepEqual(locateEmail(dir, { file: "a.csv", line: 2 }, "ann@fabrikam.com"), { file: "a.csv", line: 2 }, "not on that line");
            assert.deepEqual(locateEmail(dir, { file: "gone.csv", line: 2 }, "ann@fabrikam.com"), { file: "gone.csv", line: 2 }, "a file that is gone");
        } finally {
            await rm(dir, { recursive: true, force: true });
        }
    });
});
