// The simulated Graph's HTTP face (tools/sim/graph-server) for identity lookups and removals, raw over
// HTTP: what a client must send, and what Graph answers, whichever client the program uses.
import { strict as assert } from "assert";
import { TenantSeed } from "../tools/sim/tenant/format";
import { readCalls, readTenant } from "../tools/sim/tenant/store";
import { TOKEN, useSimulatedGraph } from "./helpers/graph-fixtures";

const ANN = "00000000-0000-4000-8000-000000000001";
const BO = "00000000-0000-4000-8000-000000000002";
const CY = "00000000-0000-4000-8000-000000000003";
const DEE = "00000000-0000-4000-8000-000000000004";
const GROUP = "11111111-1111-4111-8111-111111111111";
const SP = "44444444-4444-4444-8444-444444444444";
const ROLE = "66666666-6666-4666-8666-666666666666";
const A1 = "aaaaaaaa-0000-4000-8000-000000000001";
const A2 = "aaaaaaaa-0000-4000-8000-000000000002";
const EVENTUAL = { ConsistencyLevel: "eventual" };
const SELECT = "id,mail,userPrincipalName,otherMails,proxyAddresses,userType,displayName,createdDateTime,creationType,externalUserState,externalUserStateChangeDateTime,accountEnabled";

/** Microsoft's "was this user already invited" query (customize-invitation-api), here in the documented order. */
const invitedQuery = (x: string) => `userPrincipalName eq '${x}' or mail eq '${x}' or proxyAddresses/any(p:p eq 'smtp:${x}') or otherMails/any(m:m eq '${x}')`;

const seed: TenantSeed = {
    users: [
        { id: ANN, mail: "ann@fabrikam.com", userType: "Guest", displayName: "Ann" },
        { id: BO, mail: null, userPrincipalName: "Bo@Partner.example" },
        { id: CY, mail: "cy@x.com", proxyAddresses: ["SMTP:Cy.Alias@Fabrikam.com"], signInActivity: { lastSignInDateTime: "2026-11-01T08:00:00Z" } },
        { id: DEE, mail: "dee@x.com", otherMails: ["Dee@Home.example"], accountEnabled: false },
    ],
    groups: [{ id: GROUP, displayName: "Partners", members: [ANN, CY] }],
    servicePrincipals: [{ id: SP, displayName: "Portal", appRoles: [{ id: ROLE, value: "Guest.Read" }] }],
    appRoleAssignments: [
        { id: A1, appRoleId: ROLE, principalId: ANN, resourceId: SP },
        { id: A2, appRoleId: ROLE, principalId: CY, resourceId: SP },
    ],
};

