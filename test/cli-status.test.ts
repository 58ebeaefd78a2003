// `entra-guests status` against the simulated Graph (tools/sim/graph-server) over a seeded
// tenant: paging, the four kinds of guest, filters judged on --as-of, the stack column, and
// Graph's refusals (a permission, the licence for sign-in activity, an expired token).
import { strict as assert } from "assert";
import * as path from "path";
import { promises as fs } from "fs";
import { FIXTURES } from "./helpers/roster";
import { GraphProject, graphProject } from "./helpers/graph-cli";
import { TenantSeed } from "../tools/sim/tenant/format";
import { NO_CREDENTIAL } from "../graph/credentials";

const AS_OF = "2026-07-15";
const GUESTS = "/users?$filter=userType eq 'Guest'";
const FIELDS = "id,mail,userType,displayName,createdDateTime,externalUserState,externalUserStateChangeDateTime,userPrincipalName,otherMails,proxyAddresses";
/** The identity lookup of one address that no listed guest carries (graph/identity.ts). */
const lookup = (a: string) =>
    `GET /users?$filter=userPrincipalName eq '${a}' or mail eq '${a}' or proxyAddresses/any(p:p eq 'smtp:${a}') or otherMails/any(m:m eq '${a}')&$select=id,mail,userPrincipalName,otherMails,proxyAddresses,userType,displayName,createdDateTime,externalUserState,externalUserStateChangeDateTime&$count=true 200`;
const WITH_SIGN_IN = `${GUESTS}&$select=${FIELDS},signInActivity&$top=120`;
const WITHOUT_SIGN_IN = `${GUESTS}&$select=${FIELDS}&$top=999`;
const DENIED = "Insufficient privileges to complete the operation.";

/** Five guests of every kind: ann pending 14 days, cy 13, bo accepted, dee missing, eve in no file. */
const SMALL: TenantSeed = {
    users: [
        { mail: "ann@fabrikam.com", displayName: "Ann", userType: "Guest", createdDateTime: "2026-07-01T09:00:00Z", externalUserState: "PendingAcceptance", externalUserStateChangeDateTime: "2026-07-01T09:00:00Z" },
        { mail: "Bo@Fabrikam.com", displayName: "Bo", userType: "Guest", createdDateTime: "2026-05-01T12:00:00Z", externalUserState: "Accepted", externalUserStateChangeDateTime: "2026-05-02T08:00:00Z", signInActivity: { lastSignInDateTime: "2026-07-10T08:00:00Z" } },
        { mail: "cy@fabrikam.com", displayName: "Cy", userType: "Guest", createdDateTime: "2026-07-02T23:59:00Z", externalUserState: "PendingAcceptance", externalUserStateChangeDateTime: "2026-07-02T23:59:00Z" },
        { mail: "eve@contoso.com", displayName: "=HYPERLINK(\"http://x\",\"Eve\")", userType: "Guest", createdDateTime: "2026-06-01T00:00:00Z", externalUserState: "PendingAcceptance", externalUserStateChangeDateTime: "2026-06-01T00:00:00Z" },
        { mail: "admin@contoso.com", displayName: "Admin", userType: "Member" },
    ],
};
const SMALL_FILES = { "guests/partners.csv": "email,displayName,expires\nann@fabrikam.com,Ann Lee,2027-06-30\nbo@fabrikam.com,,\ncy@fabrikam.com,,\ndee@fabrikam.com,,\n" };

