// The entra-guests provider's GuestUser (provider/guest-user.ts) against the simulated Graph: who
// its create adopts or invites, what it refuses, and what its delete removes or keeps.
import { strict as assert } from "assert";
import { GraphClient } from "../graph/client";
import { GuestUserInputs, GuestUserOutputs } from "../plan/guest-user";
import { changedInputs, GuestUsers, invitationBody, mayDeleteUser } from "../provider/guest-user";
import { TenantSeed } from "../tools/sim/tenant/format";
import { readCalls, readTenant } from "../tools/sim/tenant/store";
import { useSimulatedGraph } from "./helpers/graph-fixtures";

const GROUP = "11111111-1111-4111-8111-111111111111";
const SP = "44444444-4444-4444-8444-444444444444";
const ROLE = "66666666-6666-4666-8666-666666666666";
const ANN = "00000000-0000-4000-8000-000000000001";
const LENA = "00000000-0000-4000-8000-000000000005";
const OLD = "2026-01-01T00:00:00Z";

const inputs = (email: string, more: Partial<GuestUserInputs> = {}): GuestUserInputs => ({
    email,
    redirectUrl: "https://myapps.microsoft.com",
    userType: "Guest",
    sendEmail: true,
    message: { body: "Welcome" },
    onRemove: "delete",
    deleteAdopted: false,
    existingMember: false,
    groups: [GROUP],
    appRoles: [`${SP}/${ROLE}`],
    ...more,
});

const seed = (users: TenantSeed["users"] = []): TenantSeed => ({
    users,
    groups: [{ id: GROUP, displayName: "Partners", members: (users ?? []).map((u) => u.id!).filter(Boolean) }],
    servicePrincipals: [{ id: SP, displayName: "Portal", appRoles: [{ id: ROLE, value: "Guest.Read" }] }],
    appRoleAssignments: (users ?? []).map((u) => ({ appRoleId: ROLE, principalId: u.id!, resourceId: SP })),
});

/** Thrown message of a rejected promise. */
async function rejection(p: Promise<unknown>): Promise<string> {
    try {
        await p;
    } catch (err) {
        return (err as Error).message;
    }
    throw new assert.AssertionError({ message: "expected a rejection" });
}

