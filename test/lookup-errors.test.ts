import { strict as assert } from "assert";
import { promises as fs } from "fs";
import * as path from "path";
import { buildPlan, Directory, ServicePrincipalInfo } from "../plan";
import { tempProject } from "./helpers/cli";
import { DirectoryFixture, runProgram } from "./helpers/pulumi";
import { AS_OF, lines, rosterOf } from "./helpers/roster";

const GET_GROUP = "azuread:index/getGroup:getGroup";
const GET_SP = "azuread:index/getServicePrincipal:getServicePrincipal";
const PARTNERS = "11111111-1111-4111-8111-111111111111";
const PORTAL_CLIENT = "44444444-4444-4444-8444-444444444444";

/**
 * A failed invoke exactly as the program receives it from the engine: the engine's prefix, the
 * bridge's `invoking <token>: `, then the diagnostics joined by go-multierror (seen through the
 * real engine and the simulated provider in test/engine/lookup-errors.engine.ts).
 */
function invokeError(token: string, ...diagnostics: string[]): Error {
    const head = diagnostics.length === 1 ? "1 error occurred:" : `${diagnostics.length} errors occurred:`;
    return new Error(`invocation of ${token} returned an error: invoking ${token}: ${head}\n${diagnostics.map((d) => `\t* ${d}`).join("\n")}\n\n`);
}

/** The provider's configure failing (no credentials): the engine passes it on with no `invoking` prefix. */
function configureError(token: string, diagnostic: string): Error {
    return new Error(`invocation of ${token} returned an error: 1 error occurred:\n\t* ${diagnostic}\n\n`);
}

const groupNotFound = (name: string) => invokeError(GET_GROUP, `[display_name] No group found matching specified filter (displayName eq '${name}')`);
const forbidden = "unexpected status 403 (403 Forbidden) with error: Authorization_RequestDenied: Insufficient privileges to complete the operation.";
const throttled = "unexpected status 429 (429 Too Many Requests) with error: TooManyRequests: Too many requests.";

/** A directory whose every answer is given by the test; it records each lookup. */
function fake(group: (name: string) => string | Error, app: (ref: string) => ServicePrincipalInfo | Error = (ref) => new Error(`unexpected app lookup ${ref}`)): Directory & { lookups: string[] } {
    const lookups: string[] = [];
    return {
        lookups,
        async groupByName(name) {
            lookups.push(`group ${name}`);
            const answer = group(name);
            if (answer instanceof Error) throw answer;
            return answer;
        },
        async servicePrincipal(ref) {
            const written = "clientId" in ref ? ref.clientId : ref.displayName;
            lookups.push(`app ${written}`);
            const answer = app(written);
            if (answer instanceof Error) throw answer;
            return answer;
        },
    };
}

const ROSTER = rosterOf({
    "a.csv": "email,groups\nann@fabrikam.com,Partners\nbo@fabrikam.com,Partners;Project Falcon\n",
    "b.yaml": "guests:\n  - email: cy@fabrikam.com\n    groups: [partners, Everyone]\n",
});

