import * as assert from "assert";
import { Call } from "../../tools/sim/tenant/store";
import { TenantSeed } from "../../tools/sim/tenant/format";
import { deployed, ops, SimStack, warnings } from "./harness";
import { IDS, sampleTenant } from "./fixtures";

/**
 * Who a person is and what the stack owns, through the real engine on the simulated tenant: each
 * case asserts who was deleted, mailed and granted, from the tenant and its call log, and that an
 * expiry still applies after it.
 */
const GROUP = "Partners - Fabrikam";
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
const mails = (sim: SimStack) => sim.calls().filter((c): c is Extract<Call, { kind: "mail" }> => c.kind === "mail").map((c) => c.to);
const invitations = (sim: SimStack) => sim.writes().filter((w) => w.startsWith("POST /invitations"));
const userOf = (sim: SimStack, mail: string) => sim.tenant().users.find((u) => u.mail === mail);
const guestUserState = async (sim: SimStack, email: string) => (await sim.state()).find((r) => r.type === "entraguests:index:GuestUser" && r.name === `guests/${email}`)?.outputs;
const messages = (r: { diagnostics: { severity: string; message: string }[] }) => r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message).join("\n");

/** zed, a guest the stack invites, whose expiry is the last step of each case. */
const ZED = "  - email: zed@fabrikam.com\n    groups: [Partners - Fabrikam]\n";
const zedExpired = "  - email: zed@fabrikam.com\n    groups: [Partners - Fabrikam]\n    expires: 2026-11-01\n";

/** The last step of each case: zed's expiry deletes zed's user, and only that. */
async function expiryStillApplies(sim: SimStack, files: (zed: string) => Record<string, string>): Promise<void> {
    const zed = userOf(sim, "zed@fabrikam.com");
    assert.ok(zed, "zed was invited");
    sim.clearCalls();
    sim.writeGuests(files(zedExpired));
    const up = await sim.up();
    assert.strictEqual(up.ok, true, up.failure);
    assert.deepStrictEqual(sim.writes(), [`DELETE /users/${zed.id} 204`], "the expiry deletes zed's user, and nothing else is written");
}