describe("status: each guest's redemption, sign-in and stack, from Graph", () => {
    let p: GraphProject | undefined;
    afterEach(async () => {
        await p?.close();
        p = undefined;
    });
    const setup = async (seed: TenantSeed = SMALL, files: Record<string, string> = SMALL_FILES) => (p = await graphProject(files, seed));

    it("reports 5,000 guests in 52 requests: 42 pages of 120 (signInActivity's largest) and one lookup of each of the 10 declared addresses no guest carries", async () => {
        const at = (i: number) => ({
            mail: `guest${i}@fabrikam.com`,
            userType: "Guest" as const,
            createdDateTime: i % 5 === 0 ? (i % 10 === 0 ? "2026-07-01T09:00:00Z" : "2026-07-02T09:00:00Z") : "2026-04-01T00:00:00Z",
            externalUserState: i % 5 === 0 ? ("PendingAcceptance" as const) : ("Accepted" as const),
            externalUserStateChangeDateTime: i % 5 === 0 ? (i % 10 === 0 ? "2026-07-01T09:00:00Z" : "2026-07-02T09:00:00Z") : "2026-05-01T00:00:00Z",
        });
        const users = Array.from({ length: 5000 }, (_, i) => at(i + 1));
        const declared = [...users.slice(0, 4990).map((u) => u.mail), ...Array.from({ length: 10 }, (_, i) => `missing${i + 1}@fabrikam.com`)];
        const s = await setup({ users }, { "guests/all.csv": `email\n${declared.join("\n")}\n` });
        const started = Date.now();
        const run = await s.run(["status", "--format", "json", "--as-of", AS_OF]);
        const ms = Date.now() - started;
        // Off a terminal, a progress line every 10 pages.
        const progress = [10, 20, 30, 40].map((n) => `entra-guests: read ${n} pages from Graph (${n} requests)\n`).join("") + "entra-guests: read 50 pages from Graph (52 requests)\n";
        assert.deepEqual([run.code, run.stderr], [0, progress]);
        const report = JSON.parse(run.stdout) as { counts: Record<string, number>; rows: { email: string; kind: string; state: string }[] };
        assert.deepEqual(report.counts, { declared: 5000, accepted: 3992, pending: 998, missing: 10, unknown: 0, ambiguous: 0, expired: 0, unmanaged: 10 });
        assert.equal(report.rows.length, 5010);
        assert.deepEqual(report.rows.filter((r) => r.kind === "unmanaged").map((r) => r.email), Array.from({ length: 10 }, (_, i) => `guest${4991 + i}@fabrikam.com`).sort());
        assert.deepEqual(report.rows.filter((r) => r.state === "missing").map((r) => r.email), declared.slice(4990).sort());
        const log = s.requests();
        assert.equal(log.length, 52, log.join("\n"));
        assert.equal(log[0], `GET ${WITH_SIGN_IN} 200`);
        for (const l of log.slice(1, 42)) assert.match(l, /&\$top=120&\$skiptoken=\S+ 200$/);
        assert.deepEqual(log.slice(42).sort(), declared.slice(4990).map(lookup).sort());
        assert.ok(s.calls().every((c) => c.kind !== "request" || !c.write), "no write");
        // Measured, not asserted tightly: the whole run, roster and Graph, on the sim.
        assert.ok(ms < 15000, `took ${ms} ms`);

        const pending = await s.run(["status", "--format", "json", "--as-of", AS_OF, "--pending-for", "14d"]);
        const rows = (JSON.parse(pending.stdout) as { rows: { email: string }[] }).rows.map((r) => r.email);
        // Pending since 2026-07-01 (14 days by 2026-07-15): every tenth guest; 07-02 is 13 days.
        assert.deepEqual(rows, Array.from({ length: 500 }, (_, i) => `guest${(i + 1) * 10}@fabrikam.com`).filter((m) => m !== "guest5000@fabrikam.com").sort().concat("guest5000@fabrikam.com"));
    });

    it("prints every declared guest, then the tenant's guests of no file, and says why the stack column is unknown", async () => {
        const s = await setup();
        const run = await s.run(["status", "--as-of", AS_OF]);
        assert.deepEqual([run.code, run.stderr], [0, ""]);
        assert.equal(
            run.stdout,
            [
                "GUEST             STATE                    SINCE       INVITED     LAST SIGN-IN  EXPIRES     STACK",
                "ann@fabrikam.com  pending 14 days          2026-07-01  2026-07-01  never         2027-06-30  unknown",
                "bo@fabrikam.com   accepted                 2026-05-02  2026-05-01  2026-07-10                unknown",
                "cy@fabrikam.com   pending 13 days          2026-07-02  2026-07-02  never                     unknown",
                "dee@fabrikam.com  missing from the tenant                                                    unknown",
                "-- in the tenant, in no guest file --",
                "eve@contoso.com   pending 44 days          2026-06-01  2026-06-01  never                     unknown",
                "4 declared guests: 1 accepted, 2 pending, 1 missing from the tenant; 1 guest in the tenant that no file declares (as of 2026-07-15)",
                "stack: unknown, no --stack was given",
                "",
            ].join("\n"),
        );
        assert.deepEqual(s.requests(), [`GET ${WITH_SIGN_IN} 200`, lookup("dee@fabrikam.com")]);
    });

    it("matches a declared address as Graph's invitation would, and reports an address that names two users as such, neither of them unmanaged", async () => {
        const seed: TenantSeed = {
            users: [
                { id: "cccccccc-0000-4000-8000-000000000001", mail: "a.lee@old.example", otherMails: ["ann@fabrikam.com"], userType: "Guest", createdDateTime: "2026-07-01T09:00:00Z", externalUserState: "Accepted", externalUserStateChangeDateTime: "2026-07-02T09:00:00Z" },
                { id: "cccccccc-0000-4000-8000-000000000002", mail: "Bo@Fabrikam.com", userType: "Guest", createdDateTime: "2026-07-01T09:00:00Z", externalUserState: "PendingAcceptance", externalUserStateChangeDateTime: "2026-07-01T09:00:00Z" },
                { id: "cccccccc-0000-4000-8000-000000000003", mail: "bo@fabrikam.com", userType: "Guest", createdDateTime: "2026-07-03T09:00:00Z", externalUserState: "PendingAcceptance", externalUserStateChangeDateTime: "2026-07-03T09:00:00Z" },
            ],
        };
        const s = await setup(seed, { "guests/p.csv": "email\nann@fabrikam.com\nbo@fabrikam.com\n" });
        const run = await s.run(["status", "--format", "json", "--as-of", AS_OF]);
        assert.equal(run.code, 0, run.stderr);
        const report = JSON.parse(run.stdout) as { counts: Record<string, number>; rows: { email: string; kind: string; state: string; userId: string | null; matches?: string[] }[] };
        assert.deepEqual(report.rows.map((r) => [r.email, r.kind, r.state, r.userId, r.matches]), [
            ["ann@fabrikam.com", "declared", "accepted", "cccccccc-0000-4000-8000-000000000001", undefined],
            ["bo@fabrikam.com", "declared", "ambiguous", null, ["cccccccc-0000-4000-8000-000000000002", "cccccccc-0000-4000-8000-000000000003"]],
        ]);
        assert.deepEqual([report.counts.ambiguous, report.counts.unmanaged], [1, 0]);
        const text = await s.run(["status", "--as-of", AS_OF]);
        assert.match(text.stdout, /\nbo@fabrikam\.com +names 2 users: cccccccc-0000-4000-8000-000000000002, cccccccc-0000-4000-8000-000000000003 /);
        assert.match(text.stdout, /1 naming several users \(the stack acts on none of them; see docs\/identity\.md\)/);
    });

    it("combines --pending-for, --unmanaged and --inactive-for, judged in whole days on --as-of", async () => {
        const s = await setup();
        const emails = async (...args: string[]) => {
            const run = await s.run(["status", "--format", "json", "--as-of", AS_OF, ...args]);
            assert.equal(run.code, 0, run.stderr);
            return (JSON.parse(run.stdout) as { rows: { email: string }[] }).rows.map((r) => r.email);
        };
        assert.deepEqual(await emails("--pending-for", "14d"), ["ann@fabrikam.com", "eve@contoso.com"]);
        assert.deepEqual(await emails("--pending-for", "13d"), ["ann@fabrikam.com", "cy@fabrikam.com", "eve@contoso.com"]);
        assert.deepEqual(await emails("--pending-for", "14d", "--unmanaged"), ["eve@contoso.com"]);
        assert.deepEqual(await emails("--unmanaged"), ["eve@contoso.com"]);
        // bo signed in 5 days ago; ann and cy never did but were invited 14 and 13 days ago; eve 44.
        assert.deepEqual(await emails("--inactive-for", "14d"), ["ann@fabrikam.com", "eve@contoso.com"]);
        assert.deepEqual(await emails("--inactive-for", "5d", "--pending-for", "20d"), ["eve@contoso.com"]);
        const bad = await s.run(["status", "--pending-for", "two weeks"]);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /^entra-guests: --pending-for must be a number of days like 14d \(got "two weeks"\); run `entra-guests --help` for the commands and their options\n/);
    });

    it("reads the stack column from `pulumi stack output managedGuests` when --stack is given", async () => {
        const s = await setup(SMALL, { ...SMALL_FILES, "Pulumi.dev.yaml": "config: {}\n" });
        const bin = path.join(s.root, "bin");
        await fs.mkdir(bin);
        await fs.symlink(path.join(FIXTURES, "status", "fake-pulumi.sh"), path.join(bin, "pulumi"));
        // The output is the map's JSON text, which `--json` prints as a JSON string.
        await fs.writeFile(path.join(s.root, "managed.json"), JSON.stringify(JSON.stringify({ "ann@fabrikam.com": { onRemove: "delete", invite: "x" }, "eve@contoso.com": { onRemove: "retain", invite: "y" } })));
        const env = { ...s.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, FAKE_LOG: path.join(s.root, "pulumi.log"), FAKE_OUTPUT: path.join(s.root, "managed.json") };
        const run = await s.run(["status", "--stack", "dev", "--format", "json", "--as-of", AS_OF], env);
        assert.equal(run.code, 0, run.stderr);
        const report = JSON.parse(run.stdout) as { managed: unknown; rows: { email: string; managed: boolean | null }[] };
        assert.deepEqual(report.managed, { known: true, stack: "dev" });
        assert.deepEqual(report.rows.map((r) => [r.email, r.managed]), [["ann@fabrikam.com", true], ["bo@fabrikam.com", false], ["cy@fabrikam.com", false], ["dee@fabrikam.com", false], ["eve@contoso.com", true]]);
        assert.deepEqual(await fs.readFile(path.join(s.root, "pulumi.log"), "utf8"), `${s.root}: stack output managedGuests --json --stack dev\n`);

        const failing = await s.run(["status", "--stack", "dev", "--as-of", AS_OF], { ...env, FAKE_FAIL: "no stack named 'dev' found" });
        assert.equal(failing.code, 0);
        assert.match(failing.stdout, /\nstack: unknown, `pulumi stack output managedGuests --json --stack dev` failed: error: no stack named 'dev' found\n$/);
        assert.ok(failing.stdout.split("\n").slice(1, 6).every((l) => l === "" || l.startsWith("--") || l.endsWith("  unknown")));

        const none = await s.run(["status", "--stack", "dev", "--as-of", AS_OF], { ...s.env, PATH: path.join(s.root, "nothing-here") });
        assert.equal(none.code, 0);
        assert.match(none.stdout, /\nstack: unknown, there is no `pulumi` CLI on PATH to read the stack's managedGuests output\n$/);
    });

    it("says why the last sign-in is missing when Graph refuses signInActivity, and reports the rest", async () => {
        const s = await setup({ ...SMALL, faults: { deny: { status: 403, code: "Authorization_RequestDenied", message: DENIED, pathPrefix: WITH_SIGN_IN } } });
        const run = await s.run(["status", "--as-of", AS_OF]);
        assert.deepEqual([run.code, run.stderr], [0, ""]);
        const lines = run.stdout.split("\n");
        assert.equal(lines[2], "bo@fabrikam.com   accepted                 2026-05-02  2026-05-01  n/a                       unknown");
        assert.ok(lines.includes("last sign-in: not available: reading it needs the Microsoft Graph permission AuditLog.Read.All (Graph: 403 Authorization_RequestDenied)"));
        assert.deepEqual(s.requests().slice(0, 2), [`GET ${WITH_SIGN_IN} 403`, `GET ${WITHOUT_SIGN_IN} 200`]);
        const inactive = await s.run(["status", "--inactive-for", "30d"]);
        assert.deepEqual([inactive.code, inactive.stdout], [1, ""]);
        assert.equal(inactive.stderr, "entra-guests: --inactive-for needs the guests' last sign-in, which is not available: reading it needs the Microsoft Graph permission AuditLog.Read.All (Graph: 403 Authorization_RequestDenied)\n");
    });

    it("names the missing Entra ID P1 licence when Graph answers with the licence error", async () => {
        const s = await setup({ ...SMALL, faults: { deny: { status: 403, code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant", message: "Neither tenant is B2C or tenant doesn't have premium license", pathPrefix: WITH_SIGN_IN } } });
        const run = await s.run(["status", "--format", "json", "--as-of", AS_OF]);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout).signIn, { available: false, reason: "not available: the tenant has no Microsoft Entra ID P1 licence (Graph: Authentication_RequestFromNonPremiumTenantOrB2CTenant)" });
    });

    it("waits out 429s for Retry-After's seconds, each wait one line on stderr saying what it waits for", async () => {
        const s = await setup({ ...SMALL, faults: { throttle: { requests: 2, retryAfterSeconds: 7 } } });
        const run = await s.run(["status", "--as-of", AS_OF]);
        assert.equal(run.code, 0);
        const shown = WITH_SIGN_IN.slice(0, 100);
        assert.equal(run.stderr, `entra-guests: waiting 7 s: Graph throttled GET ${shown}… (retry 1 of 6)\nentra-guests: waiting 7 s: Graph throttled GET ${shown}… (retry 2 of 6)\n`);
        assert.deepEqual(s.sleeps, [7, 7]);
        assert.deepEqual(s.requests().map((l) => l.split(" ").pop()), ["429", "429", "200", "200"]);
    });

    it("a Retry-After of a day is one line saying what Graph asked, exit 1, at once and without a sleep", async () => {
        const s = await setup({ ...SMALL, faults: { throttle: { requests: 1, retryAfterSeconds: 86400 } } });
        const started = Date.now();
        const run = await s.run(["status", "--as-of", AS_OF]);
        assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
        assert.deepEqual([run.code, run.stdout, s.sleeps], [1, "", []]);
        assert.equal(run.stderr, `entra-guests: Graph asked to wait 86400 s (Retry-After) before GET ${WITH_SIGN_IN}; entra-guests waits at most 300 s at a time; try again later\n`);
    });

    it("a next link that repeats is one line, exit 1, after one request", async () => {
        const s = await setup({ ...SMALL, faults: { loopingNextLink: { pathPrefix: GUESTS } } });
        const run = await s.run(["status", "--as-of", AS_OF]);
        assert.deepEqual([run.code, run.stdout], [1, ""]);
        assert.equal(run.stderr, `entra-guests: Graph returned the same next page twice for GET ${WITH_SIGN_IN}; stopping rather than looping\n`);
        assert.equal(s.requests().length, 1);
    });

    it("a refused permission is one line naming it, exit 1, nothing on stdout", async () => {
        const s = await setup({ ...SMALL, faults: { deny: { status: 403, code: "Authorization_RequestDenied", message: DENIED, pathPrefix: "/users" } } });
        const run = await s.run(["status", "--as-of", AS_OF]);
        assert.deepEqual([run.code, run.stdout], [1, ""]);
        assert.equal(
            run.stderr,
            `entra-guests: Graph GET ${WITHOUT_SIGN_IN} failed with 403 Authorization_RequestDenied: ${DENIED}; the identity running this needs the Microsoft Graph permission \`User.Read.All\` (an application permission with admin consent, or a user's directory role that allows it)\n`,
        );
    });

    it("without any credential, one line naming the settings, not the Azure CLI's own message", async () => {
        const s = await setup();
        const none = path.join(s.root, "no-tools");
        await fs.mkdir(none);
        const env = { PATH: none, HOME: s.root };
        const run = await s.run(["status", "--as-of", AS_OF], env);
        assert.deepEqual([run.code, run.stdout], [1, ""]);
        assert.equal(run.stderr, `entra-guests: ${NO_CREDENTIAL}\n`);
    });

    it("an expired token gives the sign-in hint, exit 1", async () => {
        const s = await setup({ ...SMALL, faults: { expiredToken: 1 } });
        const run = await s.run(["status"]);
        assert.deepEqual([run.code, run.stdout], [1, ""]);
        assert.equal(
            run.stderr,
            `entra-guests: Graph GET ${WITH_SIGN_IN} failed with 401 InvalidAuthenticationToken: Lifetime validation failed, the token is expired.; Graph refused the access token (expired, revoked or for another audience): sign in again with \`az login\`, or in CI check ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET or ARM_USE_OIDC\n`,
        );
    });

    it("a page that fails is an error, never a short list", async () => {
        const users = Array.from({ length: 1500 }, (_, i) => ({ mail: `g${i}@fabrikam.com`, userType: "Guest" as const }));
        const s = await setup({ users, faults: { deny: { status: 500, code: "UnknownError", message: "Something broke.", pathPrefix: `${WITH_SIGN_IN}&$skiptoken` } } }, { "guests/a.csv": "email\ng1@fabrikam.com\n" });
        const run = await s.run(["status"]);
        assert.deepEqual([run.code, run.stdout], [1, ""]);
        assert.match(run.stderr, /^entra-guests: Graph GET \/users\?\$filter=userType eq 'Guest'&\$select=\S+&\$top=120&\$skiptoken=\S+ failed with 500 UnknownError: Something broke\.\n$/);
        assert.deepEqual(s.requests().map((l) => l.split(" ").pop()), ["200", "500"]);
    });

    it("csv: RFC 4180 quoting, and a cell that starts like a formula is text; markdown escapes guest text", async () => {
        const s = await setup();
        const csv = await s.run(["status", "--format", "csv", "--as-of", AS_OF, "--unmanaged"]);
        assert.equal(csv.code, 0, csv.stderr);
        assert.equal(
            csv.stdout,
            "email,displayName,kind,state,since,invited,lastSignIn,expires,expired,managed,userId,file,line\r\n" +
                `eve@contoso.com,"'=HYPERLINK(""http://x"",""Eve"")",unmanaged,pending,2026-06-01T00:00:00Z,2026-06-01T00:00:00Z,,,false,unknown,${csv.stdout.split(",")[23]},,\r\n`,
        );
        const md = await s.run(["status", "--format", "markdown", "--as-of", AS_OF]);
        assert.equal(md.code, 0, md.stderr);
        assert.ok(md.stdout.startsWith("### Guest status as of 2026-07-15\n\n- 4 declared guests\\: 1 accepted, 2 pending, 1 missing from the tenant; 1 guest in the tenant that no file declares (as of 2026-07-15)\n"));
        assert.ok(md.stdout.includes("| ann@fabrikam.com | pending 14 days | 2026-07-01 | 2026-07-01 | never | 2027-06-30 | unknown | guests/partners.csv\\:2 |\n"), md.stdout);
        // Text from the tenant renders as typed: `=`, quotes and parentheses are inert in markdown, `:` is escaped.
        assert.ok(md.stdout.includes("| eve@contoso.com | pending 44 days | 2026-06-01 | 2026-06-01 | never |  | unknown | in no file |\n"), md.stdout);
    });
});
