import * as assert from "assert";
import { ops, RunResult, SimStack } from "./harness";
import { IDS, sampleTenant } from "./fixtures";

const FORBIDDEN = "unexpected status 403 (403 Forbidden) with error: Authorization_RequestDenied: Insufficient privileges to complete the operation.";

/** The program's error, line by line, as the engine reported it (one diagnostic, no stack). */
function errorLines(run: RunResult): string[] {
    const errors = run.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
    assert.strictEqual(errors.length, 1, `one error diagnostic, got:\n${errors.join("\n---\n")}`);
    return errors[0].trimEnd().split("\n");
}

/** Group lookups by name that reached the tenant, as Graph paths. */
function groupLookups(sim: SimStack): string[] {
    return sim.calls().flatMap((c) => (c.kind === "request" && c.path.startsWith("/beta/groups?$filter=") ? [c.path] : []));
}

/** The program's own Graph reads (a failed lookup's hint, who the guests are), as "path status". */
function programReads(sim: SimStack): string[] {
    return sim.calls().flatMap((c) => (c.kind === "request" && c.via === "http" ? [`${c.path} ${c.status}`] : []));
}

/** Directory lookups through the real engine and the simulated provider: what failed, in its own words. */
describe("engine: lookup errors tell the truth", () => {
    it("a group that does not exist: not found, in the provider's words, located, with the close name Graph has, and nothing reaches the tenant", async () => {
        const sim = await SimStack.create({ "a.csv": "email,groups\nann@fabrikam.com,Partners - Fabrikam;Partners - Fabrikm\n" }, sampleTenant());
        const run = await sim.preview();
        assert.strictEqual(run.ok, false);
        assert.deepStrictEqual(errorLines(run), [
            `guests/a.csv:2: directory lookup of group "Partners - Fabrikm" failed: no group has this display name (provider: "No group found matching specified filter (displayName eq 'Partners - Fabrikm')"); used by guests/a.csv:2; did you mean "Partners - Fabrikam"? check the name, or write the group's object ID`,
            "1 error in the guest files; nothing was changed",
        ]);
        assert.deepStrictEqual(programReads(sim), [`/groups?$search="displayName:par" OR "displayName:fab"&$select=displayName&$top=999&$count=true 200`], "one read for the hint, none for the name that resolved");
        assert.deepStrictEqual(ops(run), []);
        assert.deepStrictEqual(sim.writes(), []);
    });

    it("two groups with one display name: several found, with each object ID to write instead", async () => {
        const seed = sampleTenant();
        const pilot = "0a1b2c3d-0000-4000-8000-0000000000f2";
        seed.groups!.push({ id: pilot, displayName: "Project Falcon", description: "Falcon pilot, 2019", createdDateTime: "2019-05-02T10:00:00Z" });
        const sim = await SimStack.create({ "a.csv": "email,groups\nann@fabrikam.com,Project Falcon\n" }, seed);
        const run = await sim.up();
        assert.strictEqual(run.ok, false);
        assert.deepStrictEqual(errorLines(run), [
            `guests/a.csv:2: directory lookup of group "Project Falcon" failed: several groups have this display name (provider: "More than one group found matching specified filter (displayName eq 'Project Falcon')"); used by guests/a.csv:2; write one of these object IDs: ${IDS.falcon} (no description), ${pilot} ("Falcon pilot, 2019", created 2019-05-02)`,
            "1 error in the guest files; nothing was changed",
        ]);
        assert.deepStrictEqual(programReads(sim), ["/groups?$filter=displayName eq 'Project Falcon'&$select=id,displayName,description,createdDateTime&$top=999 200"]);
        assert.deepStrictEqual(ops(run, "create"), []);
        assert.deepStrictEqual(sim.writes(), []);
    });

    it("the samples deploy without a single hint read", async () => {
        const sim = await SimStack.create({ "a.csv": "email,groups,apps\nann@fabrikam.com,Partners - Fabrikam;Project Falcon,Contoso Partner Portal:Partner.Read\n" }, sampleTenant());
        const run = await sim.preview();
        assert.strictEqual(run.ok, true, run.failure);
        assert.deepStrictEqual(programReads(sim).filter((r) => /^\/(groups|servicePrincipals)\?/.test(r)), []);
    });

    it("a group name with an apostrophe is refused before any Graph call for it; its object ID works", async () => {
        const seed = sampleTenant();
        const obrien = "0a1b2c3d-0000-4000-8000-0000000000b1";
        seed.groups!.push({ id: obrien, displayName: "O'Brien Partners" });
        const sim = await SimStack.create({ "a.csv": "email,groups\nann@fabrikam.com,O'Brien Partners;Project Falcon\n" }, seed);
        const run = await sim.preview();
        assert.strictEqual(run.ok, false);
        assert.deepStrictEqual(errorLines(run), [
            `guests/a.csv:2: group "O'Brien Partners" cannot be looked up by name: the azuread provider puts the name in a Graph filter without escaping its apostrophe, so the lookup always fails; used by guests/a.csv:2; write the group's object ID instead`,
            "1 error in the guest files; nothing was changed",
        ]);
        assert.deepStrictEqual(groupLookups(sim), ["/beta/groups?$filter=displayName eq 'Project Falcon'"], "no lookup of the apostrophe name");

        sim.writeGuests({ "a.csv": `email,groups\nann@fabrikam.com,${obrien};Project Falcon\n` });
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(ops(up, "create"), [`create GroupMember guests/ann@fabrikam.com/${obrien}`, `create GroupMember guests/ann@fabrikam.com/${IDS.falcon}`, "create GuestUser guests/ann@fabrikam.com"].sort());
    });

    it("a permission missing (Graph's 403) is said once with the permission to grant, not as an error in the guest files", async () => {
        const seed = sampleTenant();
        seed.faults = { deny: { status: 403, code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation.", pathPrefix: "/beta/groups" } };
        const files = { "a.csv": "email,groups,apps\nann@fabrikam.com,Partners - Fabrikam;Project Falcon,Contoso Partner Portal:Partner.Read\nbo@fabrikam.com,Project Falcon,\n" };
        const sim = await SimStack.create(files, seed);
        const run = await sim.preview();
        assert.strictEqual(run.ok, false);
        assert.deepStrictEqual(errorLines(run), [
            `directory lookups of groups failed: a permission is missing (provider: "Retrieving groups for filter (displayName eq 'Partners - Fabrikam'): ${FORBIDDEN}"); grant the identity Pulumi runs as the Microsoft Graph application permission Group.Read.All, with admin consent, then run again`,
            "nothing was changed; the directory lookups failed",
        ]);
        const denied = sim.calls().filter((c) => c.kind === "request" && c.status === 403);
        assert.strictEqual(denied.length, 2, "one request per group name: a 403 is not retried");
        assert.strictEqual(sim.calls().some((c) => c.kind === "request" && c.path.startsWith("/servicePrincipals?") && c.status === 200), true, "apps are still looked up");
    });

    it("throttling that outlasts the provider's retries is said once, and no later lookup is started", async () => {
        const seed = sampleTenant();
        seed.faults = { throttle: { requests: 1000, retryAfterSeconds: 1 } };
        const files = { "a.csv": "email,groups,apps\nann@fabrikam.com,Project Falcon,Contoso Partner Portal:Partner.Read\n" };
        const sim = await SimStack.create(files, seed);
        const run = await sim.preview();
        assert.strictEqual(run.ok, false);
        assert.deepStrictEqual(errorLines(run), [
            `directory lookups failed: Microsoft Graph throttled them and the provider's retries ran out (provider: "Retrieving groups for filter (displayName eq 'Project Falcon'): unexpected status 429 (429 Too Many Requests) with error: TooManyRequests: Too many requests."); wait a few minutes, then run again`,
            "nothing was changed; the directory lookups failed",
        ]);
        assert.strictEqual(sim.calls().some((c) => c.kind === "request" && c.path.startsWith("/servicePrincipals")), false, "no app lookup after the directory refused");
    });
});