describe("lookup errors: a failed directory lookup says what failed, in the provider's words", () => {
    it("a group that does not exist: not found, with the provider's reason, located at its first use", async () => {
        const dir = fake((name) => (name === "Partners" ? groupNotFound(name) : PARTNERS));
        const plan = await buildPlan(ROSTER.guests, dir);
        assert.deepEqual(lines(plan.errors), [
            `a.csv:2: directory lookup of group "Partners" failed: no group has this display name (provider: "No group found matching specified filter (displayName eq 'Partners')"); used by a.csv:2, a.csv:3, b.yaml:2; check the name, or write the group's object ID`,
        ]);
        assert.deepEqual(plan.directoryErrors, []);
    });

    it("two groups with one name: several found, and the fix is the object ID", async () => {
        const dir = fake((name) => (name === "Everyone" ? invokeError(GET_GROUP, `[display_name] More than one group found matching specified filter (displayName eq 'Everyone')`) : PARTNERS));
        const plan = await buildPlan(ROSTER.guests, dir);
        assert.deepEqual(lines(plan.errors), [
            `b.yaml:2: directory lookup of group "Everyone" failed: several groups have this display name (provider: "More than one group found matching specified filter (displayName eq 'Everyone')"); used by b.yaml:2; write the object ID of the group you mean`,
        ]);
        assert.deepEqual(plan.directoryErrors, []);
    });

    it("apps not found by name or by client ID, and several found, each in the provider's words", async () => {
        const roster = rosterOf({ "c.csv": `email,apps\nann@fabrikam.com,Intranet;${PORTAL_CLIENT}\nbo@fabrikam.com,Wiki\n` });
        const dir = fake(
            () => PARTNERS,
            (ref) =>
                ref === "Intranet"
                    ? invokeError(GET_SP, `Service principal not found: no service principals found matching filter: "displayName eq 'Intranet'"`)
                    : ref === "Wiki"
                      ? invokeError(GET_SP, `Multiple service principals found: found multiple service principals matching filter: "displayName eq 'Wiki'"`)
                      : invokeError(GET_SP, "No service principal found: no service principal found"),
        );
        const plan = await buildPlan(roster.guests, dir);
        assert.deepEqual(lines(plan.errors), [
            `c.csv:2: directory lookup of app "${PORTAL_CLIENT}" failed: no service principal has this client ID (provider: "No service principal found: no service principal found"); used by c.csv:2; check the app's client ID, and that it has an enterprise application in this tenant`,
            `c.csv:2: directory lookup of app "Intranet" failed: no service principal has this display name (provider: "Service principal not found: no service principals found matching filter: \\"displayName eq 'Intranet'\\""); used by c.csv:2; check the app's name, and that it has an enterprise application in this tenant`,
            `c.csv:3: directory lookup of app "Wiki" failed: several service principals have this display name (provider: "Multiple service principals found: found multiple service principals matching filter: \\"displayName eq 'Wiki'\\""); used by c.csv:3; write the app's client ID instead`,
        ]);
        assert.deepEqual(plan.directoryErrors, []);
    });

    it("a permission missing for groups is said once, with Group.Read.All, and is not an error in the guest files", async () => {
        const dir = fake((name) => invokeError(GET_GROUP, `Retrieving groups for filter (displayName eq '${name}'): ${forbidden}`));
        const plan = await buildPlan(ROSTER.guests, dir);
        assert.deepEqual(plan.errors, []);
        assert.deepEqual(plan.directoryErrors, [
            `directory lookups of groups failed: a permission is missing (provider: "Retrieving groups for filter (displayName eq 'Everyone'): ${forbidden}"); grant the identity Pulumi runs as the Microsoft Graph application permission Group.Read.All, with admin consent, then run again`,
        ]);
    });

    it("a permission missing for service principals is said once, with Application.Read.All; groups still resolve", async () => {
        const roster = rosterOf({ "c.csv": "email,groups,apps\nann@fabrikam.com,Partners,Intranet;Wiki\n" });
        const dir = fake(
            () => PARTNERS,
            (ref) => invokeError(GET_SP, `Listing service principals for filter "displayName eq '${ref}'": ${forbidden}`),
        );
        const plan = await buildPlan(roster.guests, dir);
        assert.deepEqual(plan.errors, []);
        assert.deepEqual(plan.directoryErrors, [
            `directory lookups of apps failed: a permission is missing (provider: "Listing service principals for filter \\"displayName eq 'Intranet'\\": ${forbidden}"); grant the identity Pulumi runs as the Microsoft Graph application permission Application.Read.All, with admin consent, then run again`,
        ]);
        assert.deepEqual(plan.memberships.map((m) => m.groupObjectId), [PARTNERS]);
    });

    it("no credentials is said once for groups and apps together, and no app is looked up after it", async () => {
        const roster = rosterOf({ "c.csv": "email,groups,apps\nann@fabrikam.com,Partners;Everyone,Intranet\n" });
        const dir = fake(() => configureError(GET_GROUP, "unable to build authorizer: no Authorizer could be configured, please check your configuration"));
        const plan = await buildPlan(roster.guests, dir);
        assert.deepEqual(plan.errors, []);
        assert.deepEqual(plan.directoryErrors, [
            `directory lookups failed: the azuread provider has no working credentials (provider: "unable to build authorizer: no Authorizer could be configured, please check your configuration"); sign in with \`az login\` and set \`azuread:tenantId\`, or give the provider a service principal (ARM_CLIENT_ID, ARM_TENANT_ID, and OIDC or a secret), then run again`,
        ]);
        assert.deepEqual(dir.lookups.sort(), ["group Everyone", "group Partners"]);
    });

    it("an access token Graph refuses (401) is a credentials problem too", async () => {
        const roster = rosterOf({ "c.csv": "email,groups\nann@fabrikam.com,Partners\n" });
        const text = "Retrieving groups for filter (displayName eq 'Partners'): unexpected status 401 (401 Unauthorized) with error: InvalidAuthenticationToken: Access token has expired or is not yet valid.";
        const plan = await buildPlan(roster.guests, fake(() => invokeError(GET_GROUP, text)));
        assert.deepEqual(plan.errors, []);
        assert.deepEqual(plan.directoryErrors, [
            `directory lookups failed: the azuread provider has no working credentials (provider: "${text}"); sign in with \`az login\` and set \`azuread:tenantId\`, or give the provider a service principal (ARM_CLIENT_ID, ARM_TENANT_ID, and OIDC or a secret), then run again`,
        ]);
    });

    it("throttling that outlasts the provider's retries is said once, with what to do", async () => {
        const roster = rosterOf({ "c.csv": "email,groups,apps\nann@fabrikam.com,Partners;Everyone,Intranet\n" });
        const dir = fake((name) => invokeError(GET_GROUP, `Retrieving groups for filter (displayName eq '${name}'): ${throttled}`));
        const plan = await buildPlan(roster.guests, dir);
        assert.deepEqual(plan.errors, []);
        assert.deepEqual(plan.directoryErrors, [
            `directory lookups failed: Microsoft Graph throttled them and the provider's retries ran out (provider: "Retrieving groups for filter (displayName eq 'Everyone'): ${throttled}"); wait a few minutes, then run again`,
        ]);
        assert.equal(dir.lookups.includes("app Intranet"), false, "no lookup after the directory refused");
    });

    it("a filter Graph refuses is about the name, with the object ID as the fix", async () => {
        const roster = rosterOf({ "c.csv": "email,groups\nann@fabrikam.com,Partners\\Fabrikam\n" });
        const text = "Retrieving groups for filter (displayName eq 'Partners\\Fabrikam'): unexpected status 400 (400 Bad Request) with error: BadRequest: Invalid filter clause: syntax error at position 27.";
        const plan = await buildPlan(roster.guests, fake(() => invokeError(GET_GROUP, text)));
        assert.deepEqual(lines(plan.errors), [
            `c.csv:2: directory lookup of group "Partners\\Fabrikam" failed: Graph refused the provider's filter for this name (provider: "${text.replace(/\\/g, "\\\\")}"); used by c.csv:2; write the group's object ID instead`,
        ]);
        assert.deepEqual(plan.directoryErrors, []);
    });

    it("any other failure is a directory problem per name, with every diagnostic the provider gave", async () => {
        const roster = rosterOf({ "c.csv": "email,groups\nann@fabrikam.com,Partners\n" });
        const dir = fake(() => invokeError(GET_GROUP, 'Retrieving groups for filter (displayName eq \'Partners\'): Get "https://graph.microsoft.com/beta/groups": dial tcp: lookup graph.microsoft.com: no such host', "second\nline"));
        const plan = await buildPlan(roster.guests, dir);
        assert.deepEqual(plan.errors, []);
        assert.deepEqual(plan.directoryErrors, [
            `directory lookup of group "Partners" failed (provider: "Retrieving groups for filter (displayName eq 'Partners'): Get \\"https://graph.microsoft.com/beta/groups\\": dial tcp: lookup graph.microsoft.com: no such host; second\nline"); used by c.csv:2; check the provider's message, then run again or write the group's object ID`,
        ]);
    });

    it("a failure without any words from the provider says so", async () => {
        const roster = rosterOf({ "c.csv": "email,apps\nann@fabrikam.com,Intranet\n" });
        const plan = await buildPlan(roster.guests, fake(() => PARTNERS, () => new Error("")));
        assert.deepEqual(plan.directoryErrors, [
            `directory lookup of app "Intranet" failed (the provider gave no reason); used by c.csv:2; check the provider's message, then run again or write the app's client ID`,
        ]);
    });

    it("a name that holds the words of another failure is classed by the provider's words, not by the name", async () => {
        const roster = rosterOf({ "c.csv": "email,groups\nann@fabrikam.com,403 Credential Admins\n" });
        const plan = await buildPlan(roster.guests, fake((name) => groupNotFound(name)));
        assert.deepEqual(lines(plan.errors), [
            `c.csv:2: directory lookup of group "403 Credential Admins" failed: no group has this display name (provider: "No group found matching specified filter (displayName eq '403 Credential Admins')"); used by c.csv:2; check the name, or write the group's object ID`,
        ]);
        assert.deepEqual(plan.directoryErrors, []);
    });
});

