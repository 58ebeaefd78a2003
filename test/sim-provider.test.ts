import { strict as assert } from "assert";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { SimulatedAzureAd } from "../tools/sim/provider/provider";
import { parseTenant, Tenant, TenantSeed } from "../tools/sim/tenant/format";
import { callLogPath, readCalls, readTenant, TenantStore, writeTenant } from "../tools/sim/tenant/store";

const INVITATION = "azuread:index/invitation:Invitation";
const MEMBER = "azuread:index/groupMember:GroupMember";
const ASSIGNMENT = "azuread:index/appRoleAssignment:AppRoleAssignment";
const GET_GROUP = "azuread:index/getGroup:getGroup";
const GET_SP = "azuread:index/getServicePrincipal:getServicePrincipal";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const GROUP = "11111111-1111-4111-8111-111111111111";
const USER = "22222222-2222-4222-8222-222222222222";
const USER2 = "33333333-3333-4333-8333-333333333333";
const SP = "44444444-4444-4444-8444-444444444444";
const APP = "55555555-5555-4555-8555-555555555555";
const ROLE = "66666666-6666-4666-8666-666666666666";

const urn = (type: string, name: string) => `urn:pulumi:test::entra-guests::entra-guests:index:Guests$${type}::${name}`;
const invite = (email: string, extra: Record<string, unknown> = {}) => ({ redirectUrl: "https://myapps.microsoft.com", userEmailAddress: email, userType: "Guest", ...extra });
const ann = { id: USER, mail: "ann@x.com", displayName: "Ann" };
const portal = { id: SP, appId: APP, displayName: "Portal", appRoles: [{ id: ROLE, value: "Guest.Read" }, { value: "" }] };
const gm = (member: string) => ({ groupObjectId: GROUP, memberObjectId: member });
const range = (n: number, s: string) => Array.from({ length: n }, () => s);

/** The message a promise rejects with; fails when it resolves. */
async function failure(p: Promise<unknown>): Promise<Error> {
    try {
        await p;
    } catch (err) {
        return err as Error;
    }
    throw new assert.AssertionError({ message: "expected a rejection" });
}

