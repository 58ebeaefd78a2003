// A failed group or app lookup's hint (plan/lookup-hints.ts): the IDs of every object with the name,
// or a close name, from one more read per failed name, and the message as it was when that read
// fails or finds nothing to say.
import { strict as assert } from "assert";
import { GraphRequestError, NamedKind, NamedObject, NamedObjects } from "../graph";
import { buildPlan, Directory, NameReads, ServicePrincipalInfo } from "../plan";
import { closeName, severalFix } from "../plan/lookup-hints";
import { lines, rosterOf } from "./helpers/roster";

const GET_GROUP = "azuread:index/getGroup:getGroup";
const GET_SP = "azuread:index/getServicePrincipal:getServicePrincipal";
const PARTNERS = "11111111-1111-4111-8111-111111111111";
const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** A failed invoke as the program receives it (test/lookup-errors.test.ts explains its parts). */
const invokeError = (token: string, diagnostic: string) => new Error(`invocation of ${token} returned an error: invoking ${token}: 1 error occurred:\n\t* ${diagnostic}\n\n`);
const noGroup = (name: string) => invokeError(GET_GROUP, `[display_name] No group found matching specified filter (displayName eq '${name}')`);
const severalGroups = (name: string) => invokeError(GET_GROUP, `[display_name] More than one group found matching specified filter (displayName eq '${name}')`);
const noApp = (name: string) => invokeError(GET_SP, `Service principal not found: no service principals found matching filter: "displayName eq '${name}'"`);
const severalApps = (name: string) => invokeError(GET_SP, `Multiple service principals found: found multiple service principals matching filter: "displayName eq '${name}'"`);
const PORTAL = { objectId: "33333333-3333-4333-8333-333333333333", appRoleIds: {} };

/** The azuread data sources' answers, given per name. */
function directory(group: (name: string) => string | Error, app: (ref: string) => ServicePrincipalInfo | Error = () => PORTAL): Directory {
    return {
        async groupByName(name) {
            const a = group(name);
            if (a instanceof Error) throw a;
            return a;
        },
        async servicePrincipal(ref) {
            const a = app("clientId" in ref ? ref.clientId : ref.displayName);
            if (a instanceof Error) throw a;
            return a;
        },
    };
}

/** Graph's answers to the hint reads, per "<kind> <name>"; every read is recorded. */
function graph(named: Record<string, NamedObjects> = {}, similar: Record<string, string[]> = {}, fail?: Error): NameReads & { reads: string[] } {
    const reads: string[] = [];
    return {
        reads,
        async objectsNamed(what: NamedKind, name: string) {
            reads.push(`named ${what} ${name}`);
            if (fail) throw fail;
            return named[`${what} ${name}`] ?? { objects: [], more: false };
        },
        async similarNames(what: NamedKind, name: string) {
            reads.push(`similar ${what} ${name}`);
            if (fail) throw fail;
            return similar[`${what} ${name}`] ?? [];
        },
    };
}

const group = (i: number, displayName: string, description: string | null = null, createdDateTime: string | null = null): NamedObject => ({ ref: id(i), displayName, description, createdDateTime });

const SEVERAL = `several groups have this display name (provider: "More than one group found matching specified filter (displayName eq 'Everyone')")`;
const NOT_FOUND = (name: string) => `no group has this display name (provider: "No group found matching specified filter (displayName eq '${name}')")`;