describe("lookup errors: a group name with an apostrophe", () => {
    const roster = rosterOf({ "o.csv": "email,groups,apps\nann@fabrikam.com,O'Brien Partners;Partners,O'Brien Portal\nbo@fabrikam.com,o'brien partners,\n" });
    const message = `o.csv:2: group "O'Brien Partners" cannot be looked up by name: the azuread provider puts the name in a Graph filter without escaping its apostrophe, so the lookup always fails; used by o.csv:2, o.csv:3; write the group's object ID instead`;

    it("is refused before any lookup, with the object ID as the fix; an app's apostrophe is looked up", async () => {
        const dir = fake(() => PARTNERS, () => ({ objectId: "33333333-3333-4333-8333-333333333333", appRoleIds: {} }));
        const plan = await buildPlan(roster.guests, dir);
        assert.deepEqual(lines(plan.errors), [message]);
        assert.deepEqual(dir.lookups.sort(), ["app O'Brien Portal", "group Partners"]);
    });

    it("is refused offline too (`entra-guests plan`)", async () => {
        const plan = await buildPlan(roster.guests);
        assert.deepEqual(lines(plan.errors), [message]);
    });
});

describe("lookup errors: what the program says when the directory fails", () => {
    let dirs: string[] = [];
    afterEach(async () => {
        await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
        dirs = [];
    });
    const run = async (files: Record<string, string>, directory: DirectoryFixture) => {
        const dir = await tempProject(files);
        dirs.push(dir);
        return { dir, result: await runProgram({ guests: [dir], asOf: AS_OF }, directory) };
    };
    const GUESTS = { "g.csv": "email,groups,apps\nann@fabrikam.com,Partners;Everyone,Wiki\nbo@fabrikam.com,Partners,\n" };

    it("a permission missing is said once, not blamed on the guest files, and nothing is registered", async () => {
        const groups = `Retrieving groups for filter (displayName eq 'Everyone'): ${forbidden}`;
        const wiki = { objectId: "66666666-6666-4666-8666-666666666666", clientId: "77777777-7777-4777-8777-777777777777", displayName: "Wiki", appRoleIds: {} };
        const { result } = await run(GUESTS, { groups: {}, servicePrincipals: [wiki], failures: { groups } });
        assert.equal(result.error?.constructor.name, "RunError");
        assert.deepEqual(result.error?.message.split("\n"), [
            `directory lookups of groups failed: a permission is missing (provider: "${groups}"); grant the identity Pulumi runs as the Microsoft Graph application permission Group.Read.All, with admin consent, then run again`,
            "nothing was changed; the directory lookups failed",
        ]);
        assert.deepEqual(result.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
    });

    it("a name the guest files got wrong and a directory failure are told apart in one run", async () => {
        const apps = `Listing service principals for filter "displayName eq 'Wiki'": ${forbidden}`;
        const { dir, result } = await run(GUESTS, { groups: { Partners: [PARTNERS] }, servicePrincipals: [], failures: { servicePrincipals: apps } });
        const file = path.join(dir, "g.csv").split(path.sep).join("/");
        assert.deepEqual(result.error?.message.split("\n"), [
            `${file}:2: directory lookup of group "Everyone" failed: no group has this display name (provider: "No group found matching specified filter (displayName eq 'Everyone')"); used by ${file}:2; check the name, or write the group's object ID`,
            `directory lookups of apps failed: a permission is missing (provider: "Listing service principals for filter \\"displayName eq 'Wiki'\\": ${forbidden}"); grant the identity Pulumi runs as the Microsoft Graph application permission Application.Read.All, with admin consent, then run again`,
            "1 error in the guest files; nothing was changed; the directory lookups failed too",
        ]);
    });

    it("a group name with an apostrophe is refused without calling the provider for it", async () => {
        const { dir, result } = await run({ "o.csv": "email,groups\nann@fabrikam.com,O'Brien Partners;Partners\n" }, { groups: { Partners: [PARTNERS] }, servicePrincipals: [] });
        const file = path.join(dir, "o.csv").split(path.sep).join("/");
        assert.deepEqual(result.error?.message.split("\n"), [
            `${file}:2: group "O'Brien Partners" cannot be looked up by name: the azuread provider puts the name in a Graph filter without escaping its apostrophe, so the lookup always fails; used by ${file}:2; write the group's object ID instead`,
            "1 error in the guest files; nothing was changed",
        ]);
        assert.deepEqual(result.calls.map((c) => c.args), [{ displayName: "Partners" }]);
    });
});