describe("engine: who a person is, and what the stack owns", function () {
    it("an employee named by a guest line stops the run, located, with nothing written; with existingMember its group is granted, and removing the line never deletes it", async () => {
        const seed: TenantSeed = { ...sampleTenant(), users: [...(sampleTenant().users ?? []), { mail: "lena@contoso.com", displayName: "Lena", userType: "Member" }] };
        const files = (extra: string, zed = ZED) => ({ "a.yaml": `guests:\n  - email: lena@contoso.com\n    groups: [${GROUP}]\n${extra}${zed}` });
        const sim = await SimStack.create(files(""), seed, { "entra-guests:deleteAdoptedUsers": "true" });
        const lena = userOf(sim, "lena@contoso.com")!;
        for (const run of [await sim.preview(), await sim.up()]) {
            assert.strictEqual(run.ok, false);
            assert.match(messages(run), /guests\/a\.yaml:2:12: `email` lena@contoso\.com is a member of this tenant, not a guest \(user [0-9a-f-]{36} \(Member, by mail and userPrincipalName\)\); to manage this member's groups and apps from the file, set `existingMember: true` on the entry/);
            assert.match(messages(run), /1 error in the guest files; nothing was changed/);
        }
        assert.deepStrictEqual([sim.writes(), mails(sim)], [[], []], "nothing reached the tenant, zed included");

        sim.writeGuests(files("    existingMember: true\n"));
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(invitations(sim), ["POST /invitations 201"], "zed only: the member is never invited");
        assert.ok(sim.tenant().groups.find((g) => g.id === IDS.partners)!.members.includes(lena.id), "the file's group granted to the member");
        assert.deepStrictEqual(await guestUserState(sim, "lena@contoso.com").then((o) => [o?.userId, o?.createdByStack, o?.existingMember]), [lena.id, false, true]);

        sim.clearCalls();
        sim.writeGuests({ "a.yaml": `guests:\n${ZED}` });
        const removed = await sim.up();
        assert.strictEqual(removed.ok, true, removed.failure);
        assert.deepStrictEqual(sim.writes(), [`DELETE /groups/${IDS.partners}/members/${lena.id}/$ref 204`], "the group goes; the member stays, deleteAdoptedUsers or not");
        assert.ok(userOf(sim, "lena@contoso.com"));
        await expiryStillApplies(sim, (zed) => ({ "a.yaml": `guests:\n${zed}` }));
    });

    it("two users whose mail differs only in case stop the run, naming both; nobody is mailed, granted or deleted", async () => {
        const seed: TenantSeed = {
            ...sampleTenant(),
            users: [...(sampleTenant().users ?? []), { mail: "Ann@Fabrikam.com", userType: "Guest", createdDateTime: ago(600) }, { mail: "ann@fabrikam.com", userType: "Guest", createdDateTime: ago(300) }],
        };
        const files = (zed = ZED) => ({ "a.yaml": `guests:\n  - email: ann@fabrikam.com\n    message: Welcome\n    groups: [${GROUP}]\n${zed}` });
        const sim = await SimStack.create(files(), seed);
        const [first, second] = sim.tenant().users.filter((u) => u.mail?.toLowerCase() === "ann@fabrikam.com").map((u) => u.id).sort();
        const up = await sim.up();
        assert.strictEqual(up.ok, false);
        assert.match(messages(up), new RegExp(`guests/a\\.yaml:2:12: \`email\` ann@fabrikam\\.com names 2 users in the tenant: ${first} \\(Guest, by mail\\), ${second} \\(Guest, by mail\\); the stack will not pick one`));
        assert.deepStrictEqual([sim.writes(), mails(sim)], [[], []]);

        // An administrator removes the address from one of them: the other is adopted, no mail.
        sim.editTenant((t) => void (t.users = t.users.filter((u) => u.id !== first)));
        const fixed = await sim.up();
        assert.strictEqual(fixed.ok, true, fixed.failure);
        assert.deepStrictEqual(mails(sim), [], "the adopted guest gets no mail though its file asks for one");
        assert.deepStrictEqual(await guestUserState(sim, "ann@fabrikam.com").then((o) => [o?.userId, o?.createdByStack]), [second, false]);
        await expiryStillApplies(sim, files);
    });

    it("a user invited by hand after the stack's invitation failed is adopted: no second mail, its company kept, never deleted when its line goes", async () => {
        const failing: TenantSeed = { ...sampleTenant(), faults: { failInvitation: { "bo@fabrikam.com": { status: 500, code: "UnknownError", message: "The service is unavailable." } } } };
        const files = (bo: boolean, zed = ZED) => ({ "a.yaml": `guests:\n${bo ? `  - email: bo@fabrikam.com\n    message: Welcome\n    groups: [${GROUP}]\n` : ""}${zed}` });
        const sim = await SimStack.create(files(true), failing);
        const failed = await sim.up();
        assert.strictEqual(failed.ok, false, "bo's invitation fails");
        assert.strictEqual(userOf(sim, "bo@fabrikam.com"), undefined);

        // An administrator invites bo by hand, and the company is set on the user.
        sim.editTenant((t) => {
            t.faults.failInvitation = {};
            t.users.push({ id: "bbbbbbbb-0000-4000-8000-000000000001", mail: "bo@fabrikam.com", userPrincipalName: "bo_fabrikam.com#EXT#@contoso.onmicrosoft.com", otherMails: [], proxyAddresses: [], displayName: "Bo", userType: "Guest", companyName: "Fabrikam", createdBy: "invitation", creationType: "Invitation", accountEnabled: true, invisibleReads: 0, createdDateTime: ago(30), externalUserState: "Accepted", externalUserStateChangeDateTime: ago(20), signInActivity: null });
        });
        sim.clearCalls();
        const kept = await sim.up();
        assert.strictEqual(kept.ok, true, kept.failure);
        const toBo = (x: { invitedUserEmailAddress?: string; to?: string }) => (x.invitedUserEmailAddress ?? x.to) === "bo@fabrikam.com";
        assert.deepStrictEqual([sim.tenant().invitations.filter(toBo), sim.tenant().mail.filter(toBo)], [[], []], "no invitation and no mail for bo");
        assert.strictEqual(userOf(sim, "bo@fabrikam.com")?.companyName, "Fabrikam");
        assert.deepStrictEqual(await guestUserState(sim, "bo@fabrikam.com").then((o) => o?.createdByStack), false);

        sim.clearCalls();
        sim.writeGuests(files(false));
        const removed = await sim.up();
        assert.strictEqual(removed.ok, true, removed.failure);
        assert.deepStrictEqual(sim.writes(), [`DELETE /groups/${IDS.partners}/members/bbbbbbbb-0000-4000-8000-000000000001/$ref 204`], "bo keeps its user and loses the group");
        assert.ok(userOf(sim, "bo@fabrikam.com"));
        await expiryStillApplies(sim, (zed) => files(false, zed));
    });

    it("a user known by otherMails, or whose userPrincipalName is the address, is adopted, never invited nor deleted", async () => {
        const seed: TenantSeed = {
            ...sampleTenant(),
            users: [
                ...(sampleTenant().users ?? []),
                { id: "cccccccc-0000-4000-8000-000000000001", mail: "a.lee@old.example", otherMails: ["ann@fabrikam.com"], userType: "Guest", createdDateTime: ago(9000) },
                { id: "cccccccc-0000-4000-8000-000000000002", mail: null, userPrincipalName: "cy@fabrikam.com", userType: "Guest", createdDateTime: ago(9000) },
            ],
        };
        const files = (these: boolean, zed = ZED) => ({ "a.yaml": `guests:\n${these ? `  - email: ann@fabrikam.com\n    message: Hi\n    groups: [${GROUP}]\n  - email: cy@fabrikam.com\n    message: Hi\n` : ""}${zed}` });
        const sim = await deployed(files(true), seed);
        assert.deepStrictEqual(sim.tenant().invitations.map((i) => i.invitedUserEmailAddress), ["zed@fabrikam.com"], "one invitation: zed's");
        assert.deepStrictEqual(sim.tenant().mail, [], "no mail though ann's and cy's entries ask for one");
        assert.ok(sim.tenant().groups.find((g) => g.id === IDS.partners)!.members.includes("cccccccc-0000-4000-8000-000000000001"), "ann's group goes to the user Graph would hand back");
        sim.writeGuests(files(false));
        const removed = await sim.up();
        assert.strictEqual(removed.ok, true, removed.failure);
        assert.deepStrictEqual(sim.writes(), [`DELETE /groups/${IDS.partners}/members/cccccccc-0000-4000-8000-000000000001/$ref 204`]);
        assert.deepStrictEqual(sim.tenant().users.filter((u) => u.id.startsWith("cccccccc")).length, 2, "both users stay");
        await expiryStillApplies(sim, (zed) => files(false, zed));
    });

    it("a membership and an app role assignment added by hand to an established guest, then written into the file, are imported: no 'already exists'", async () => {
        const files = (access: boolean, zed = ZED) => ({ "a.yaml": `guests:\n  - email: ann@fabrikam.com\n${access ? `    groups: [${GROUP}]\n    apps: [{ app: Contoso Partner Portal, role: Partner.Read }]\n` : ""}${zed}` });
        const sim = await deployed(files(false), sampleTenant());
        const ann = userOf(sim, "ann@fabrikam.com")!;
        // In the portal: ann added to the group and given the portal's role.
        sim.editTenant((t) => {
            t.groups.find((g) => g.id === IDS.partners)!.members.push(ann.id);
            t.appRoleAssignments.push({ id: "hand-made-assignment", appRoleId: IDS.partnerRead, principalId: ann.id, resourceId: IDS.portal });
        });
        sim.writeGuests(files(true));
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(ops(up, "import", "create", "update", "replace", "delete").filter((o) => !o.startsWith("update GuestUser")), [
            `import AppRoleAssignment guests/ann@fabrikam.com/${IDS.portal}`,
            `import GroupMember guests/ann@fabrikam.com/${IDS.partners}`,
        ]);
        assert.deepStrictEqual(sim.writes(), [], "imported, not created");
        const again = await sim.up();
        assert.deepStrictEqual(ops(again, "import", "create", "update", "replace", "delete"), []);
        await expiryStillApplies(sim, (zed) => files(true, zed));
    });

    it("after init errors: a membership whose read-back was refused is recovered by the `pulumi up --refresh` the run names; a GuestUser whose user was slow to appear, by the next up", async () => {
        const seed: TenantSeed = { ...sampleTenant(), faults: { readBackErrors: { "ann@fabrikam.com": 1 } } };
        const files = (bo: boolean, zed = ZED) => ({ "a.yaml": `guests:\n  - email: ann@fabrikam.com\n    groups: [${GROUP}]\n${bo ? "  - email: bo@fabrikam.com\n    groups: [Project Falcon]\n" : ""}${zed}` });
        const sim = await SimStack.create(files(false), seed);
        const first = await sim.up();
        assert.strictEqual(first.ok, false);
        assert.match(first.failure, /Retrieving member [\s\S]*Authorization_RequestDenied/);
        // The membership's init error is the bridged provider's: its update fails; the run says what to run.
        const second = await sim.up();
        assert.strictEqual(second.ok, false);
        assert.match(second.failure, /doesn't support update/);
        assert.match(warnings(second).join("\n"), /the last deployment did not finish \(stack output `runComplete` is false\); .* if one fails with "doesn't support update", run `pulumi up --refresh` once/);
        sim.clearCalls();
        const refreshed = await sim.up({ refresh: true });
        assert.strictEqual(refreshed.ok, true, refreshed.failure);
        assert.deepStrictEqual(sim.writes().filter((w) => w.includes("/members/")), [], "the membership is read back, never made twice");
        const ann = userOf(sim, "ann@fabrikam.com")!;
        assert.ok(sim.tenant().groups.find((g) => g.id === IDS.partners)!.members.includes(ann.id));
        assert.strictEqual((await sim.outputs()).runComplete?.value, true);

        // bo's new user answers its first 40 reads with 404 (replication), longer than the provider waits.
        sim.editTenant((t) => void (t.faults.invisibleAfterInvite = { "bo@fabrikam.com": 40 }));
        sim.writeGuests(files(true));
        const slow = await sim.up();
        assert.strictEqual(slow.ok, false);
        assert.match(slow.failure, /was invited but does not answer reads yet \(Entra replicates new users\); the next `pulumi up` waits for it again/);
        const bo = userOf(sim, "bo@fabrikam.com")!;
        sim.clearCalls();
        const settled = await sim.up();
        assert.strictEqual(settled.ok, true, settled.failure);
        assert.deepStrictEqual(invitations(sim), [], "bo is not invited twice");
        assert.deepStrictEqual(await guestUserState(sim, "bo@fabrikam.com").then((o) => [o?.userId, o?.createdByStack, o?.ready]), [bo.id, true, true]);
        assert.ok(sim.tenant().groups.find((g) => g.id === IDS.falcon)!.members.includes(bo.id));
        const quiet = await sim.up();
        assert.deepStrictEqual(ops(quiet, "create", "update", "replace", "delete"), [], "settled");
        await expiryStillApplies(sim, (zed) => files(true, zed));
    });
});
