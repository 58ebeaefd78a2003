import { strict as assert } from "assert";
import { promises as fs } from "fs";
import * as path from "path";
import { tempProject } from "./helpers/cli";
import { AS_OF } from "./helpers/roster";
import { DirectoryFixture, managedGuestsOf, ProgramRun, Registered, runProgram } from "./helpers/pulumi";

const GUEST_USER = "entraguests:index:GuestUser";
const PROVIDER = "pulumi:providers:entraguests";
const MEMBER = "azuread:index/groupMember:GroupMember";
const ASSIGNMENT = "azuread:index/appRoleAssignment:AppRoleAssignment";
const COMPONENT = "entra-guests:index:Guests";

const PARTNERS = "11111111-1111-4111-8111-111111111111";
const FALCON = "22222222-2222-4222-8222-222222222222";
const PORTAL_SP = "33333333-3333-4333-8333-333333333333";
const PORTAL_CLIENT = "44444444-4444-4444-8444-444444444444";
const PARTNER_READ = "55555555-5555-4555-8555-555555555555";
const WIKI_SP = "66666666-6666-4666-8666-666666666666";
const WIKI_CLIENT = "77777777-7777-4777-8777-777777777777";

const DIRECTORY: DirectoryFixture = {
    groups: { Partners: [PARTNERS], "Project Falcon": [FALCON], Everyone: [PARTNERS, FALCON] },
    servicePrincipals: [
        { objectId: PORTAL_SP, clientId: PORTAL_CLIENT, displayName: "Contoso Partner Portal", appRoleIds: { "Partner.Read": PARTNER_READ, "Partner.Admin": "88888888-8888-4888-8888-888888888888" } },
        { objectId: WIKI_SP, clientId: WIKI_CLIENT, displayName: "Wiki", appRoleIds: {} },
    ],
};

// Mocks register resources as their inputs resolve, so order by name, as a preview lists them.
const of = (run: ProgramRun, type: string): Registered[] => run.resources.filter((r) => r.type === type).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const names = (run: ProgramRun, type: string): string[] => of(run, type).map((r) => r.name).sort();
/** How messages show a file outside the project: its absolute path, with "/". */
const shown = (dir: string, name: string): string => path.join(dir, name).split(path.sep).join("/");
const urns = (run: ProgramRun): string[] => run.resources.map((r) => `${r.options.parent ?? ""}$${r.type}::${r.name}`).sort();

