import { strict as assert } from "assert";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { previewByUrn } from "../tools/sim/provider/preview";
import { SimulatedAzureAd } from "../tools/sim/provider/provider";
import { TenantSeed } from "../tools/sim/tenant/format";
import { readCalls, readTenant, TenantStore, writeTenant } from "../tools/sim/tenant/store";

const INVITATION = "azuread:index/invitation:Invitation";
const MEMBER = "azuread:index/groupMember:GroupMember";
const ASSIGNMENT = "azuread:index/appRoleAssignment:AppRoleAssignment";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const GROUP = "11111111-1111-4111-8111-111111111111";
const USER = "22222222-2222-4222-8222-222222222222";
const SP = "44444444-4444-4444-8444-444444444444";
const ROLE = "66666666-6666-4666-8666-666666666666";
const DENIED = "unexpected status 403 (403 Forbidden) with error: Authorization_RequestDenied: Insufficient privileges to complete the operation.";
const EXISTS = "unexpected status 400 (400 Bad Request) with error: Request_BadRequest: Permission being assigned already exists on the object";

const urn = (type: string, name: string) => `urn:pulumi:test::entra-guests::entra-guests:index:Guests$${type}::${name}`;
const mu = urn(MEMBER, "guests/ann@x.com/Partners");
const au = urn(ASSIGNMENT, "guests/ann@x.com/Portal");
const gm = { groupObjectId: GROUP, memberObjectId: USER };
const assign = { appRoleId: ROLE, principalObjectId: USER, resourceObjectId: SP };
const seed = (faults: TenantSeed["faults"]): TenantSeed => ({
    users: [{ id: USER, mail: "Ann@x.com", displayName: "Ann" }],
    groups: [{ id: GROUP, displayName: "Partners" }],
    servicePrincipals: [{ id: SP, displayName: "Portal", appRoles: [{ id: ROLE, value: "Guest.Read" }] }],
    faults,
});

type InitError = Error & { id?: string; properties?: unknown; reasons?: string[] };

async function failure(p: Promise<unknown>): Promise<InitError> {
    try {
        await p;
    } catch (err) {
        return err as InitError;
    }
    throw new assert.AssertionError({ message: "expected a rejection" });
}