describe("provider: GuestUser against the simulated Graph", () => {
    const sim = useSimulatedGraph("provider-");
    const noSleep = { now: () => Date.now(), sleep: async () => undefined };
    const start = async (s: TenantSeed) => {
        const { graph } = await sim.start(s);
        return new GuestUsers(async () => graph, noSleep, 0);
    };
    const writes = () => readCalls(sim.file).flatMap((c) => (c.kind === "request" && c.write ? [`${c.method} ${c.path} ${c.status}`] : []));
    const mailTo = () => readTenant(sim.file).mail.map((m) => m.to);

    it("invites an address nobody has, as the file asks, and records the user as the stack's own", async () => {
        const users = await start(seed());
        const { id, outs } = await users.create(inputs("bo@fabrikam.com"));
        const bo = readTenant(sim.file).users.find((u) => u.mail === "bo@fabrikam.com")!;
        assert.deepEqual([id, outs.userId, outs.createdByStack, outs.ready, outs.tenantUserType], [bo.id, bo.id, true, true, "Guest"]);
        assert.match(outs.redeemUrl ?? "", /^https:\/\/login\.microsoftonline\.com\/redeem\?/);
        assert.equal(outs.lookedAt, undefined, "settled: nothing left to decide");
        assert.deepEqual(writes(), ["POST /invitations 201"]);
        assert.deepEqual(mailTo(), ["bo@fabrikam.com"]);
    });

    it("adopts the one guest an address names, by otherMails too, without an invitation or mail", async () => {
        const users = await start(seed([{ id: ANN, mail: "a.lee@old.example", otherMails: ["Ann@Fabrikam.com"], userType: "Guest", createdDateTime: OLD }]));
        const { outs } = await users.create(inputs("ann@fabrikam.com", { expectedUserId: ANN }));
        assert.deepEqual([outs.userId, outs.createdByStack, outs.redeemUrl], [ANN, false, undefined]);
        assert.deepEqual([writes(), mailTo()], [[], []]);
    });

    it("refuses several users for one address, a member without existingMember, and a user other than the preview's, writing nothing", async () => {
        const users = await start(
            seed([
                { id: ANN, mail: "ann@fabrikam.com", userType: "Guest" },
                { id: "00000000-0000-4000-8000-000000000002", mail: "x@other.example", otherMails: ["ann@fabrikam.com"], userType: "Guest" },
                { id: LENA, mail: "lena@contoso.com", userType: "Member" },
            ]),
        );
        assert.equal(
            await rejection(users.create(inputs("ann@fabrikam.com"))),
            `ann@fabrikam.com names 2 users in the tenant: ${ANN} (Guest, by mail), 00000000-0000-4000-8000-000000000002 (Guest, by otherMails); the stack will not pick one. Remove the address from all but one of them in Entra, or declare the guest by another address`,
        );
        assert.equal(
            await rejection(users.create(inputs("lena@contoso.com"))),
            `lena@contoso.com is a member of this tenant, not a guest: user ${LENA} (Member, by mail and userPrincipalName); the stack manages a member's access only when its entry says \`existingMember: true\` (and never deletes it), otherwise remove the entry`,
        );
        assert.equal(
            await rejection(users.create(inputs("lena@contoso.com", { existingMember: true, expectedUserId: ANN }))),
            `lena@contoso.com names user ${LENA} (Member, by mail and userPrincipalName) in the tenant, not ${ANN} as when this run started; nothing was changed for lena@contoso.com, run again`,
        );
        assert.match(await rejection(users.create(inputs("nobody@contoso.com", { existingMember: true }))), /^nobody@contoso\.com is marked `existingMember`, but no user in the tenant has this address; the stack never invites a member/);
        const member = await users.create(inputs("lena@contoso.com", { existingMember: true, expectedUserId: LENA }));
        assert.deepEqual([member.outs.userId, member.outs.createdByStack], [LENA, false]);
        assert.deepEqual([writes(), mailTo()], [[], []]);
    });

    it("does not own a user that Graph's invitation hands back from before its look (an index that lagged)", async () => {
        // A Graph whose look finds nobody, and whose invitation returns a user created a day ago.
        const calls: string[] = [];
        const graph = {
            getAll: async (path: string) => (calls.push(`GET ${path}`), []),
            post: async (path: string) => (calls.push(`POST ${path}`), { invitedUser: { id: ANN }, inviteRedeemUrl: "https://redeem" }),
            get: async (path: string) => (calls.push(`GET ${path}`), { id: ANN, userType: "Guest", createdDateTime: new Date(Date.now() - 86_400_000).toISOString() }),
        } as unknown as GraphClient;
        const users = new GuestUsers(async () => graph, noSleep, 0);
        const { outs } = await users.create(inputs("ann@fabrikam.com"));
        assert.deepEqual([outs.userId, outs.createdByStack], [ANN, false]);
        assert.deepEqual(calls[0], "GET /users");
        assert.ok(calls.includes("POST /invitations"));
    });

    it("keeps a new user that does not answer reads in time with an init error, and its update settles it", async () => {
        const s = seed();
        s.faults = { invisibleAfterInvite: { "bo@fabrikam.com": 40 } };
        const users = await start(s);
        let kept: GuestUserOutputs | undefined;
        try {
            await users.create(inputs("bo@fabrikam.com"));
            assert.fail("expected an init error");
        } catch (err) {
            const e = err as Error & { id?: string; properties?: GuestUserOutputs; reasons?: string[] };
            assert.match(e.message, /^user [0-9a-f-]{36} of bo@fabrikam\.com was invited but does not answer reads yet \(Entra replicates new users\); the next `pulumi up` waits for it again$/);
            kept = e.properties;
            assert.deepEqual([e.id, kept?.ready, kept?.createdByStack, typeof kept?.lookedAt], [kept?.userId, false, false, "string"]);
        }
        const settled = await users.update(kept!, inputs("bo@fabrikam.com"));
        assert.deepEqual([settled.ready, settled.createdByStack, settled.lookedAt], [true, true, undefined]);
        assert.deepEqual(writes(), ["POST /invitations 201"], "invited once");
    });

    it("deletes only a user the stack may delete, still a guest; otherwise keeps it and removes the access the files gave", async () => {
        const users = await start(seed([{ id: ANN, mail: "ann@fabrikam.com", userType: "Guest" }, { id: LENA, mail: "lena@contoso.com", userType: "Member" }]));
        const state = (over: Partial<GuestUserOutputs>): GuestUserOutputs => ({ ...inputs("ann@fabrikam.com"), userId: ANN, createdByStack: false, tenantUserType: "Guest", ready: true, ...over });
        const assignment = readTenant(sim.file).appRoleAssignments.find((a) => a.principalId === ANN)!.id;
        await users.delete(state({ createdByStack: false }));
        const t = readTenant(sim.file);
        assert.ok(t.users.some((u) => u.id === ANN), "adopted: kept");
        assert.equal(t.groups[0].members.includes(ANN), false, "its declared group removed");
        assert.equal(t.appRoleAssignments.some((a) => a.principalId === ANN), false, "its declared app role removed");
        assert.deepEqual(writes(), [`DELETE /groups/${GROUP}/members/${ANN}/$ref 204`, `DELETE /users/${ANN}/appRoleAssignments/${assignment} 204`]);

        // A member, even one the stack's own invitation made (converted since): never deleted.
        await users.delete({ ...state({ createdByStack: true }), userId: LENA, email: "lena@contoso.com" });
        assert.ok(readTenant(sim.file).users.some((u) => u.id === LENA));
        // The stack's own guest: deleted. One already gone: nothing to do.
        await users.delete(state({ createdByStack: true }));
        assert.equal(readTenant(sim.file).users.some((u) => u.id === ANN), false);
        const before = writes().length;
        await users.delete(state({ createdByStack: true }));
        assert.equal(writes().length, before, "a user that is gone is no error and no write");
        assert.equal(writes().filter((w) => w.startsWith(`DELETE /users/${ANN} `)).length, 1);
    });

    it("decides deletion by the state's settings, and applies only settings it keeps", () => {
        const base = { onRemove: "delete" as const, createdByStack: true, deleteAdopted: false, existingMember: false };
        assert.deepEqual(
            [
                mayDeleteUser(base, "Guest"),
                mayDeleteUser(base, "Member"),
                mayDeleteUser({ ...base, onRemove: "retain" }, "Guest"),
                mayDeleteUser({ ...base, createdByStack: false }, "Guest"),
                mayDeleteUser({ ...base, createdByStack: false, deleteAdopted: true }, "Guest"),
                mayDeleteUser({ ...base, existingMember: true, deleteAdopted: true }, "Guest"),
            ],
            [true, false, false, false, true, false],
        );
        const a = inputs("ann@fabrikam.com");
        assert.deepEqual(changedInputs(a, { ...a, displayName: "Ann Lee", message: { body: "Hi" }, redirectUrl: "https://x.example", sendEmail: false }), [], "invite-time fields never reach an existing user");
        assert.deepEqual(changedInputs(a, { ...a, onRemove: "retain", groups: [] }), ["onRemove", "groups"]);
        assert.deepEqual(invitationBody(inputs("ann@fabrikam.com", { message: { language: "de", cc: "boss@contoso.com" }, displayName: "Ann" })), {
            invitedUserEmailAddress: "ann@fabrikam.com",
            inviteRedirectUrl: "https://myapps.microsoft.com",
            invitedUserDisplayName: "Ann",
            invitedUserType: "Guest",
            sendInvitationMessage: true,
            invitedUserMessageInfo: { messageLanguage: "de", ccRecipients: [{ emailAddress: { address: "boss@contoso.com" } }] },
        });
        assert.deepEqual(invitationBody(inputs("ann@fabrikam.com", { sendEmail: false, message: undefined })).sendInvitationMessage, false);
    });
});
