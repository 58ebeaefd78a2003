import { strict as assert } from "assert";
import { join } from "path";
import { DirectoryUser, GraphClient, GraphProgress, graphClientFromEnvironment, retryAfterSeconds } from "../graph";
import { usersByAddress } from "../graph/identity";
import { simEnv, simFolders } from "../tools/sim/environment";
import { readCalls, readTenant, TenantStore } from "../tools/sim/tenant/store";
import { DENIED, failure, guest, guests, lookupPath, TOKEN, useSimulatedGraph } from "./helpers/graph-fixtures";

const GROUP = "11111111-1111-4111-8111-111111111111";
const SP = "44444444-4444-4444-8444-444444444444";
const ROLE = "66666666-6666-4666-8666-666666666666";


describe("Graph client against the simulated Graph", () => {
    const sim = useSimulatedGraph("graph-client-");
    const start = sim.start;
    /** "METHOD path status" of every request to the HTTP face. */
    const requests = () => readCalls(sim.file).flatMap((c) => (c.kind === "request" ? [`${c.method} ${c.path} ${c.status}${c.via === "http" ? "" : " (not via http)"}`] : []));

    it("follows @odata.nextLink across pages: 1,000 members at 999 a page are two requests", async () => {
        const users = guests(1000);
        const { directory } = await start({ users, groups: [{ id: GROUP, displayName: "Partners", members: users.map((u) => u.id) }] });
        const ids = await directory.groupMemberIds(GROUP);
        assert.equal(ids.size, 1000);
        assert.deepEqual([...ids].slice(0, 2), [users[0].id, users[1].id]);
        const log = requests();
        assert.equal(log.length, 2);
        assert.equal(log[0], `GET /groups/${GROUP}/members?$select=id&$top=999 200`);
        assert.match(log[1], new RegExp(`^GET /groups/${GROUP}/members\\?\\$select=id&\\$top=999&\\$skiptoken=\\S+ 200$`));
    });

    it("pages at 100 when $top is not given, and reports progress per page", async () => {
        const progress: GraphProgress[] = [];
        const { graph } = await start({ users: guests(250) }, { onProgress: (p) => progress.push(p) });
        const all = await graph.getAll<{ id: string }>("/users", { $select: "id" });
        assert.equal(all.length, 250);
        assert.equal(new Set(all.map((u) => u.id)).size, 250, "no user twice");
        assert.equal(requests().length, 3);
        assert.deepEqual(progress.at(-1), { requests: 3, batches: 0, pages: 3, retries: 0 });
    });

    it("looks 40 addresses up in 40 requests, 2 batches of 20, keyed by the address as given; an address no user carries names nobody", async () => {
        const { graph } = await start({ users: [...guests(38), { mail: "O'Brien@Fabrikam.com", userType: "Guest" }, { mail: "admin@contoso.com", displayName: "Admin" }] });
        const asked = [...guests(38).map((g) => g.mail), "o'brien@fabrikam.com", "nobody@fabrikam.com"];
        const found = await usersByAddress(graph, asked);
        assert.deepEqual([...found.keys()], asked);
        assert.deepEqual(found.get("nobody@fabrikam.com"), { kind: "none" });
        assert.equal(found.has("admin@contoso.com"), false, "not asked for");
        assert.deepEqual(found.get("guest7@fabrikam.com"), {
            kind: "one",
            matchedOn: ["mail"],
            user: {
                id: guest(7).id, mail: "guest7@fabrikam.com", userPrincipalName: "guest7_fabrikam.com#EXT#@contoso.onmicrosoft.com", otherMails: [], proxyAddresses: [], userType: "Guest", displayName: "Guest 7",
                createdDateTime: null, externalUserState: null, externalUserStateChangeDateTime: null,
            },
        });
        const obrien = found.get("o'brien@fabrikam.com");
        assert.deepEqual(obrien?.kind === "one" ? [obrien.user.mail, obrien.matchedOn] : obrien, ["O'Brien@Fabrikam.com", ["mail"]], "matched case-insensitively");
        assert.deepEqual(readCalls(sim.file).flatMap((c) => (c.kind === "batch" ? [c.requests] : [])), [20, 20], "two POST /$batch of 20");
        const quoted = "o''brien@fabrikam.com";
        assert.deepEqual(requests().sort(), [...guests(38).map((g) => g.mail), quoted, "nobody@fabrikam.com"].map((a) => `GET ${lookupPath(a)} 200`).sort(), "one request an address, the quote doubled");
        assert.ok(requests().some((l) => l.includes(`proxyAddresses/any(p:p eq 'smtp:${quoted}')`)));
    });

    it("waits out 429s for the seconds Retry-After gives, then succeeds", async () => {
        const { directory } = await start({ servicePrincipals: [{ id: SP, displayName: "Portal", appRoles: [{ id: ROLE, value: "Guest.Read" }] }], users: [guest(1)], appRoleAssignments: [{ id: "a1", appRoleId: ROLE, principalId: guest(1).id, resourceId: SP }], faults: { throttle: { requests: 2, retryAfterSeconds: 7 } } });
        const assignments = await directory.appRoleAssignedTo(SP);
        assert.deepEqual(assignments, [{ id: "a1", appRoleId: ROLE, principalId: guest(1).id, resourceId: SP }]);
        assert.deepEqual(sim.sleeps, [7, 7]);
        assert.deepEqual(requests().map((l) => l.split(" ").pop()), ["429", "429", "200"]);
    });

    it("gives up after maxRetries throttled retries with the 429", async () => {
        const { graph } = await start({ faults: { throttle: { requests: 10, retryAfterSeconds: 2 } } }, { maxRetries: 3 });
        const err = await failure(graph.getAll("/users"));
        assert.deepEqual([err.status, err.code, err.hint], [429, "TooManyRequests", ""]);
        assert.deepEqual(sim.sleeps, [2, 2, 2]);
        assert.equal(requests().length, 4);
    });

    it("names the Graph permission a 403 needs, with Graph's own code and message", async () => {
        const { directory } = await start({ servicePrincipals: [{ id: SP, displayName: "Portal" }], faults: { deny: { status: 403, code: "Authorization_RequestDenied", message: DENIED, pathPrefix: "/servicePrincipals" } } });
        const err = await failure(directory.appRoleAssignedTo(SP));
        assert.deepEqual([err.status, err.code, err.graphMessage, err.method, err.path], [403, "Authorization_RequestDenied", DENIED, "GET", `/servicePrincipals/${SP}/appRoleAssignedTo?$top=999`]);
        assert.equal(
            err.message,
            `Graph GET /servicePrincipals/${SP}/appRoleAssignedTo?$top=999 failed with 403 Authorization_RequestDenied: ${DENIED}; the identity running this needs the Microsoft Graph permission \`Application.Read.All\` (an application permission with admin consent, or a user's directory role that allows it)`,
        );
        assert.equal(err.message.includes("\n"), false, "one line, no stack");
        assert.deepEqual(sim.sleeps, [], "a 403 is not retried");
        assert.equal(requests().length, 1);
    });

    it("an expired token is a 401 that says how to sign in again", async () => {
        const { graph } = await start({ faults: { expiredToken: 1 } });
        const err = await failure(usersByAddress(graph, ["ann@fabrikam.com"]));
        assert.deepEqual([err.status, err.code, err.graphMessage], [401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired."]);
        assert.match(err.hint, /sign in again with `az login`, or in CI check ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET or ARM_USE_OIDC$/);
        assert.equal(readTenant(sim.file).faults.expiredToken, 0, "spent");
        assert.deepEqual([...(await usersByAddress(graph, ["ann@fabrikam.com"]))], [["ann@fabrikam.com", { kind: "none" }]], "the next request gets through");
        assert.deepEqual(requests(), [`GET ${lookupPath("ann@fabrikam.com")} 200`], "the refused batch carried no request");
    });

    it("refuses a request without the server's bearer token", async () => {
        await start({});
        const other = new GraphClient({ baseUrl: sim.server?.url, token: async () => "someone-else" });
        const err = await failure(other.get("/users"));
        assert.deepEqual([err.status, err.code, err.graphMessage], [401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience."]);
    });

    it("throws when page 2 fails, never returning the first page as the whole list", async () => {
        // The token expires between the two pages.
        const { directory } = await start(
            { users: guests(1000) },
            { onProgress: (p) => void (p.pages === 1 && new TenantStore(sim.file).edit((t) => void (t.faults.expiredToken = 1))) },
        );
        const err = await failure(directory.listGuests());
        assert.equal(err.status, 401);
        assert.match(err.path, /^\/users\?\$filter=userType eq 'Guest'&\$select=\S+&\$top=999&\$skiptoken=/);
        assert.deepEqual(requests().map((l) => l.split(" ").pop()), ["200", "401"]);
    });

    it("lists guests, with signInActivity only when asked; an invitation made over HTTP is pending", async () => {
        const signedIn = { ...guest(1), createdDateTime: "2026-01-02T03:04:05Z", externalUserState: "Accepted" as const, externalUserStateChangeDateTime: "2026-01-03T00:00:00Z", signInActivity: { lastSignInDateTime: "2026-11-01T08:00:00Z" } };
        const { graph, directory } = await start({ users: [signedIn, { mail: "admin@contoso.com" }] });
        const invited = await graph.post<{ invitedUser: { id: string }; status: string }>("/invitations", { invitedUserEmailAddress: "new@fabrikam.com", inviteRedirectUrl: "https://myapps.microsoft.com" });
        assert.equal(invited.status, "PendingAcceptance");
        const plain = await directory.listGuests();
        assert.deepEqual(plain.map((u) => [u.mail, u.externalUserState, "signInActivity" in u]), [
            ["guest1@fabrikam.com", "Accepted", false],
            ["new@fabrikam.com", "PendingAcceptance", false],
        ]);
        const withSignIn: DirectoryUser[] = await directory.listGuests({ signInActivity: true });
        assert.deepEqual(withSignIn.map((u) => u.signInActivity), [{ lastSignInDateTime: "2026-11-01T08:00:00Z" }, null]);
        assert.equal(withSignIn[1].id, invited.invitedUser.id);
        assert.deepEqual(requests(), [
            "POST /invitations 201",
            "GET /users?$filter=userType eq 'Guest'&$select=id,mail,userType,displayName,createdDateTime,externalUserState,externalUserStateChangeDateTime,userPrincipalName,otherMails,proxyAddresses&$top=999 200",
            "GET /users?$filter=userType eq 'Guest'&$select=id,mail,userType,displayName,createdDateTime,externalUserState,externalUserStateChangeDateTime,userPrincipalName,otherMails,proxyAddresses,signInActivity&$top=120 200",
        ]);
    });

    it("answers a query it does not support with 400 instead of a guess", async () => {
        const { graph } = await start({ users: guests(2) });
        const tooBig = await failure(graph.get("/users", { $top: "1000" }));
        assert.deepEqual([tooBig.status, tooBig.graphMessage], [400, "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."]);
        const sixteen = await failure(graph.get("/users", { $filter: `mail in (${guests(16).map((g) => `'${g.mail}'`).join(",")})` }));
        assert.deepEqual([sixteen.status, sixteen.code], [400, "Request_UnsupportedQuery"]);
        const other = await failure(graph.get("/users", { $filter: "displayName eq 'Guest 1'" }));
        assert.equal(other.graphMessage, "Unsupported or invalid query filter clause specified for property 'displayName' of resource 'user'.");
        const path = await failure(graph.get("/applications"));
        assert.deepEqual([path.status, path.graphMessage], [400, "GET /applications is not supported by the simulated Graph (tools/sim/graph-server)."]);
    });

    it("reaches the stack's simulated Graph through simEnv's variables, and drops inherited ones without it", async () => {
        await start({ users: [guest(1)] });
        const engine = { root: sim.dir, bin: sim.dir, pulumi: join(sim.dir, "pulumi"), version: "v3.248.0", source: "path" as const };
        const graph = { url: sim.server?.url ?? "", token: TOKEN };
        const env = simEnv(engine, simFolders(sim.dir), undefined, graph);
        assert.deepEqual([env.ENTRA_GUESTS_GRAPH_URL, env.ENTRA_GUESTS_GRAPH_TOKEN], [graph.url, TOKEN]);
        const found = await usersByAddress(graphClientFromEnvironment(env), [guest(1).mail]);
        const one = found.get(guest(1).mail);
        assert.deepEqual([[...found.keys()], one?.kind === "one" ? one.user.id : one], [[guest(1).mail], guest(1).id]);
        const saved = process.env.ENTRA_GUESTS_GRAPH_URL;
        process.env.ENTRA_GUESTS_GRAPH_URL = "https://elsewhere.example/v1.0";
        try {
            assert.equal("ENTRA_GUESTS_GRAPH_URL" in simEnv(engine, simFolders(sim.dir)), false);
        } finally {
            if (saved === undefined) delete process.env.ENTRA_GUESTS_GRAPH_URL;
            else process.env.ENTRA_GUESTS_GRAPH_URL = saved;
        }
    });

    it("says it could not reach Graph when nothing listens", async () => {
        await start({});
        const url = sim.server?.url ?? "";
        await sim.stop();
        const err = await failure(new GraphClient({ baseUrl: url, token: async () => TOKEN }).get("/users"));
        assert.deepEqual([err.status, err.code], [0, "NetworkError"]);
        assert.match(err.message, /^Graph GET \/users failed NetworkError: could not reach http:\/\/127\.0\.0\.1:\d+\/v1\.0 \(.+\); check the network, or ENTRA_GUESTS_GRAPH_URL when it is set$/);
    });
});

describe("retryAfterSeconds", () => {
    const now = Date.parse("2026-11-25T10:00:00Z");
    const table: [string | null, number | undefined][] = [
        ["7", 7],
        [" 0 ", 0],
        ["Wed, 25 Nov 2026 10:00:30 GMT", 30],
        ["Wed, 25 Nov 2026 09:59:00 GMT", 0],
        ["soon", undefined],
        ["", undefined],
        [null, undefined],
    ];
    for (const [header, seconds] of table) it(`${JSON.stringify(header)} -> ${seconds}`, () => assert.equal(retryAfterSeconds(header, now), seconds));
});