describe("simulated azuread provider", () => {
    let dir = "";
    let file = "";
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "sim-provider-"));
        file = join(dir, "tenant.json");
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const provider = (seed: TenantSeed) => {
        writeTenant(file, seed);
        return new SimulatedAzureAd(new TenantStore(file), 0);
    };
    /** Changes the tenant file behind the provider's back. */
    const edit = (fn: (t: Tenant) => void) => {
        const t = readTenant(file);
        fn(t);
        writeTenant(file, t);
    };
    const clearCalls = () => rmSync(callLogPath(file), { force: true });
    const requests = () => readCalls(file).flatMap((c) => (c.kind === "request" ? [`${c.method} ${c.path} ${c.status}`] : []));
    const sleeps = () => readCalls(file).flatMap((c) => (c.kind === "sleep" ? [c.seconds] : []));
    const mails = () => readCalls(file).flatMap((c) => (c.kind === "mail" ? [{ to: c.to, cc: c.cc }] : []));

    describe("Invitation", () => {
        it("creates a guest for a new address: two patches, five consistency reads, then Read", async () => {
            const p = provider({});
            const r = await p.create(urn(INVITATION, "guests/ann@x.com"), invite("ann@x.com"));
            const t = readTenant(file);
            assert.equal(t.users.length, 1);
            const [u] = t.users;
            assert.deepEqual(u, {
                id: u.id, mail: "ann@x.com", userPrincipalName: "ann_x.com#EXT#@contoso.onmicrosoft.com", otherMails: [], proxyAddresses: [], displayName: "ann@x.com", userType: "Guest",
                companyName: null, createdBy: "invitation", creationType: "Invitation", accountEnabled: true, invisibleReads: 0,
                createdDateTime: u.createdDateTime, externalUserState: "PendingAcceptance", externalUserStateChangeDateTime: u.createdDateTime, signInActivity: null,
            });
            assert.match(u.createdDateTime ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
            assert.equal(r.id, t.invitations[0].id);
            assert.deepEqual(r.outs, { ...invite("ann@x.com"), userId: u.id, redeemUrl: t.invitations[0].inviteRedeemUrl });
            assert.equal(t.invitations[0].sendInvitationMessage, false);
            assert.deepEqual(t.mail, []);
            assert.deepEqual(mails(), []);
            assert.deepEqual(requests(), ["POST /invitations 201", ...range(2, `PATCH /users/${u.id} 204`), ...range(6, `GET /users/${u.id} 200`)]);
            assert.deepEqual(sleeps(), [5, 5, 5, 5]);
        });

        it("mails the invitation when a message is given, also to an existing user, whose company name is lost", async () => {
            const p = provider({ users: [{ ...ann, mail: "Ann@X.com", companyName: "Fabrikam" }] });
            await p.create(urn(INVITATION, "guests/bob@x.com"), invite("bob@x.com", { message: { body: "Hi", additionalRecipients: "cc@x.com" } }));
            assert.deepEqual(mails(), [{ to: "bob@x.com", cc: ["cc@x.com"] }]);
            const bob = readTenant(file).mail[0];
            assert.deepEqual(bob, { to: "bob@x.com", cc: ["cc@x.com"], body: "Hi", language: null, redeemUrl: bob.redeemUrl });

            clearCalls();
            const r = await p.create(urn(INVITATION, "guests/ann@x.com"), invite("ann@x.com", { message: { body: "Hi" } }));
            assert.equal(r.outs.userId, USER);
            assert.equal(r.outs.userEmailAddress, "Ann@X.com", "Read copies the user's mail back");
            const t = readTenant(file);
            assert.deepEqual(t.users.map((u) => u.mail), ["Ann@X.com", "bob@x.com"], "no second user");
            assert.deepEqual([t.users[0].companyName, t.users[0].createdBy], [null, "seed"]);
            assert.deepEqual(mails(), [{ to: "ann@x.com", cc: [] }]);
            assert.equal(t.mail.length, 2);
        });

        it("stays in state with an empty userId when the user was deleted out of band; Read copies the mail back", async () => {
            const p = provider({ users: [{ ...ann, mail: "Ann@X.com" }] });
            const state = { ...invite("ann@x.com"), userId: USER, redeemUrl: "https://redeem" };
            const u = urn(INVITATION, "guests/ann@x.com");
            const found = await p.read("inv-1", u, state);
            assert.deepEqual(found, { id: "inv-1", props: { ...state, userEmailAddress: "Ann@X.com" }, inputs: invite("Ann@X.com") });
            edit((t) => t.users.splice(0, 1));
            const gone = await p.read("inv-1", u, found.props as Record<string, unknown>);
            assert.deepEqual(gone, { id: "inv-1", props: { ...state, userEmailAddress: "Ann@X.com", userId: "" }, inputs: invite("Ann@X.com") });
            assert.deepEqual(requests(), [`GET /users/${USER} 200`, `GET /users/${USER} 404`]);
            assert.deepEqual(sleeps(), []);
        });

        it("deletes the user, waits for five 404s, and the user's memberships and assignments go with it", async () => {
            const p = provider({ users: [ann], groups: [{ id: GROUP, displayName: "Partners", members: [USER] }], servicePrincipals: [portal], appRoleAssignments: [{ appRoleId: ROLE, principalId: USER, resourceId: SP }] });
            const state = { ...invite("ann@x.com"), userId: USER, redeemUrl: "https://redeem" };
            assert.equal(await p.delete("inv-1", urn(INVITATION, "guests/ann@x.com"), state), undefined);
            assert.deepEqual(requests(), [`DELETE /users/${USER} 204`, ...range(5, `GET /users/${USER} 404`)]);
            assert.deepEqual(sleeps(), [5, 5, 5, 5]);
            const t = readTenant(file);
            assert.deepEqual([t.users, t.groups[0].members, t.appRoleAssignments], [[], [], []]);

            clearCalls();
            const err = await failure(p.delete("inv-1", urn(INVITATION, "guests/ann@x.com"), state));
            assert.equal(
                err.message,
                `1 error occurred:\n\t* [id] Deleting invited User (User: "${USER}"): unexpected status 404 (404 Not Found) with error: Request_ResourceNotFound: ` +
                    `Resource '${USER}' does not exist or one of its queried reference-property objects are not present.\n\n`,
            );
            assert.deepEqual(requests(), [`DELETE /users/${USER} 404`]);
            assert.deepEqual(sleeps(), []);
        });

        it("retries the first patch while a new user is not yet replicated (invisibleAfterInvite)", async () => {
            const p = provider({ faults: { invisibleAfterInvite: { "new@x.com": 2 } } });
            const r = await p.create(urn(INVITATION, "guests/new@x.com"), invite("new@x.com"));
            const id = r.outs.userId as string;
            assert.deepEqual(requests(), ["POST /invitations 201", ...range(2, `PATCH /users/${id} 404`), ...range(2, `PATCH /users/${id} 204`), ...range(6, `GET /users/${id} 200`)]);
            assert.deepEqual(sleeps(), [1, 2, 5, 5, 5, 5]);
            assert.equal(readTenant(file).users[0].invisibleReads, 0);
        });

        it("fails the create on a Graph error from POST /invitations, creating no user (failInvitation)", async () => {
            const p = provider({ faults: { failInvitation: { "bad@x.com": { status: 400, code: "BadRequest", message: "nope" } } } });
            const err = await failure(p.create(urn(INVITATION, "guests/bad@x.com"), invite("bad@x.com")));
            assert.equal(err.message, "1 error occurred:\n\t* Creating invitation: unexpected status 400 (400 Bad Request) with error: BadRequest: nope\n\n");
            assert.equal((err as Error & { id?: string }).id, undefined, "not a partial failure: no ID was set");
            const t = readTenant(file);
            assert.deepEqual([t.users, t.invitations, t.mail], [[], [], []]);
            assert.deepEqual(requests(), ["POST /invitations 400"]);
            assert.deepEqual(sleeps(), []);
        });
    });

    it("diff: any change of any input is a replacement of exactly the changed keys; no change is no diff", async () => {
        const p = provider({});
        const inv = { ...invite("ann@x.com"), userId: USER, redeemUrl: "https://redeem" };
        const iu = urn(INVITATION, "guests/ann@x.com");
        const changed: Record<string, unknown> = { redirectUrl: "https://other.example", userEmailAddress: "bob@x.com", userDisplayName: "Ann", message: { body: "Hi" }, userType: "Member" };
        for (const [k, v] of Object.entries(changed)) {
            assert.deepEqual(await p.diff("inv-1", iu, inv, { ...invite("ann@x.com"), [k]: v }), { changes: true, replaces: [k] }, k);
        }
        const withMessage = { ...inv, message: { body: "Hi", additionalRecipients: "cc@x.com" } };
        assert.deepEqual(await p.diff("inv-1", iu, withMessage, { ...invite("ann@x.com"), message: { body: "Hi", additionalRecipients: "dd@x.com" } }), { changes: true, replaces: ["message"] });
        assert.deepEqual(await p.diff("inv-1", iu, withMessage, invite("ann@x.com")), { changes: true, replaces: ["message"] });
        assert.deepEqual(await p.diff("inv-1", iu, inv, { ...invite("bob@x.com"), userType: "Member" }), { changes: true, replaces: ["userEmailAddress", "userType"] });
        assert.deepEqual(await p.diff("inv-1", iu, inv, invite("ann@x.com")), { changes: false, replaces: [] });
        assert.deepEqual(await p.diff("inv-1", iu, withMessage, { ...invite("ann@x.com"), message: { body: "Hi", additionalRecipients: "cc@x.com" } }), { changes: false, replaces: [] });

        const mu = urn(MEMBER, "guests/ann@x.com/Partners");
        assert.deepEqual(await p.diff("m", mu, gm(USER), gm(USER)), { changes: false, replaces: [] });
        assert.deepEqual(await p.diff("m", mu, gm(USER), gm(USER2)), { changes: true, replaces: ["memberObjectId"] });
        assert.deepEqual(await p.diff("m", mu, gm(USER), { ...gm(USER), groupObjectId: USER2 }), { changes: true, replaces: ["groupObjectId"] });

        const au = urn(ASSIGNMENT, "guests/ann@x.com/Portal");
        const a = { appRoleId: ROLE, principalObjectId: USER, resourceObjectId: SP };
        const aState = { ...a, principalDisplayName: "Ann", principalType: "User", resourceDisplayName: "Portal" };
        assert.deepEqual(await p.diff("a", au, aState, a), { changes: false, replaces: [] });
        for (const k of Object.keys(a)) assert.deepEqual(await p.diff("a", au, aState, { ...a, [k]: USER2 }), { changes: true, replaces: [k] }, k);
        assert.deepEqual(await p.diff("a", au, aState, { ...a, principalObjectId: UNKNOWN }), { changes: true, replaces: ["principalObjectId"] });
        assert.deepEqual(requests(), []);
    });

    it("check: Invitation defaults userType to Guest; IDs must be GUIDs, or unknown", async () => {
        const p = provider({});
        const news = { redirectUrl: "https://myapps.microsoft.com", userEmailAddress: "ann@x.com" };
        assert.deepEqual(await p.check(urn(INVITATION, "guests/ann@x.com"), {}, news), { inputs: { userType: "Guest", ...news }, failures: [] });
        assert.deepEqual(await p.check(urn(INVITATION, "guests/ann@x.com"), {}, { ...news, userType: "Member" }), { inputs: { ...news, userType: "Member" }, failures: [] });
        const mu = urn(MEMBER, "guests/ann@x.com/Partners");
        assert.deepEqual(await p.check(mu, {}, gm("ann@x.com")), { inputs: gm("ann@x.com"), failures: [{ property: "memberObjectId", reason: 'expected "member_object_id" to be a valid UUID, got ann@x.com' }] });
        assert.deepEqual(await p.check(mu, {}, gm(UNKNOWN)), { inputs: gm(UNKNOWN), failures: [] });
        assert.deepEqual(await p.check(mu, {}, gm(USER)), { inputs: gm(USER), failures: [] });
    });

    describe("GroupMember", () => {
        const mu = urn(MEMBER, "guests/ann@x.com/Partners");
        const seed = (extra: TenantSeed = {}): TenantSeed => ({ users: [ann, { id: USER2, mail: "bob@x.com" }], groups: [{ id: GROUP, displayName: "Partners" }], ...extra });
        const createCalls = (m: string) => [`GET /beta/groups/${GROUP} 200`, `GET /beta/groups/${GROUP}/members 200`, `POST /beta/groups/${GROUP}/members/$ref 204`, `GET /beta/groups/${GROUP}/members?$filter=id eq '${m}' 200`];

        it("creates: checks the group, lists its members, adds and reads back; refuses an existing membership", async () => {
            const p = provider(seed());
            assert.deepEqual(await p.create(mu, gm(USER)), { id: `${GROUP}/member/${USER}`, outs: gm(USER) });
            assert.deepEqual(requests(), createCalls(USER));
            assert.deepEqual(readTenant(file).groups[0].members, [USER]);
            assert.deepEqual(sleeps(), []);

            clearCalls();
            const err = await failure(p.create(mu, gm(USER)));
            assert.equal(
                err.message,
                `1 error occurred:\n\t* [id] A resource with the ID "${GROUP}/member/${USER}" already exists: To be managed via Terraform, this resource needs to be imported into the State. ` +
                    `Please see the resource documentation for "azuread_group_member" for more information.\n\n`,
            );
            assert.deepEqual(requests(), createCalls(USER).slice(0, 2), "no POST");
            assert.deepEqual(readTenant(file).groups[0].members, [USER]);
        });

        it("fails the create when the read-back misses the membership, which now exists (memberReadBackMisses)", async () => {
            const p = provider(seed({ faults: { memberReadBackMisses: { "ann@x.com": 1 } } }));
            const err = await failure(p.create(mu, gm(USER)));
            assert.equal(err.message, `expected non-nil error with nil state during Create of ${mu}`);
            const t = readTenant(file);
            assert.deepEqual(t.groups[0].members, [USER]);
            assert.deepEqual(t.faults.memberReadBackMisses, { "ann@x.com": 0 });
            assert.deepEqual(requests(), createCalls(USER));
        });

        it("serialises two creates on one group", async () => {
            const p = provider(seed());
            const [a, b] = await Promise.all([p.create(mu, gm(USER)), p.create(urn(MEMBER, "guests/bob@x.com/Partners"), gm(USER2))]);
            assert.deepEqual([a.id, b.id], [`${GROUP}/member/${USER}`, `${GROUP}/member/${USER2}`]);
            assert.deepEqual(requests(), [...createCalls(USER), ...createCalls(USER2)]);
            assert.deepEqual(readTenant(file).groups[0].members, [USER, USER2]);
        });

        it("reads a membership removed by hand as gone; delete removes it and waits for five misses", async () => {
            const p = provider(seed({ groups: [{ id: GROUP, displayName: "Partners", members: [USER, USER2] }] }));
            const id = `${GROUP}/member/${USER}`;
            assert.deepEqual(await p.read(id, mu, gm(USER)), { id, props: gm(USER), inputs: gm(USER) });
            edit((t) => (t.groups[0].members = [USER2]));
            assert.deepEqual(await p.read(id, mu, gm(USER)), { id: "", props: {} });
            assert.deepEqual(requests(), range(2, `GET /beta/groups/${GROUP}/members?$filter=id eq '${USER}' 200`));

            clearCalls();
            assert.equal(await p.delete(`${GROUP}/member/${USER2}`, urn(MEMBER, "guests/bob@x.com/Partners"), gm(USER2)), undefined);
            assert.deepEqual(readTenant(file).groups[0].members, []);
            assert.deepEqual(requests(), [`DELETE /beta/groups/${GROUP}/members/${USER2}/$ref 204`, ...range(5, `GET /beta/groups/${GROUP}/members?$filter=id eq '${USER2}' 200`)]);
            assert.deepEqual(sleeps(), [5, 5, 5, 5]);
        });
    });

    it("GroupMember: deletes queued on one group's lock spend their 5 minutes waiting; the later ones fail with the context's deadline", async () => {
        const ids = Array.from({ length: 17 }, (_, i) => `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, "0")}`);
        const p = provider({ users: ids.map((id, i) => ({ id, mail: `u${i}@x.com` })), groups: [{ id: GROUP, displayName: "Partners", members: ids }] });
        const results = await Promise.allSettled(ids.map((id, i) => p.delete(`${GROUP}/member/${id}`, urn(MEMBER, `guests/u${i}@x.com/${GROUP}`), gm(id))));
        // Each delete waits about 20 s for its removal to replicate while it holds the lock
        // (group_member_resource.go:141-158): 14 fit in 300 s; the 15th's last poll meets its deadline
        // after its removal, and the rest find the deadline passed before they start.
        assert.deepEqual(results.map((r) => r.status), [...range(14, "fulfilled"), ...range(3, "rejected")]);
        assert.match(((results[14] as PromiseRejectedResult).reason as Error).message, /Waiting for removal of Group Id Member .*: context deadline exceeded/s);
        const reason = (results[15] as PromiseRejectedResult).reason as Error;
        assert.equal(reason.message, `1 error occurred:\n\t* Removing Group Id Member (Group: "${GROUP}"\nDirectory Object: "${ids[15]}"): context deadline exceeded\n\n`);
        assert.deepEqual(readTenant(file).groups[0].members, ids.slice(15), "the late two are still members");
    });

    it("AppRoleAssignment: retries the POST while the user is invisible, and fails on a duplicate", async () => {
        const p = provider({ users: [{ ...ann, invisibleReads: 2 }], servicePrincipals: [portal] });
        const au = urn(ASSIGNMENT, "guests/ann@x.com/Portal");
        const inputs = { appRoleId: ROLE, principalObjectId: USER, resourceObjectId: SP };
        const r = await p.create(au, inputs);
        const [a] = readTenant(file).appRoleAssignments;
        assert.deepEqual(a, { id: a.id, appRoleId: ROLE, principalId: USER, resourceId: SP });
        assert.deepEqual(r, { id: `/servicePrincipals/${SP}/appRoleAssignedTo/${a.id}`, outs: { ...inputs, principalDisplayName: "Ann", principalType: "User", resourceDisplayName: "Portal" } });
        const post = `POST /servicePrincipals/${SP}/appRoleAssignedTo`;
        assert.deepEqual(requests(), [`GET /servicePrincipals/${SP} 200`, `${post} 404`, `${post} 404`, `${post} 201`, `GET /servicePrincipals/${SP}/appRoleAssignedTo/${a.id} 200`]);
        assert.deepEqual(sleeps(), [1, 2]);

        clearCalls();
        const err = await failure(p.create(au, inputs));
        assert.equal(
            err.message,
            "1 error occurred:\n\t* Could not create app role assignment: unexpected status 400 (400 Bad Request) with error: Request_BadRequest: Permission being assigned already exists on the object\n\n",
        );
        assert.equal(readTenant(file).appRoleAssignments.length, 1);
        assert.deepEqual(requests(), [`GET /servicePrincipals/${SP} 200`, `${post} 400`]);
        assert.deepEqual(sleeps(), []);
    });

    it("honours Retry-After on 429s and spends the throttle fault", async () => {
        const p = provider({ users: [ann], groups: [{ id: GROUP, displayName: "Partners", members: [USER] }], faults: { throttle: { requests: 2, retryAfterSeconds: 7 } } });
        const r = await p.invoke(GET_GROUP, { displayName: "Partners" });
        assert.deepEqual([r.outputs.objectId, r.outputs.members], [GROUP, [USER]]);
        const list = "GET /beta/groups?$filter=displayName eq 'Partners'";
        assert.deepEqual(requests(), [`${list} 429`, `${list} 429`, `${list} 200`, `GET /beta/groups/${GROUP}/members 200`, `GET /beta/groups/${GROUP}/owners 200`]);
        assert.deepEqual(sleeps(), [7, 7]);
        assert.deepEqual(readTenant(file).faults.throttle, { requests: 0, retryAfterSeconds: 7 });
    });

    describe("data sources", () => {
        const groupError = (detail: string) => `invoking ${GET_GROUP}: 1 error occurred:\n\t* ${detail}\n\n`;

        it("getGroup by display name: case-insensitive, none, several, and an unescaped apostrophe", async () => {
            const p = provider({
                users: [ann],
                groups: [{ id: GROUP, displayName: "Partners", members: [USER] }, { displayName: "Dup" }, { displayName: "dup" }, { displayName: "O'Brien" }],
            });
            const r = await p.invoke(GET_GROUP, { displayName: "PARTNERS" });
            assert.deepEqual([r.outputs.id, r.outputs.objectId, r.outputs.displayName, r.outputs.members, r.outputs.owners], [`/groups/${GROUP}`, GROUP, "Partners", [USER], []]);
            assert.equal((await failure(p.invoke(GET_GROUP, { displayName: "Nope" }))).message, groupError("[display_name] No group found matching specified filter (displayName eq 'Nope')"));
            assert.equal((await failure(p.invoke(GET_GROUP, { displayName: "Dup" }))).message, groupError("[display_name] More than one group found matching specified filter (displayName eq 'Dup')"));
            const quoted = await failure(p.invoke(GET_GROUP, { displayName: "O'Brien" }));
            assert.equal(
                quoted.message,
                groupError(
                    "Retrieving groups for filter (displayName eq 'O'Brien'): unexpected status 400 (400 Bad Request) with error: BadRequest: " +
                        "Invalid filter clause: syntax error at position 23 in 'displayName eq 'O'Brien''.",
                ),
            );
            assert.deepEqual(requests().slice(-1), ["GET /beta/groups?$filter=displayName eq 'O'Brien' 400"]);
        });

        it("getServicePrincipal by display name (quotes escaped) and by client ID; an unknown name fails", async () => {
            const p = provider({ servicePrincipals: [{ ...portal, displayName: "O'Neil Portal" }, { displayName: "Other" }] });
            const byName = await p.invoke(GET_SP, { displayName: "o'neil portal" });
            assert.deepEqual([byName.outputs.id, byName.outputs.objectId, byName.outputs.clientId, byName.outputs.displayName], [`/servicePrincipals/${SP}`, SP, APP, "O'Neil Portal"]);
            assert.deepEqual(byName.outputs.appRoleIds, { "Guest.Read": ROLE });
            assert.deepEqual(requests(), [`GET /servicePrincipals?$filter=displayName eq 'o''neil portal' 200`, `GET /beta/servicePrincipals/${SP}?$select=samlMetadataUrl 200`]);
            const byClient = await p.invoke(GET_SP, { clientId: APP });
            assert.deepEqual([byClient.outputs.objectId, byClient.outputs.appRoleIds], [SP, { "Guest.Read": ROLE }]);
            const err = await failure(p.invoke(GET_SP, { displayName: "X" }));
            assert.equal(err.message, `invoking ${GET_SP}: 1 error occurred:\n\t* Service principal not found: no service principals found matching filter: "displayName eq 'X'"\n\n`);
        });
    });

    it("parseTenant names the file and the path of each problem in a seed", () => {
        const text = JSON.stringify({ groups: [{ id: "not-a-guid", displayName: "G", owner: "x" }], colour: 1 });
        assert.throws(() => parseTenant(text, "/seeds/tenant.json"), {
            message:
                "/seeds/tenant.json: `groups.0.id`: must be a GUID\n" +
                '/seeds/tenant.json: `groups.0`: Unrecognized key: "owner"\n' +
                '/seeds/tenant.json: `(top)`: Unrecognized key: "colour"\n' +
                "see tools/sim/README.md for the tenant format",
        });
        assert.throws(() => parseTenant("{", "t.json"), /^Error: t\.json: not JSON \(.*\); see tools\/sim\/README\.md for the tenant format$/);
    });
});