describe("simulated Graph over HTTP: identity lookups and removals", () => {
    const sim = useSimulatedGraph("sim-face-");
    type Body = { value?: Record<string, unknown>[]; "@odata.count"?: number; "@odata.nextLink"?: string; error?: { code: string; message: string; innerError?: unknown } } & Record<string, unknown>;
    const call = async (method: string, path: string, query: Record<string, string> = {}, options: { headers?: Record<string, string>; body?: unknown } = {}) => {
        const qs = Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
        const res = await fetch(`${sim.server!.url}${path}${qs ? `?${qs}` : ""}`, {
            method,
            headers: { Authorization: `Bearer ${TOKEN}`, ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}), ...options.headers },
            body: options.body === undefined ? undefined : JSON.stringify(options.body),
        });
        const text = await res.text();
        return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (text ? JSON.parse(text) : undefined) as Body };
    };
    const requests = () => readCalls(sim.file).flatMap((c) => (c.kind === "request" ? [`${c.method} ${c.path} ${c.status}${c.write ? " write" : ""}${c.note ? ` (${c.note})` : ""}`] : []));

    it("answers the 'already invited' query as an advanced query, on all four properties, case-insensitively", async () => {
        await sim.start(seed);
        const found = async (x: string, filter = invitedQuery(x)) => {
            const r = await call("GET", "/users", { $filter: filter, $select: SELECT, $count: "true" }, { headers: EVENTUAL });
            assert.equal(r.status, 200, JSON.stringify(r.body));
            return [r.body["@odata.count"], r.body.value!.map((u) => u.id)];
        };
        assert.deepEqual(await found("ANN@fabrikam.com"), [1, [ANN]]);
        assert.deepEqual(await found("bo@partner.example"), [1, [BO]]);
        assert.deepEqual(await found("cy.alias@fabrikam.com"), [1, [CY]]);
        assert.deepEqual(await found("dee@home.example"), [1, [DEE]]);
        assert.deepEqual(await found("nobody@x.com"), [0, []]);
        const reordered = (x: string) => `otherMails/any(z:z eq '${x}') or proxyAddresses/any(c : c eq 'SMTP:${x}') OR mail eq '${x}' or userPrincipalName eq '${x}'`;
        assert.deepEqual(await found("", reordered("Cy.Alias@fabrikam.com")), [1, [CY]]);
        assert.deepEqual(await found("", "mail eq 'ann@fabrikam.com' or mail eq 'dee@x.com'"), [2, [ANN, DEE]]);

        const r = await call("GET", "/users", { $filter: invitedQuery("dee@home.example"), $select: SELECT, $count: "true" }, { headers: EVENTUAL });
        assert.deepEqual(r.body.value, [
            {
                id: DEE, mail: "dee@x.com", userPrincipalName: "dee@x.com", otherMails: ["Dee@Home.example"], proxyAddresses: [], userType: "Member", displayName: "",
                createdDateTime: null, creationType: null, externalUserState: null, externalUserStateChangeDateTime: null, accountEnabled: false,
            },
        ]);
        assert.ok(requests().every((l) => l.startsWith("GET /users?$filter=") && l.endsWith(`&$select=${SELECT}&$count=true 200`)));
    });

    it("refuses the query without both advanced query parameters, and filters on the wrong property kind", async () => {
        await sim.start(seed);
        const message = "Operator 'or' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information";
        for (const [query, headers] of [[{ $count: "true" }, {}], [{}, EVENTUAL], [{ $count: "false" }, EVENTUAL]] as const) {
            const r = await call("GET", "/users", { $filter: invitedQuery("ann@fabrikam.com"), ...query }, { headers });
            assert.deepEqual([r.status, r.body.error], [400, { code: "Request_UnsupportedQuery", message, innerError: r.body.error!.innerError }]);
        }
        // One clause needs no advanced parameters; a $count without the header is ignored, as Graph does.
        const one = await call("GET", "/users", { $filter: "proxyAddresses/any(p:p eq 'smtp:cy.alias@fabrikam.com')", $count: "true" });
        assert.deepEqual([one.status, one.body["@odata.count"], one.body.value!.map((u) => u.id)], [200, undefined, [CY]]);
        const unsupported = (p: string) => `Unsupported or invalid query filter clause specified for property '${p}' of resource 'user'.`;
        for (const [filter, property] of [["proxyAddresses eq 'smtp:cy@x.com'", "proxyAddresses"], ["mail/any(m:m eq 'cy@x.com')", "mail"], ["signInNames/any(x:x eq 'cy@x.com')", "signInNames"]]) {
            const r = await call("GET", "/users", { $filter: filter });
            assert.deepEqual([r.status, r.body.error?.message], [400, unsupported(property)], filter);
        }
        const mismatched = await call("GET", "/users", { $filter: "otherMails/any(m:x eq 'a@x.com')" });
        assert.deepEqual([mismatched.status, mismatched.body.error?.code], [400, "BadRequest"], "a lambda's variable must be its own");
        const select = await call("GET", "/users", { $select: "id,signInNames" });
        assert.deepEqual([select.status, select.body.error?.message], [400, "Could not find a property named 'signInNames' on type 'microsoft.graph.user'."]);
    });

    it("serves at most 120 users a page with signInActivity selected or filtered on", async () => {
        await sim.start(seed);
        const refused = { code: "UnknownError", message: "Cannot query data for more than 120 users at a time." };
        const a = await call("GET", "/users", { $select: "id,signInActivity", $top: "121" });
        const b = await call("GET", "/users", { $filter: "signInActivity/lastSignInDateTime le 2026-12-01T00:00:00Z", $top: "999" });
        assert.deepEqual([a.status, a.body.error?.code, a.body.error?.message, b.status, b.body.error?.message], [400, refused.code, refused.message, 400, refused.message]);
        const ok = await call("GET", "/users", { $select: "id,signInActivity", $top: "120" });
        assert.deepEqual(ok.body.value!.find((u) => u.id === CY), { id: CY, signInActivity: { lastSignInDateTime: "2026-11-01T08:00:00Z" } });
        assert.equal((await call("GET", "/users", { $select: "id,mail", $top: "999" })).status, 200);
    });

    it("GET /users/{id}: with $select, 404 when missing or not yet replicated, 400 for anything but an object ID", async () => {
        await sim.start({ ...seed, users: [...seed.users!.slice(0, 3), { ...seed.users![3], invisibleReads: 1 }] });
        const ann = await call("GET", `/users/${ANN}`, { $select: "id,userPrincipalName,creationType,accountEnabled" });
        assert.deepEqual([ann.status, ann.body], [200, { id: ANN, userPrincipalName: "ann_fabrikam.com#EXT#@contoso.onmicrosoft.com", creationType: "Invitation", accountEnabled: true }]);
        assert.deepEqual((await call("GET", `/users/${BO}`)).body, { id: BO, mail: null, displayName: "" });
        assert.deepEqual([(await call("GET", `/users/${DEE}`)).status, (await call("GET", `/users/${DEE}`)).status], [404, 200]);
        assert.equal((await call("GET", "/users/aaaaaaaa-0000-4000-8000-0000000000ff")).status, 404);
        assert.equal((await call("GET", `/users/${ANN}`, { $select: "id,nickname" })).status, 400);
        assert.equal((await call("GET", "/users/ann@fabrikam.com")).status, 400);
        assert.deepEqual(requests(), [
            `GET /users/${ANN}?$select=id,userPrincipalName,creationType,accountEnabled 200`,
            `GET /users/${BO} 200`,
            `GET /users/${DEE} 404`,
            `GET /users/${DEE} 200`,
            "GET /users/aaaaaaaa-0000-4000-8000-0000000000ff 404",
            `GET /users/${ANN}?$select=id,nickname 400`,
            "GET /users/ann@fabrikam.com 400 (not supported by the simulated Graph)",
        ]);
    });

    it("DELETE /users/{id}: the user leaves its groups and loses its assignments; a second delete is 404; both logged as writes", async () => {
        await sim.start(seed);
        assert.deepEqual([(await call("DELETE", `/users/${ANN}`)).status, (await call("DELETE", `/users/${ANN}`)).status], [204, 404]);
        const t = readTenant(sim.file);
        assert.deepEqual([t.users.map((u) => u.id), t.groups[0].members, t.appRoleAssignments.map((a) => a.id)], [[BO, CY, DEE], [CY], [A2]]);
        assert.deepEqual(requests(), [`DELETE /users/${ANN} 204 write`, `DELETE /users/${ANN} 404 write`]);
    });

    it("a user's app role assignments: listed page by page, deleted one by one; a group member reference deleted", async () => {
        await sim.start({ ...seed, appRoleAssignments: [...seed.appRoleAssignments!, { id: "aaaaaaaa-0000-4000-8000-000000000003", appRoleId: "00000000-0000-0000-0000-000000000000", principalId: ANN, resourceId: SP }] });
        const first = await call("GET", `/users/${ANN}/appRoleAssignments`, { $top: "1" });
        assert.deepEqual(first.body.value, [{ id: A1, appRoleId: ROLE, principalId: ANN, principalType: "User", principalDisplayName: "Ann", resourceId: SP, resourceDisplayName: "Portal" }]);
        const next = await fetch(first.body["@odata.nextLink"]!, { headers: { Authorization: `Bearer ${TOKEN}` } });
        assert.deepEqual(((await next.json()) as Body).value!.map((a) => a.id), ["aaaaaaaa-0000-4000-8000-000000000003"]);
        assert.equal((await call("GET", "/users/aaaaaaaa-0000-4000-8000-0000000000ff/appRoleAssignments")).status, 404);
        const deletes = [`/users/${ANN}/appRoleAssignments/${A1}`, `/users/${ANN}/appRoleAssignments/${A1}`, `/users/${ANN}/appRoleAssignments/${A2}`, `/groups/${GROUP}/members/${CY}/$ref`, `/groups/${GROUP}/members/${CY}/$ref`];
        const statuses: number[] = [];
        for (const path of deletes) statuses.push((await call("DELETE", path)).status);
        assert.deepEqual(statuses, [204, 404, 404, 204, 404], "an assignment of another user is not this user's");
        const t = readTenant(sim.file);
        assert.deepEqual([t.appRoleAssignments.map((a) => a.id), t.groups[0].members], [[A2, "aaaaaaaa-0000-4000-8000-000000000003"], [ANN]]);
        assert.deepEqual(requests().slice(3), deletes.map((p, i) => `DELETE ${p} ${statuses[i]} write`));
    });

    it("getByIds answers each user with its type, userType, mail and accountEnabled, never signInActivity", async () => {
        await sim.start(seed);
        const r = await call("POST", "/directoryObjects/getByIds", {}, { body: { ids: [CY, DEE, "aaaaaaaa-0000-4000-8000-0000000000ff"], types: ["user"] } });
        assert.deepEqual(r.body.value!.map((u) => [u["@odata.type"], u.id, u.userType, u.mail, u.accountEnabled, "signInActivity" in u]), [
            ["#microsoft.graph.user", CY, "Member", "cy@x.com", true, false],
            ["#microsoft.graph.user", DEE, "Member", "dee@x.com", false, false],
        ]);
        assert.deepEqual(requests(), ["POST /directoryObjects/getByIds 200"]);
    });

    it("a batch carries each request's headers to it, and the throttle and deny faults apply to the new routes", async () => {
        await sim.start({ ...seed, faults: { throttle: { requests: 1, retryAfterSeconds: 9 }, deny: { status: 403, code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation.", pathPrefix: `/groups/${GROUP}/members/` } } });
        const throttled = await call("DELETE", `/users/${DEE}`);
        assert.deepEqual([throttled.status, throttled.retryAfter], [429, "9"]);
        assert.equal((await call("DELETE", `/groups/${GROUP}/members/${ANN}/$ref`)).status, 403);
        const url = `users?$filter=${encodeURIComponent(invitedQuery("cy.alias@fabrikam.com"))}&$select=id&$count=true`;
        const batch = await call("POST", "/$batch", {}, { body: { requests: [{ id: "1", method: "GET", url, headers: { consistencylevel: "eventual" } }, { id: "2", method: "GET", url }] } });
        const responses = (batch.body.responses as { id: string; status: number; body: Body }[]).sort((a, b) => a.id.localeCompare(b.id));
        assert.deepEqual(responses.map((r) => [r.id, r.status, r.body["@odata.count"] ?? r.body.error?.code]), [["1", 200, 1], ["2", 400, "Request_UnsupportedQuery"]]);
        assert.deepEqual(requests().slice(0, 2), [`DELETE /users/${DEE} 429 write (fault: throttled)`, `DELETE /groups/${GROUP}/members/${ANN}/$ref 403 write (fault: denied)`]);
        assert.deepEqual(readTenant(sim.file).users.length, 4, "nothing deleted");
    });
});