describe("lookup hints: several groups or apps have the name", () => {
    const roster = rosterOf({ "a.csv": "email,groups\nann@fabrikam.com,Everyone\nbo@fabrikam.com,everyone\n" });

    it("lists the first 10 object IDs, sorted, with each description and creation day, and counts the rest", async () => {
        const objects = [
            group(1, "Everyone", "All staff", "2024-01-15T08:00:00Z"),
            group(2, "EVERYONE", 'Staff "all"\n\u001b[2J'),
            group(3, "Everyone", "x".repeat(100), "yesterday"),
            ...[4, 5, 6, 7, 8, 9, 10, 11, 12].map((i) => group(i, "Everyone")),
        ].reverse();
        const names = graph({ "group Everyone": { objects, more: false } });
        const plan = await buildPlan(roster.guests, directory(severalGroups), names);
        assert.deepEqual(lines(plan.errors), [
            `a.csv:2: directory lookup of group "Everyone" failed: ${SEVERAL}; used by a.csv:2, a.csv:3; write one of these object IDs: ` +
                `${id(1)} ("All staff", created 2024-01-15), ${id(2)} ("Staff \\"all\\"\\n\\u001b[2J"), ${id(3)} ("${"x".repeat(77)}..."), ` +
                [4, 5, 6, 7, 8, 9, 10].map((i) => `${id(i)} (no description)`).join(", ") +
                ", and 2 more",
        ]);
        assert.deepEqual(names.reads, ["named group Everyone"], "one read for the name, however many guests use it");
        assert.doesNotMatch(plan.errors[0].message, new RegExp(`${id(11)}|${id(12)}|write the object ID of the group you mean`));
    });

    it("lists apps by client ID; says 'at least' when Graph has a page it did not read", async () => {
        const wiki = rosterOf({ "w.csv": "email,apps\nann@fabrikam.com,Wiki\n" });
        const apps: NamedObject[] = [
            { ref: id(7), displayName: "Wiki", description: null, createdDateTime: null },
            { ref: id(3), displayName: "wiki", description: "Team wiki", createdDateTime: null },
        ];
        const plan = await buildPlan(wiki.guests, directory(() => PARTNERS, severalApps), graph({ "app Wiki": { objects: apps, more: false } }));
        assert.deepEqual(lines(plan.errors), [
            `w.csv:2: directory lookup of app "Wiki" failed: several service principals have this display name (provider: "Multiple service principals found: found multiple service principals matching filter: \\"displayName eq 'Wiki'\\""); used by w.csv:2; write one of these client IDs: ${id(3)} ("Team wiki"), ${id(7)} (no description)`,
        ]);
        const many = Array.from({ length: 12 }, (_, i) => group(i + 1, "Everyone"));
        assert.equal(severalFix("group", "Everyone", many, true)?.endsWith(`${id(10)} (no description), and at least 2 more`), true);
    });

    it("keeps the provider's fix when Graph now lists fewer than two with the name, or an ID that is no GUID only quoted", async () => {
        const one = graph({ "group Everyone": { objects: [group(1, "Everyone"), group(2, "Everyone, but not quite")], more: false } });
        const plan = await buildPlan(roster.guests, directory(severalGroups), one);
        assert.deepEqual(lines(plan.errors), [`a.csv:2: directory lookup of group "Everyone" failed: ${SEVERAL}; used by a.csv:2, a.csv:3; write the object ID of the group you mean`]);
        const odd = severalFix("group", "Everyone", [{ ...group(1, "Everyone"), ref: 'x", 0000' }, group(2, "Everyone")], false);
        assert.equal(odd, `write one of these object IDs: ${id(2)} (no description), "x\\", 0000" (no description)`);
    });
});

describe("lookup hints: no group or app has the name", () => {
    it("suggests the close name Graph knows, before today's fix", async () => {
        const roster = rosterOf({ "a.csv": "email,groups\nann@fabrikam.com,Partners - Fabrikm\n" });
        const names = graph({}, { "group Partners - Fabrikm": ["Partners - Contoso", "Partners - Fabrikam", "Project Falcon"] });
        const plan = await buildPlan(roster.guests, directory(noGroup), names);
        assert.deepEqual(lines(plan.errors), [
            `a.csv:2: directory lookup of group "Partners - Fabrikm" failed: ${NOT_FOUND("Partners - Fabrikm")}; used by a.csv:2; did you mean "Partners - Fabrikam"? check the name, or write the group's object ID`,
        ]);
        assert.deepEqual(names.reads, ["similar group Partners - Fabrikm"]);
    });

    it("says nothing more when no name is close, or only the same name in another case comes back", async () => {
        const roster = rosterOf({ "a.csv": "email,groups\nann@fabrikam.com,Finance;HR\n" });
        const names = graph({}, { "group Finance": ["Facilities", "Field Sales", "FINANCE"], "group HR": ["IT", "HR - EMEA"] });
        const plan = await buildPlan(roster.guests, directory(noGroup), names);
        assert.deepEqual(lines(plan.errors), [
            `a.csv:2: directory lookup of group "Finance" failed: ${NOT_FOUND("Finance")}; used by a.csv:2; check the name, or write the group's object ID`,
            `a.csv:2: directory lookup of group "HR" failed: ${NOT_FOUND("HR")}; used by a.csv:2; check the name, or write the group's object ID`,
        ]);
        assert.deepEqual(names.reads.sort(), ["similar group Finance", "similar group HR"]);
        assert.equal(closeName("Sales EU", ["Sales US", "Sales UK"]), "Sales UK", "a tie goes to the first in sorted order");
    });

    it("suggests an app's name, never for a client ID, whose lookup reads nothing more", async () => {
        const client = "44444444-4444-4444-8444-444444444444";
        const roster = rosterOf({ "c.csv": `email,apps\nann@fabrikam.com,Contoso Partner Portl;${client}\n` });
        const names = graph({}, { "app Contoso Partner Portl": ["Contoso Partner Portal"] });
        const apps = (ref: string) => (ref === client ? invokeError(GET_SP, "No service principal found: no service principal found") : noApp(ref));
        const plan = await buildPlan(roster.guests, directory(() => PARTNERS, apps), names);
        assert.deepEqual(lines(plan.errors), [
            `c.csv:2: directory lookup of app "${client}" failed: no service principal has this client ID (provider: "No service principal found: no service principal found"); used by c.csv:2; check the app's client ID, and that it has an enterprise application in this tenant`,
            `c.csv:2: directory lookup of app "Contoso Partner Portl" failed: no service principal has this display name (provider: "Service principal not found: no service principals found matching filter: \\"displayName eq 'Contoso Partner Portl'\\""); used by c.csv:2; did you mean "Contoso Partner Portal"? check the app's name, and that it has an enterprise application in this tenant`,
        ]);
        assert.deepEqual(names.reads, ["similar app Contoso Partner Portl"]);
    });

    it("keeps a hostile name from the file as the message always had it, and quotes the one from Graph", async () => {
        const roster = rosterOf({ "h.yaml": 'guests:\n  - email: ann@fabrikam.com\n    groups: ["Partners - Fabrikm\\e[2J"]\n' });
        const names = graph({}, { "group Partners - Fabrikm\u001b[2J": ['Partners - Fabrikam"\u202e\n'] });
        const plan = await buildPlan(roster.guests, directory(noGroup), names);
        assert.deepEqual(lines(plan.errors), [
            `h.yaml:2: directory lookup of group "Partners - Fabrikm\u001b[2J" failed: ${NOT_FOUND("Partners - Fabrikm\u001b[2J")}; used by h.yaml:2; did you mean "Partners - Fabrikam\\"\u202e\\n"? check the name, or write the group's object ID`,
        ]);
    });
});