/** The provider's Check of an address, init errors and the assignment faults (tools/sim/provider). */
describe("simulated azuread provider: address check, init errors and assignment faults", () => {
    let dir = "";
    let file = "";
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "sim-faults-"));
        file = join(dir, "tenant.json");
    });
    afterEach(() => {
        previewByUrn.clear();
        rmSync(dir, { recursive: true, force: true });
    });
    const provider = (s: TenantSeed) => {
        writeTenant(file, s);
        return new SimulatedAzureAd(new TenantStore(file), 0);
    };
    const requests = () => readCalls(file).flatMap((c) => (c.kind === "request" ? [`${c.method} ${c.path} ${c.status}${c.note ? ` (${c.note})` : ""}`] : []));
    const sleeps = () => readCalls(file).flatMap((c) => (c.kind === "sleep" ? [c.seconds] : []));

    it("check: an address outside the provider's ASCII pattern fails in the bridge's words, an unknown one waits", async () => {
        const p = provider({});
        const base = { redirectUrl: "https://myapps.microsoft.com", userType: "Guest" };
        const check = async (email: string) => (await p.check(urn(INVITATION, `guests/${email}`), {}, { ...base, userEmailAddress: email })).failures;
        for (const ok of ["ann@x.com", "ann+tag@x.com", "o'brien@sub.x-y.com", UNKNOWN]) assert.deepEqual(await check(ok), [], ok);
        const invalid = (email: string) => [{ property: "", reason: `value must be a valid email address for "user_email_address". Examine values at 'guests/${email}.userEmailAddress'.` }];
        for (const bad of ["jörg@x.com", "ann@exämple.com", "ann@x.com ", "ann@-x.com", "ann"]) assert.deepEqual(await check(bad), invalid(bad), bad);
        assert.deepEqual(await check(" "), [{ property: "", reason: `value must not be empty for "user_email_address". Examine values at 'guests/ .userEmailAddress'.` }]);
        assert.deepEqual(requests(), []);
    });

    it("GroupMember: a read-back that is refused fails the create with its ID set; the later update fails as the bridge's does", async () => {
        const p = provider(seed({ readBackErrors: { "ann@x.com": 1 } }));
        const err = await failure(p.create(mu, gm));
        const message = `creating ${mu}: 1 error occurred:\n\t* Retrieving member "${USER}" for group with object ID: "${GROUP}": ${DENIED}\n\n`;
        assert.deepEqual([err.message, err.id, err.properties, err.reasons], [message, `${GROUP}/member/${USER}`, gm, [message]]);
        const t = readTenant(file);
        assert.deepEqual([t.groups[0].members, t.faults.readBackErrors], [[USER], { "ann@x.com": 0 }]);
        const members = `/beta/groups/${GROUP}/members`;
        assert.deepEqual(requests(), [`GET /beta/groups/${GROUP} 200`, `GET ${members} 200`, `POST ${members}/$ref 204`, `GET ${members}?$filter=id eq '${USER}' 403 (fault: read-back denied)`]);
        assert.deepEqual(sleeps(), [], "a 403 is not retried");

        // The engine retries the init error as an update; there is none, so it fails again, with nothing sent.
        const update = await failure(p.update(err.id!, mu, gm));
        const updating = `updating ${mu}: 1 error occurred:\n\t* doesn't support update\n\n`;
        assert.deepEqual([update.message, update.id, update.properties, update.reasons], [updating, err.id, gm, [updating]]);
        assert.equal(requests().length, 4);
    });

    it("GroupMember: a group the identity may not read fails the create at `object_id`, before any write", async () => {
        const p = provider(seed({ deny: { status: 403, code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation.", pathPrefix: "/beta/groups" } }));
        const err = await failure(p.create(mu, gm));
        assert.deepEqual([err.message, err.id], [`1 error occurred:\n\t* [object_id] Retrieving Group (Group: "${GROUP}"): ${DENIED}\n\n`, undefined]);
        assert.deepEqual(requests(), [`GET /beta/groups/${GROUP} 403 (fault: denied)`]);
    });

    it("AppRoleAssignment: a refused read-back fails the create with its ID set; every resource's update fails, a preview's does not", async () => {
        const p = provider(seed({ readBackErrors: { "ann@x.com": 1 } }));
        const err = await failure(p.create(au, assign));
        const [a] = readTenant(file).appRoleAssignments;
        const id = `/servicePrincipals/${SP}/appRoleAssignedTo/${a.id}`;
        const message = `creating ${au}: 1 error occurred:\n\t* retrieving Service Principal Id App Role Assigned To (Service Principal: "${SP}"\nApp Role Assignment: "${a.id}"): ${DENIED}\n\n`;
        assert.deepEqual([err.message, err.id, err.properties, err.reasons], [message, id, assign, [message]]);
        assert.deepEqual(requests(), [`GET /servicePrincipals/${SP} 200`, `POST /servicePrincipals/${SP}/appRoleAssignedTo 201`, `GET ${id} 403 (fault: read-back denied)`]);

        const iu = urn(INVITATION, "guests/ann@x.com");
        const inv = { redirectUrl: "https://myapps.microsoft.com", userEmailAddress: "ann@x.com", userType: "Guest", userId: USER, redeemUrl: "https://redeem" };
        for (const [u, rid, olds] of [[au, id, assign], [iu, "inv-1", inv]] as const) {
            const e = await failure(p.update(rid, u, olds));
            assert.deepEqual([e.message, e.id, e.properties], [`updating ${u}: 1 error occurred:\n\t* doesn't support update\n\n`, rid, olds]);
            previewByUrn.set(u, true);
            assert.deepEqual(await p.update(rid, u, olds), { outs: olds }, "a preview applies nothing");
        }
        assert.equal(requests().length, 3, "no update reaches the tenant");
    });

    it("AppRoleAssignment: a read-back that misses leaves no state although the assignment exists, and the next create meets it", async () => {
        const p = provider(seed({ assignmentReadBackMisses: { "ann@x.com": 1 } }));
        const err = await failure(p.create(au, assign));
        assert.deepEqual([err.message, err.id], [`expected non-nil error with nil state during Create of ${au}`, undefined]);
        const t = readTenant(file);
        const [a] = t.appRoleAssignments;
        assert.deepEqual([t.appRoleAssignments.length, t.faults.assignmentReadBackMisses], [1, { "ann@x.com": 0 }]);
        const post = `POST /servicePrincipals/${SP}/appRoleAssignedTo`;
        assert.deepEqual(requests(), [`GET /servicePrincipals/${SP} 200`, `${post} 201`, `GET /servicePrincipals/${SP}/appRoleAssignedTo/${a.id} 404 (fault: read-back misses the assignment)`]);

        const again = await failure(p.create(au, assign));
        assert.equal(again.message, `1 error occurred:\n\t* Could not create app role assignment: ${EXISTS}\n\n`);
        assert.equal(readTenant(file).appRoleAssignments.length, 1);
    });

    it("AppRoleAssignment: a POST that landed but answered 504 is retried into 'already exists', failing the create with no state", async () => {
        const p = provider(seed({ assignmentPostLanded: { "ann@x.com": 1 } }));
        const err = await failure(p.create(au, assign));
        assert.deepEqual([err.message, err.id], [`1 error occurred:\n\t* Could not create app role assignment: ${EXISTS}\n\n`, undefined]);
        const t = readTenant(file);
        assert.deepEqual([t.appRoleAssignments.map((a) => [a.principalId, a.appRoleId]), t.faults.assignmentPostLanded], [[[USER, ROLE]], { "ann@x.com": 0 }]);
        const post = `POST /servicePrincipals/${SP}/appRoleAssignedTo`;
        assert.deepEqual(requests(), [`GET /servicePrincipals/${SP} 200`, `${post} 504 (fault: the assignment landed, its answer was lost)`, `${post} 400`]);
        assert.deepEqual(sleeps(), [1], "the SDK's first backoff");
    });
});
