import { strict as assert } from "assert";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parseTenant, TenantSeed } from "../tools/sim/tenant/format";
import { Graph, GraphError } from "../tools/sim/tenant/graph";
import { readCalls, readTenant, TenantStore, writeTenant } from "../tools/sim/tenant/store";

const ANN = "22222222-2222-4222-8222-222222222222";
const BO = "33333333-3333-4333-8333-333333333333";
const CY = "44444444-4444-4444-8444-444444444444";
const invite = (email: string) => ({ email, redirectUrl: "https://myapps.microsoft.com", userType: "Guest", sendMessage: false });

/** The error a call throws; fails when it returns. */
function thrown(fn: () => unknown): GraphError {
    try {
        fn();
    } catch (err) {
        if (err instanceof GraphError) return err;
        throw err;
    }
    throw new assert.AssertionError({ message: "expected a Graph error" });
}

/** Who an invitation finds, and which addresses Graph refuses (tools/sim/tenant/identity.ts). */
describe("simulated tenant: identities and POST /invitations", () => {
    let dir = "";
    let file = "";
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "sim-identity-"));
        file = join(dir, "tenant.json");
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const graph = (seed: TenantSeed) => {
        writeTenant(file, seed);
        return new Graph(new TenantStore(file));
    };
    const requests = () => readCalls(file).flatMap((c) => (c.kind === "request" ? [`${c.method} ${c.path} ${c.status}${c.note ? ` (${c.note})` : ""}`] : []));

    it("names users a seed leaves unnamed as Entra does, and fills in the new properties", () => {
        const t = parseTenant(
            JSON.stringify({
                users: [
                    { id: ANN, mail: "ann@fabrikam.com", userType: "Guest" },
                    { id: BO, mail: "bo@contoso.com" },
                    { id: CY, mail: null },
                    { mail: "dee@x.com", userType: "Guest", userPrincipalName: "dee@x.com", creationType: null, accountEnabled: false, otherMails: ["d@y.com"], proxyAddresses: ["SMTP:dee@x.com", "smtp:d@z.com"] },
                ],
            }),
            "tenant.json",
        );
        assert.deepEqual(t.verifiedDomains, ["contoso.onmicrosoft.com"]);
        assert.deepEqual(
            t.users.map((u) => [u.userPrincipalName, u.creationType, u.accountEnabled, u.otherMails, u.proxyAddresses]),
            [
                ["ann_fabrikam.com#EXT#@contoso.onmicrosoft.com", "Invitation", true, [], []],
                ["bo@contoso.com", null, true, [], []],
                [`${CY}@contoso.onmicrosoft.com`, null, true, [], []],
                ["dee@x.com", null, false, ["d@y.com"], ["SMTP:dee@x.com", "smtp:d@z.com"]],
            ],
        );
        const other = parseTenant(JSON.stringify({ verifiedDomains: ["fabrikamlabs.onmicrosoft.com", "fabrikam.com"], users: [{ id: CY, mail: null }] }), "t.json");
        assert.equal(other.users[0].userPrincipalName, `${CY}@fabrikamlabs.onmicrosoft.com`, "the first verified domain is the initial one");
    });

    it("refuses a malformed proxy address or domain, and an empty domain list, with their paths", () => {
        const text = JSON.stringify({ verifiedDomains: ["contoso"], users: [{ mail: "a@x.com", proxyAddresses: ["a@x.com"] }] });
        assert.throws(() => parseTenant(text, "t.json"), {
            message: "t.json: `verifiedDomains.0`: must be a domain name\n" + 't.json: `users.0.proxyAddresses.0`: must be "<type>:<address>", as "SMTP:ann@fabrikam.com"\nsee tools/sim/README.md for the tenant format',
        });
        assert.throws(() => parseTenant(JSON.stringify({ verifiedDomains: [] }), "t.json"), /`verifiedDomains`: Too small/);
    });

    it("keeps the new properties through the snapshot and journal (verified after every request)", () => {
        const g = graph({ users: [{ id: ANN, mail: "ann@fabrikam.com", userType: "Guest", otherMails: ["ann@home.example"] }] });
        g.patchUser(ANN, { companyName: "Fabrikam" });
        const bo = g.createInvitation(invite("bo@fabrikam.com"));
        const t = readTenant(file);
        assert.deepEqual(
            t.users.map((u) => [u.id, u.userPrincipalName, u.otherMails, u.companyName, u.creationType]),
            [
                [ANN, "ann_fabrikam.com#EXT#@contoso.onmicrosoft.com", ["ann@home.example"], "Fabrikam", "Invitation"],
                [bo.invitedUserId, "bo_fabrikam.com#EXT#@contoso.onmicrosoft.com", [], null, "Invitation"],
            ],
        );
        new TenantStore(file).compact();
        assert.deepEqual(readTenant(file), t);
    });

    it("finds an existing user by userPrincipalName, mail, SMTP proxy address or otherMails, in any case", () => {
        const g = graph({
            users: [
                { id: ANN, mail: null, userPrincipalName: "Ann@Partner.example" },
                { id: BO, mail: "bo@fabrikam.com", proxyAddresses: ["smtp:Bo.Old@Fabrikam.com", "SIP:bo.sip@fabrikam.com"], otherMails: ["BO@home.example"] },
                { id: CY, mail: "cy@fabrikam.com", userType: "Guest", proxyAddresses: ["SMTP:CY.Primary@fabrikam.com"] },
            ],
        });
        const found = ["ann@partner.example", "BO.OLD@fabrikam.com", "bo@Home.Example", "cy.primary@FABRIKAM.com", "Bo@Fabrikam.com"].map((e) => g.createInvitation(invite(e)).invitedUserId);
        assert.deepEqual(found, [ANN, BO, BO, CY, BO]);
        assert.equal(readTenant(file).users.length, 3, "no new user");
        assert.deepEqual(requests(), Array.from({ length: 5 }, () => "POST /invitations 201"));
        const sip = g.createInvitation(invite("bo.sip@fabrikam.com")).invitedUserId;
        assert.ok(![ANN, BO, CY].includes(sip), "a SIP proxy address is not an SMTP address");
        assert.equal(readTenant(file).users.length, 4);
    });

    it("hands back the first matching user in tenant order when several match, and says so in the log", () => {
        const g = graph({ users: [{ id: BO, mail: "bo@fabrikam.com" }, { id: ANN, mail: "ann@fabrikam.com", otherMails: ["bo@fabrikam.com"] }] });
        assert.equal(g.createInvitation(invite("BO@fabrikam.com")).invitedUserId, BO);
        assert.equal(g.createInvitation(invite("ann@fabrikam.com")).invitedUserId, ANN);
        assert.deepEqual(requests(), ["POST /invitations 201 (several users match)", "POST /invitations 201"]);
        assert.equal(readTenant(file).invitations.length, 2);
    });

    it("refuses an address in a verified domain or a subdomain of one, with no user, invitation or mail", () => {
        const g = graph({ verifiedDomains: ["contoso.onmicrosoft.com", "Contoso.com"], users: [{ id: ANN, mail: "admin@contoso.com" }] });
        const refused = ["admin@contoso.com", "x@SALES.contoso.com", "bo_fabrikam.com#EXT#@contoso.onmicrosoft.com"].map((e) => thrown(() => g.createInvitation({ ...invite(e), sendMessage: true })));
        assert.deepEqual(
            refused.map((e) => [e.status, e.code, e.message]),
            [
                [400, "BadRequest", "The invited address 'admin@contoso.com' is in the tenant's verified domain 'Contoso.com': invite only addresses outside the tenant's own domains."],
                [400, "BadRequest", "The invited address 'x@SALES.contoso.com' is in the tenant's verified domain 'Contoso.com': invite only addresses outside the tenant's own domains."],
                [400, "BadRequest", "The invited address 'bo_fabrikam.com#EXT#@contoso.onmicrosoft.com' is in the tenant's verified domain 'contoso.onmicrosoft.com': invite only addresses outside the tenant's own domains."],
            ],
        );
        let t = readTenant(file);
        assert.deepEqual([t.users.length, t.invitations, t.mail], [1, [], []]);
        assert.deepEqual(requests(), Array.from({ length: 3 }, () => "POST /invitations 400"));
        const outside = g.createInvitation(invite("x@notcontoso.com"));
        t = readTenant(file);
        assert.deepEqual(t.users.map((u) => u.id), [ANN, outside.invitedUserId], "a domain that only ends like a verified one is outside");
    });
});