describe("lookup hints: what they cost, and when they stay silent", () => {
    const six = rosterOf({ "a.csv": "email,groups\nann@fabrikam.com,G1;G2;G3;G4;G5;G6\n" });

    it("a hint read that fails keeps every message as it was, and no read starts after it", async () => {
        const denied = new GraphRequestError({ status: 403, code: "Authorization_RequestDenied", graphMessage: "Insufficient privileges to complete the operation.", method: "GET", path: "/groups" });
        const names = graph({}, {}, denied);
        const plan = await buildPlan(six.guests, directory(noGroup), names);
        const offline = await buildPlan(six.guests, directory(noGroup));
        assert.deepEqual(lines(plan.errors), lines(offline.errors));
        assert.deepEqual(plan.directoryErrors, []);
        assert.equal(names.reads.length, 4, "the four reads in flight when the first failed, no more");
        assert.ok(plan.errors.every((p) => !/did you mean|one of these|Insufficient|403/.test(p.message)));
    });

    it("one read per failed name, none for a name that resolved, none when nothing failed", async () => {
        const names = graph();
        const some = await buildPlan(six.guests, directory((n) => (n === "G2" ? noGroup(n) : n === "G5" ? severalGroups(n) : PARTNERS)), names);
        assert.equal(some.errors.length, 2);
        assert.deepEqual(names.reads.sort(), ["named group G5", "similar group G2"]);
        const none = graph();
        const ok = await buildPlan(six.guests, directory(() => PARTNERS), none);
        assert.deepEqual([ok.errors, none.reads], [[], []]);
    });

    it("reads nothing once the directory itself failed: throttled, or a permission missing for that kind", async () => {
        const roster = rosterOf({ "c.csv": "email,groups,apps\nann@fabrikam.com,Partners,Intranet\n" });
        const forbidden = (n: string) => invokeError(GET_GROUP, `Retrieving groups for filter (displayName eq '${n}'): unexpected status 403 (403 Forbidden) with error: Authorization_RequestDenied: Insufficient privileges to complete the operation.`);
        const names = graph();
        await buildPlan(roster.guests, directory(forbidden, noApp), names);
        assert.deepEqual(names.reads, ["similar app Intranet"], "apps are still hinted");
        const throttled = (n: string) => invokeError(GET_SP, `Listing service principals for filter "displayName eq '${n}'": unexpected status 429 (429 Too Many Requests) with error: TooManyRequests: Too many requests.`);
        const again = graph();
        await buildPlan(roster.guests, directory(noGroup, throttled), again);
        assert.deepEqual(again.reads, []);
    });
});