describe("program: guest files become azuread resources", () => {
    let dirs: string[] = [];
    const guests = async (files: Record<string, string>) => {
        const dir = await tempProject(files);
        dirs.push(dir);
        return dir;
    };
    const run = async (files: Record<string, string>, config: Record<string, unknown> = {}) =>
        runProgram({ guests: [await guests(files)], asOf: AS_OF, ...config }, DIRECTORY);
    afterEach(async () => {
        await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
        dirs = [];
    });

    it("registers one invitation, membership and assignment per guest, group and app, with exact inputs and wiring", async () => {
        const result = await run({
            "a.yaml": [
                "guests:",
                "  - email: Ann.Lee@Fabrikam.com",
                "    displayName: Ann Lee",
                "    groups: [Partners, Project Falcon]",
                "    apps:",
                "      - app: Contoso Partner Portal",
                "        role: Partner.Read",
                "      - app: " + WIKI_CLIENT,
                "    message: Welcome, Ann",
                "    cc: sponsor@contoso.com",
                "  - email: bo@fabrikam.com",
                "    sendEmail: false",
                "    language: de",
                "    groups: [" + FALCON + "]",
                "",
            ].join("\n"),
        });
        assert.equal(result.error, undefined);
        assert.equal(of(result, COMPONENT).length, 1);
        const settings = { onRemove: "delete", deleteAdopted: false, existingMember: false };
        assert.deepEqual(of(result, GUEST_USER).map((r) => [r.name, r.inputs]), [
            [
                "guests/ann.lee@fabrikam.com",
                { email: "ann.lee@fabrikam.com", displayName: "Ann Lee", redirectUrl: "https://myapps.microsoft.com", userType: "Guest", sendEmail: true, message: { body: "Welcome, Ann", cc: "sponsor@contoso.com" }, ...settings, groups: [PARTNERS, FALCON], appRoles: [`${PORTAL_SP}/${PARTNER_READ}`, `${WIKI_SP}/00000000-0000-0000-0000-000000000000`] },
            ],
            ["guests/bo@fabrikam.com", { email: "bo@fabrikam.com", redirectUrl: "https://myapps.microsoft.com", userType: "Guest", sendEmail: false, ...settings, groups: [FALCON], appRoles: [] }],
        ]);
        assert.deepEqual(of(result, PROVIDER).map((r) => [r.name, r.options.parent]), [["entra", "guests"]], "one provider instance, named once");
        assert.deepEqual(of(result, MEMBER).map((r) => [r.name, r.inputs]), [
            [`guests/ann.lee@fabrikam.com/${PARTNERS}`, { groupObjectId: PARTNERS, memberObjectId: "user-id-of-ann.lee@fabrikam.com" }],
            [`guests/ann.lee@fabrikam.com/${FALCON}`, { groupObjectId: FALCON, memberObjectId: "user-id-of-ann.lee@fabrikam.com" }],
            [`guests/bo@fabrikam.com/${FALCON}`, { groupObjectId: FALCON, memberObjectId: "user-id-of-bo@fabrikam.com" }],
        ]);
        assert.deepEqual(of(result, ASSIGNMENT).map((r) => [r.name, r.inputs]), [
            [`guests/ann.lee@fabrikam.com/${PORTAL_SP}`, { appRoleId: PARTNER_READ, principalObjectId: "user-id-of-ann.lee@fabrikam.com", resourceObjectId: PORTAL_SP }],
            [`guests/ann.lee@fabrikam.com/${WIKI_SP}`, { appRoleId: "00000000-0000-0000-0000-000000000000", principalObjectId: "user-id-of-ann.lee@fabrikam.com", resourceObjectId: WIKI_SP }],
        ]);
        assert.equal(result.resources.length, 1 + 1 + 1 + 2 + 3 + 2, "stack, component, provider, 2 guest users, 3 memberships, 2 assignments (the previous deployment is read by an invoke, not a resource)");
        assert.deepEqual(result.outputs?.guestCount, 2);
        // No per-guest outputs: `entra-guests access` reads user IDs and redeem URLs from the state.
        assert.deepEqual(Object.keys(result.outputs ?? {}), ["guestCount", "managedGuests", "pendingRepairs", "runComplete"]);
        assert.deepEqual([result.outputs?.pendingRepairs, result.outputs?.runComplete], [[], true]);
        // A first deployment looks every guest up once, by the identity rule: an empty tenant here.
        assert.deepEqual(result.graph.map((g) => g.split("?")[0]), ["GET /users", "GET /users"]);
    });

    it("sends mail only through a message block: language alone, Graph's default, or none at all", async () => {
        const result = await run({
            "m.csv": "email,sendEmail,message,language,cc\na@fabrikam.com,true,,fr,\nb@fabrikam.com,true,,,\nc@fabrikam.com,false,,,\nd@fabrikam.com,,Hello,de,\n",
        });
        assert.equal(result.error, undefined);
        const messages = of(result, GUEST_USER).map((r) => [r.inputs.email, r.inputs.sendEmail, r.inputs.message]);
        assert.deepEqual(messages, [
            ["a@fabrikam.com", true, { language: "fr" }],
            ["b@fabrikam.com", true, { language: "en-US" }],
            ["c@fabrikam.com", false, undefined],
            ["d@fabrikam.com", true, { body: "Hello" }],
        ]);
        assert.ok(!("message" in of(result, GUEST_USER)[2].inputs), "no message when sendEmail is false");
    });

    it("a New-MgInvitation file's SendInvitationMessage reaches the GuestUser both ways; an HR export's user properties reach no resource", async () => {
        const result = await run({
            "ps.csv": "InvitedUserEmailAddress,InvitedUserDisplayName,SendInvitationMessage,Message\na@fabrikam.com,A,TRUE,\nb@fabrikam.com,B,FALSE,Hello\n",
            "hr.csv": "Email,DisplayName,FirstName,CompanyName,JobTitle\nc@fabrikam.com,C,Cy,Fabrikam,Engineer\n",
        });
        assert.equal(result.error, undefined);
        assert.deepEqual(
            of(result, GUEST_USER).map((r) => [r.inputs.email, r.inputs.sendEmail, r.inputs.message]),
            [
                ["a@fabrikam.com", true, { language: "en-US" }],
                ["b@fabrikam.com", false, undefined],
                ["c@fabrikam.com", false, undefined],
            ],
        );
        for (const r of result.resources) {
            for (const key of ["givenName", "companyName", "jobTitle", "profile"]) assert.ok(!(key in (r.inputs ?? {})), `${r.type} ${r.name} has no ${key}`);
        }
    });

    it("keeps what removal does in the GuestUser's inputs, protect as the engine's option, and the secret redeem URL", async () => {
        const files = { "o.yaml": "defaults:\n  onRemove: retain\nguests:\n  - email: a@fabrikam.com\n    groups: [Partners]\n  - email: b@fabrikam.com\n    onRemove: delete\n    protect: true\n" };
        const result = await run(files, { deleteAdoptedUsers: true });
        assert.equal(result.error, undefined);
        assert.deepEqual(
            of(result, GUEST_USER).map((r) => [r.name, r.inputs.onRemove, r.inputs.deleteAdopted, r.options]),
            [
                ["guests/a@fabrikam.com", "retain", true, { parent: "guests", protect: false, additionalSecretOutputs: ["redeemUrl"] }],
                ["guests/b@fabrikam.com", "delete", true, { parent: "guests", protect: true, additionalSecretOutputs: ["redeemUrl"] }],
            ],
        );
        // The membership waits for its GuestUser and goes with it.
        assert.deepEqual(of(result, MEMBER).map((r) => r.options), [{ parent: "guests", deletedWith: "guests/a@fabrikam.com", dependsOn: ["guests/a@fabrikam.com"] }]);
    });

    it("registers every membership and assignment deletedWith its GuestUser, but a protected guest's", async () => {
        const files = {
            "o.yaml": [
                "guests:",
                "  - email: a@fabrikam.com",
                "    groups: [Partners]",
                "    apps: [{ app: Wiki }]",
                "  - email: b@fabrikam.com",
                "    onRemove: retain",
                "    groups: [Partners]",
                "    apps: [{ app: Wiki }]",
                "  - email: c@fabrikam.com",
                "    protect: true",
                "    groups: [Partners]",
                "  - email: d@fabrikam.com",
                "    groups: [Partners]",
                "",
            ].join("\n"),
        };
        // d exists already (adopted): its GuestUser removes its access when it is removed, and keeps the user.
        const tenant = { users: [{ id: "dddddddd-0000-4000-8000-00000000000d", mail: "d@fabrikam.com", userType: "Guest" as const }], groups: [{ id: PARTNERS, displayName: "Partners" }] };
        const result = await runProgram({ guests: [await guests(files)], asOf: AS_OF }, DIRECTORY, { tenant });
        assert.equal(result.error, undefined);
        assert.deepEqual(
            [...of(result, MEMBER), ...of(result, ASSIGNMENT)].map((r) => [r.name, r.options.deletedWith, r.inputs.memberObjectId ?? r.inputs.principalObjectId]),
            [
                [`guests/a@fabrikam.com/${PARTNERS}`, "guests/a@fabrikam.com", "user-id-of-a@fabrikam.com"],
                [`guests/b@fabrikam.com/${PARTNERS}`, "guests/b@fabrikam.com", "user-id-of-b@fabrikam.com"],
                [`guests/c@fabrikam.com/${PARTNERS}`, undefined, "user-id-of-c@fabrikam.com"],
                [`guests/d@fabrikam.com/${PARTNERS}`, "guests/d@fabrikam.com", "dddddddd-0000-4000-8000-00000000000d"],
                [`guests/a@fabrikam.com/${WIKI_SP}`, "guests/a@fabrikam.com", "user-id-of-a@fabrikam.com"],
                [`guests/b@fabrikam.com/${WIKI_SP}`, "guests/b@fabrikam.com", "user-id-of-b@fabrikam.com"],
            ],
        );
        assert.deepEqual(of(result, GUEST_USER).map((r) => [r.name, r.inputs.expectedUserId]), [
            ["guests/a@fabrikam.com", undefined],
            ["guests/b@fabrikam.com", undefined],
            ["guests/c@fabrikam.com", undefined],
            ["guests/d@fabrikam.com", "dddddddd-0000-4000-8000-00000000000d"],
        ]);
        const managed = managedGuestsOf(result.outputs);
        assert.deepEqual(
            Object.fromEntries(Object.entries(managed).map(([e, m]) => [e, [m.owner, m.onRemove, m.userId]])),
            {
                "a@fabrikam.com": ["stack", "delete", "user-id-of-a@fabrikam.com"],
                "b@fabrikam.com": ["stack", "retain", "user-id-of-b@fabrikam.com"],
                "c@fabrikam.com": ["stack", "delete", "user-id-of-c@fabrikam.com"],
                "d@fabrikam.com": ["adopted", "retain", "dddddddd-0000-4000-8000-00000000000d"],
            },
            "the final baseline is what each GuestUser recorded",
        );
    });

    it("names resources from the email alone: shuffled rows, a guest moved to another file, CSV or YAML give the same URNs", async () => {
        const rows = ["ann@fabrikam.com,Partners;Project Falcon", "bo@fabrikam.com,Partners", "cy@fabrikam.com,"];
        const one = await run({ "all.csv": `email,groups\n${rows.join("\n")}\n` });
        const shuffled = await run({ "all.csv": `email,groups\n${[rows[2], rows[0], rows[1]].join("\n")}\n` });
        const moved = await run({
            "a.csv": `email,groups\n${rows[1]}\n`,
            "sub/b.yaml": "guests:\n  - email: CY@fabrikam.com\n  - email: ann@fabrikam.com\n    groups: [Project Falcon, Partners]\n",
        });
        const byId = await run({ "all.yaml": `guests:\n  - email: ann@fabrikam.com\n    groups: [${PARTNERS}, ${FALCON}]\n  - email: bo@fabrikam.com\n    groups: [${PARTNERS}]\n  - email: cy@fabrikam.com\n` });
        for (const r of [one, shuffled, moved, byId]) assert.equal(r.error, undefined);
        assert.equal(urns(one).length, 2 + 1 + 3 + 3, "stack, component, provider; 3 guest users; 3 memberships");
        assert.deepEqual(urns(shuffled), urns(one));
        assert.deepEqual(urns(moved), urns(one));
        assert.deepEqual(urns(byId), urns(one), "switching a group from its name to its object ID changes nothing");
        assert.ok(urns(one).every((u) => !/all\.csv|\d+$/.test(u.replace(/[0-9a-f-]{36}$/, ""))), "no file name or row number in a name");
    });

    it("looks up each distinct group name and app once, however many guests share it", async () => {
        const rows = Array.from({ length: 30 }, (_, i) => `g${i}@fabrikam.com,Partners;project falcon;${PARTNERS},Contoso Partner Portal:Partner.Read;${WIKI_CLIENT}`);
        const result = await run({ "many.csv": `email,groups,apps\n${rows.join("\n")}\n` });
        assert.equal(result.error, undefined);
        assert.deepEqual(
            result.calls.map((c) => `${c.token} ${JSON.stringify(c.args)}`).sort(),
            [
                `azuread:index/getGroup:getGroup {"displayName":"Partners"}`,
                `azuread:index/getGroup:getGroup {"displayName":"project falcon"}`,
                `azuread:index/getServicePrincipal:getServicePrincipal {"clientId":"${WIKI_CLIENT}"}`,
                `azuread:index/getServicePrincipal:getServicePrincipal {"displayName":"Contoso Partner Portal"}`,
                `pulumi:pulumi:readStackOutputs {"name":"test"}`,
            ],
        );
        assert.equal(of(result, MEMBER).length, 60, "Partners and its object ID are one membership");
        assert.equal(of(result, ASSIGNMENT).length, 60);
    });

    it("registers nothing when a guest file has errors, and says why without a stack trace", async () => {
        const result = await run({ "bad.csv": "email,userType\nann+x@fabrikam.com,Guest\nbo@fabrikam.com,Owner\n" });
        assert.ok(result.error);
        assert.equal(result.error.constructor.name, "RunError");
        const dir = dirs[0];
        const file = shown(dir, "bad.csv");
        assert.equal(
            result.error.message,
            `${file}:2:1: \`email\` contains "+", which Graph refuses in invited addresses (got "ann+x@fabrikam.com"); invite the address without the plus tag, like ann@fabrikam.com\n` +
                `${file}:3:17: \`userType\` must be Guest or Member (got "Owner"); write Guest, or Member for an invited member\n` +
                "2 errors in the guest files; nothing was changed",
        );
        assert.deepEqual(result.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
        assert.deepEqual(result.calls, []);
    });

    it("shows guest text in its errors with escape sequences and line breaks escaped", async () => {
        // A group name reaches the message as written (not through quote()): only the output boundary escapes it.
        const result = await run({ "bad.yaml": 'guests:\n  - email: ann@fabrikam.com\n    groups: ["\\e[2JPartners\\nfake.csv:1:1: ok"]\n' });
        assert.ok(result.error);
        const file = shown(dirs[0], "bad.yaml");
        assert.deepEqual(result.error.message.split("\n"), [
            `${file}:2: directory lookup of group "\\x1b[2JPartners\\nfake.csv:1:1: ok" failed: no group has this display name (provider: "No group found matching specified filter (displayName eq '\\x1b[2JPartners\\nfake.csv:1:1: ok')"); used by ${file}:2; check the name, or write the group's object ID`,
            "1 error in the guest files; nothing was changed",
        ]);
    });

    it("registers nothing when a reference is not in the directory, naming every file that uses it", async () => {
        const result = await run({
            "a.yaml": "guests:\n  - email: a@fabrikam.com\n    groups: [Partnres]\n    apps:\n      - app: Contoso Partner Portal\n        role: Partner.Write\n",
            "b.csv": "email,groups,apps\nb@fabrikam.com,Partnres;Everyone,Intranet\n",
        });
        assert.ok(result.error);
        const a = shown(dirs[0], "a.yaml");
        const b = shown(dirs[0], "b.csv");
        assert.deepEqual(result.error.message.split("\n"), [
            `${a}:2: app "Contoso Partner Portal" has no role "Partner.Write" (for a@fabrikam.com); its roles are Partner.Admin, Partner.Read`,
            `${a}:2: directory lookup of group "Partnres" failed: no group has this display name (provider: "No group found matching specified filter (displayName eq 'Partnres')"); used by ${a}:2, ${b}:2; check the name, or write the group's object ID`,
            `${b}:2: directory lookup of app "Intranet" failed: no service principal has this display name (provider: "Service principal not found: no service principals found matching filter: \\"displayName eq 'Intranet'\\""); used by ${b}:2; check the app's name, and that it has an enterprise application in this tenant`,
            `${b}:2: directory lookup of group "Everyone" failed: several groups have this display name (provider: "More than one group found matching specified filter (displayName eq 'Everyone')"); used by ${b}:2; write the object ID of the group you mean`,
            "4 errors in the guest files; nothing was changed",
        ]);
        assert.deepEqual(result.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
    });

    it("resolves catalog aliases like any reference: renaming an alias changes nothing, re-pointing it moves the membership", async () => {
        const catalog = (alias: string, target: string) => `catalog:\n  groups:\n    ${alias}: ${target}\n`;
        const guest = (alias: string) => `email,groups\nann@fabrikam.com,${alias}\n`;
        const before = await run({ "catalog.yaml": catalog("partners", PARTNERS), "g.csv": guest("partners") }, { restrictToCatalog: true });
        const renamed = await run({ "catalog.yaml": catalog("partner-orgs", PARTNERS), "g.csv": guest("Partner-Orgs") }, { restrictToCatalog: true });
        const byName = await run({ "catalog.yaml": catalog("partners", "Partners"), "g.csv": guest("partners") }, { restrictToCatalog: true });
        const repointed = await run({ "catalog.yaml": catalog("partners", FALCON), "g.csv": guest("partners") }, { restrictToCatalog: true });
        for (const r of [before, renamed, byName, repointed]) assert.equal(r.error, undefined);
        assert.deepEqual(names(before, MEMBER), [`guests/ann@fabrikam.com/${PARTNERS}`]);
        assert.deepEqual(urns(renamed), urns(before));
        assert.deepEqual(urns(byName), urns(before));
        assert.deepEqual(names(repointed, MEMBER), [`guests/ann@fabrikam.com/${FALCON}`]);
    });

    it("leaves expired guests out of the program", async () => {
        const result = await run({ "x.csv": "email,groups,expires\nann@fabrikam.com,Partners,2026-11-22\nbo@fabrikam.com,Partners,2026-11-23\n" });
        assert.equal(result.error, undefined);
        assert.deepEqual(names(result, GUEST_USER), ["guests/bo@fabrikam.com"]);
        assert.deepEqual(names(result, MEMBER), [`guests/bo@fabrikam.com/${PARTNERS}`]);
        assert.deepEqual(Object.keys(managedGuestsOf(result.outputs)), ["bo@fabrikam.com"]);
    });

    it("removes a guest's GuestUser, memberships and assignments when its row goes", async () => {
        const before = await run({ "g.csv": "email,groups,apps\nann@fabrikam.com,Partners,Wiki\nbo@fabrikam.com,Partners,Wiki\n" });
        const after = await run({ "g.csv": "email,groups,apps\nann@fabrikam.com,Partners,Wiki\n" });
        const gone = urns(before).filter((u) => !urns(after).includes(u));
        assert.deepEqual(gone, [
            `guests$${ASSIGNMENT}::guests/bo@fabrikam.com/${WIKI_SP}`,
            `guests$${MEMBER}::guests/bo@fabrikam.com/${PARTNERS}`,
            `guests$${GUEST_USER}::guests/bo@fabrikam.com`,
        ].sort());
        assert.ok(urns(after).every((u) => urns(before).includes(u)));
    });

    it("runs the shipped guests/ example and refuses bad stack settings", async () => {
        const directory: DirectoryFixture = {
            groups: { "Partners - Fabrikam": [PARTNERS], "Project Falcon": [FALCON] },
            servicePrincipals: [{ ...DIRECTORY.servicePrincipals[0] }],
        };
        const shipped = await runProgram({ asOf: AS_OF }, directory);
        assert.equal(shipped.error, undefined);
        assert.equal(shipped.outputs?.guestCount, 6);
        assert.deepEqual(names(shipped, GUEST_USER), [
            "guests/ann.lee@fabrikam.example",
            "guests/bo.chen@fabrikam.example",
            "guests/dev.patel@fabrikam.example",
            "guests/lena.schmidt@northwind.example",
            "guests/omar.haddad@northwind.example",
            "guests/yuki.tanaka@northwind.example",
        ]);
        const bad = await runProgram({ defaultRedirectUrl: "myapps", guests: ["guests"] }, directory);
        assert.equal(bad.error?.message, 'stack test: config `entra-guests:defaultRedirectUrl` must be an absolute http(s) URL, like https://myapps.microsoft.com (got "myapps"); set it with `pulumi config set entra-guests:defaultRedirectUrl <value>`');
        const missing = await runProgram({ guests: ["nowhere"] }, directory);
        assert.equal(missing.error?.message, "no such file or directory: nowhere; set `entra-guests:guests` to existing guest files or folders");
        assert.deepEqual(missing.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
    });
});
