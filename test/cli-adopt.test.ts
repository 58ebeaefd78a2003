import { strict as assert } from "assert";
import { promises as fs } from "fs";
import * as path from "path";
import { TenantSeed } from "../tools/sim/tenant/format";
import { readCalls } from "../tools/sim/tenant/store";
import { adoptProjects } from "./helpers/adopt";
import { CliRun, runCli } from "./helpers/cli";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const IDS = {
    partners: "11111111-1111-4111-8111-111111111111",
    projectX: "22222222-2222-4222-8222-222222222222",
    vendorsA: "33333333-3333-4333-8333-33333333333a",
    vendorsB: "33333333-3333-4333-8333-33333333333b",
    portal: "44444444-4444-4444-8444-444444444444",
    portalApp: "55555555-5555-4555-8555-555555555555",
    reader: "66666666-6666-4666-8666-666666666666",
    extranet: "77777777-7777-4777-8777-777777777777",
    extranetApp: "88888888-8888-4888-8888-888888888888",
};
const ZERO = "00000000-0000-0000-0000-000000000000";

/** Two groups, a guest in both, a member, a guest without mail, an app with a role and one with default access only. */
const TENANT: TenantSeed = {
    users: [
        { id: id(1), mail: "Ann.Lee@Fabrikam.com", displayName: "Lee, Ann", userType: "Guest" },
        { id: id(2), mail: "bo@northwind.de", displayName: "Bo", userType: "Guest" },
        { id: id(3), mail: "carol@contoso.com", displayName: "Carol", userType: "Member" },
        { id: id(4), mail: null, displayName: "No Mail", userType: "Guest" },
        { id: id(5), mail: "eve@fabrikam.com", displayName: "Eve", userType: "Guest" },
        { id: id(6), mail: "dee+tag@fabrikam.com", displayName: "Dee", userType: "Guest" },
    ],
    groups: [
        { id: IDS.partners, displayName: "Partners", members: [id(1), id(2), id(3), id(4), id(5), id(6)] },
        { id: IDS.projectX, displayName: "Project X", members: [id(1)] },
        { id: IDS.vendorsA, displayName: "Vendors" },
        { id: IDS.vendorsB, displayName: "Vendors" },
    ],
    servicePrincipals: [
        { id: IDS.portal, appId: IDS.portalApp, displayName: "Contoso Portal", appRoles: [{ id: IDS.reader, value: "Reader" }] },
        { id: IDS.extranet, appId: IDS.extranetApp, displayName: "Extranet" },
    ],
    appRoleAssignments: [
        { id: "a1", appRoleId: IDS.reader, principalId: id(1), resourceId: IDS.portal },
        { id: "a2", appRoleId: ZERO, principalId: id(2), resourceId: IDS.extranet },
        { id: "a3", appRoleId: IDS.reader, principalId: id(3), resourceId: IDS.portal },
    ],
};

const DECLARED = { "guests/team.yaml": "guests:\n  - email: eve@fabrikam.com\n    groups: [Partners]\n" };

const ADOPTED = [
    "# Written by `npx entra-guests adopt` at 2026-11-25T10:00:00Z from the tenant's directory:",
    '# the guests among the direct members of the groups "Partners", "Project X",',
    '# with their app role assignments of "Contoso Portal", "Extranet".',
    "# These users exist already: `pulumi up` adopts them (no invitation, no mail) and imports",
    "# their memberships and app role assignments. Edit this file like any other guest file.",
    "guests:",
    "  - email: ann.lee@fabrikam.com",
    '    displayName: "Lee, Ann"',
    "    groups: [Partners, Project X]",
    "    apps:",
    "      - app: Contoso Portal",
    "        role: Reader",
    "    sendEmail: false",
    "  - email: bo@northwind.de",
    "    displayName: Bo",
    "    groups: [Partners]",
    "    apps:",
    "      - app: Extranet",
    "    sendEmail: false",
    "",
].join("\n");

/** The identity lookup of one address, as the simulated Graph logs it (graph/identity.ts). */
const identityLookup = (a: string) =>
    `GET /users?$filter=userPrincipalName eq '${a}' or mail eq '${a}' or proxyAddresses/any(p:p eq 'smtp:${a}') or otherMails/any(m:m eq '${a}')&$select=id,mail,userPrincipalName,otherMails,proxyAddresses,userType,displayName,createdDateTime,externalUserState,externalUserStateChangeDateTime&$count=true 200`;

describe("entra-guests adopt", () => {
    const projects = adoptProjects();
    let tenantFile = "";

    /** A project holding `files`, and a simulated tenant seeded with `seed` in it (outside guests/). */
    async function setup(files: Record<string, string>, seed: TenantSeed = TENANT): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
        const made = await projects.setup(files, seed);
        tenantFile = made.tenantFile;
        return made;
    }

    const adopt = (args: string[], dir: string, env: NodeJS.ProcessEnv): Promise<CliRun> => projects.adopt(args, { dir, env, tenantFile });

    /** "METHOD path status" of every request to the Graph face. */
    const requests = () => readCalls(tenantFile).flatMap((c) => (c.kind === "request" ? [`${c.method} ${c.path} ${c.status}`] : []));

    it("writes the guests of two groups with their app access, leaves out the declared, the members and those it cannot declare", async () => {
        const { dir, env } = await setup(DECLARED);
        const run = await adopt(["--group", "Partners", "--group", "Project X", "--app", "Contoso Portal", "--app", IDS.extranetApp.toUpperCase()], dir, env);
        assert.equal(run.stderr, "");
        assert.equal(run.code, 0);
        assert.equal(await fs.readFile(path.join(dir, "guests/adopted.yaml"), "utf8"), ADOPTED.replace('"Extranet"', `"${IDS.extranetApp.toUpperCase()}"`).replace("app: Extranet", `app: ${IDS.extranetApp}`));
        assert.equal(
            run.stdout,
            [
                "guests/adopted.yaml: 2 users written (2 groups, 2 apps)",
                "1 user already declared in the guest files, left out",
                "1 member of the tenant (userType Member) left out; --include-members writes them too",
                "2 users skipped:",
                `  user ${id(4)} ("No Mail"): it has no mail, so it cannot be declared by email`,
                '  dee+tag@fabrikam.com: `email` contains "+", which Graph refuses in invited addresses (got "dee+tag@fabrikam.com"); invite the address without the plus tag, like ann@fabrikam.com',
                "next: review guests/adopted.yaml, commit it and open a pull request; its `pulumi preview` adopts these users (no invitation, no mail) and shows their memberships and app role assignments as imports, with nothing created or deleted",
                "",
            ].join("\n"),
        );
        assert.deepEqual(requests(), [
            "GET /groups?$filter=displayName eq 'Partners'&$select=id,displayName 200",
            "GET /groups?$filter=displayName eq 'Project X'&$select=id,displayName 200",
            "GET /servicePrincipals?$filter=displayName eq 'Contoso Portal'&$select=id,appId,displayName,appRoles 200",
            `GET /servicePrincipals?$filter=appId eq '${IDS.extranetApp}'&$select=id,appId,displayName,appRoles 200`,
            `GET /groups/${IDS.partners}/members/microsoft.graph.user?$select=id,mail,displayName,userType,userPrincipalName,otherMails,proxyAddresses&$top=999 200`,
            `GET /groups/${IDS.projectX}/members/microsoft.graph.user?$select=id,mail,displayName,userType,userPrincipalName,otherMails,proxyAddresses&$top=999 200`,
            `GET /servicePrincipals/${IDS.portal}/appRoleAssignedTo?$top=999 200`,
            `GET /servicePrincipals/${IDS.extranet}/appRoleAssignedTo?$top=999 200`,
            // Each address to write, by the identity rule: one that names several users is left out.
            identityLookup("ann.lee@fabrikam.com"),
            identityLookup("bo@northwind.de"),
        ]);
    });

    it("writes a file that validate accepts and whose plan sends no invitation mail", async () => {
        const { dir, env } = await setup(DECLARED);
        assert.equal((await adopt(["--group", "Partners", "--group", "Project X", "--app", "Contoso Portal", "--app", "Extranet"], dir, env)).code, 0);
        assert.deepEqual(await runCli(["validate"], dir), { code: 0, stdout: "guests/adopted.yaml: 0 of 2 guests mailed when invited (2 not, by their own sendEmail)\nguests/team.yaml: 0 of 1 guest mailed when invited (1 not, by default: no sendEmail value and no message)\n3 guests in 2 files valid\n", stderr: "" });
        const plan = await runCli(["plan", "guests/adopted.yaml"], dir);
        assert.equal(plan.code, 0);
        // Offline, the plan cannot tell that the users exist; the program adopts them (engine: test/engine/adopt-command.engine.ts).
        assert.deepEqual(plan.stdout.split("\n").filter((l) => l.includes("message") || l.startsWith("Plan:")), [
            "      message: (none: no invitation email is sent)",
            "      message: (none: no invitation email is sent)",
            "Plan: 2 guest users, 3 group memberships, 2 app role assignments; 5 resources wait on directory lookups, done by `pulumi preview`",
        ]);
        assert.match(plan.stdout, /\n  \+ azuread\.AppRoleAssignment  guests\/bo@northwind\.de\/Extranet\n      appRoleId: "00000000-0000-0000-0000-000000000000"\n/);
    });

    it("writes native CSV with --format csv", async () => {
        const { dir, env } = await setup({});
        const run = await adopt(["--group", "Partners", "--group", "Project X", "--app", "Contoso Portal", "--app", "Extranet", "--format", "csv"], dir, env);
        assert.equal(run.code, 0);
        assert.equal(run.stdout.split("\n")[0], "guests/adopted.csv: 3 users written (2 groups, 2 apps)");
        assert.equal(
            await fs.readFile(path.join(dir, "guests/adopted.csv"), "utf8"),
            [
                "email,displayName,groups,apps,sendEmail",
                'ann.lee@fabrikam.com,"Lee, Ann",Partners;Project X,Contoso Portal:Reader,false',
                "bo@northwind.de,Bo,Partners,Extranet,false",
                "eve@fabrikam.com,Eve,Partners,,false",
                "",
            ].join("\n"),
        );
        assert.deepEqual(await runCli(["validate"], dir), { code: 0, stdout: 'guests/adopted.csv: 0 of 3 guests mailed when invited (3 not, by its "sendEmail" column)\n3 guests in 1 file valid\n', stderr: "" });
    });

    it("reports a declared user whose declaration lacks a group the tenant gives it, and leaves its file alone", async () => {
        const team = "guests:\n  - email: EVE@fabrikam.com\n    groups: [Project X]\n";
        const { dir, env } = await setup({ "guests/team.yaml": team });
        const run = await adopt(["--group", IDS.partners, "--out", "partners.yaml"], dir, env);
        assert.equal(run.code, 0);
        assert.deepEqual(run.stdout.split("\n").filter((l) => /^(note|1 user|partners)/.test(l)), [
            "partners.yaml: 2 users written (1 group, 0 apps)",
            "1 user already declared in the guest files, left out",
            `note: eve@fabrikam.com is declared at guests/team.yaml:2 without group "${IDS.partners}", which the tenant gives it; not changed: add it there to manage it, or leave it unmanaged`,
            "note: the stack's `entra-guests:guests` setting (guests) does not read partners.yaml; move it there, or add it to the setting",
        ]);
        assert.equal(await fs.readFile(path.join(dir, "guests/team.yaml"), "utf8"), team);
        assert.match(await fs.readFile(path.join(dir, "partners.yaml"), "utf8"), new RegExp(`\n    groups: \\[${IDS.partners}\\]\n`));
    });

    it("refuses a name two groups have and names nobody can find, with the fix, and writes nothing", async () => {
        const { dir, env } = await setup({});
        const run = await adopt(["--group", "Vendors", "--group", "Nobody", "--app", "Nope", "--app", IDS.portalApp], dir, env);
        assert.equal(run.code, 1);
        assert.equal(run.stdout, "");
        assert.equal(
            run.stderr,
            [
                `entra-guests: --group "Vendors": 2 groups have this display name (${IDS.vendorsA}, ${IDS.vendorsB}); give the object ID of the group you mean, like --group ${IDS.vendorsA}`,
                'entra-guests: --group "Nobody": no group has this display name; check the name, or give the group\'s object ID',
                'entra-guests: --app "Nope": no service principal has this display name; check the app\'s name, and that it has an enterprise application in this tenant',
                "entra-guests: nothing was written",
                "",
            ].join("\n"),
        );
        assert.equal(await fs.stat(path.join(dir, "guests")).catch(() => undefined), undefined);
    });

    it("never replaces a file unless --force, and then does not count the file's own users as declared", async () => {
        const { dir, env } = await setup({ "guests/adopted.yaml": "guests:\n  - email: bo@northwind.de\n" });
        const refused = await adopt(["--group", "Project X"], dir, env);
        assert.deepEqual(refused, { code: 2, stdout: "", stderr: "entra-guests: guests/adopted.yaml exists; adopt writes a new file and never edits one: name another with --out, or pass --force to replace it\n" });
        assert.deepEqual(requests(), [], "refused before any Graph call");
        const forced = await adopt(["--group", "Partners", "--force"], dir, env);
        assert.equal(forced.code, 0);
        assert.equal(forced.stdout.split("\n").slice(0, 2).join("\n"), "guests/adopted.yaml: 3 users written (1 group, 0 apps)\n0 users already declared in the guest files, left out");
    });

    it("stops with one line naming the Graph permission when the directory refuses", async () => {
        const { dir, env } = await setup({}, { ...TENANT, faults: { deny: { status: 403, code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation.", pathPrefix: "/groups" } } });
        const run = await adopt(["--group", "Partners"], dir, env);
        assert.deepEqual(run, {
            code: 1,
            stdout: "",
            stderr: "entra-guests: Graph GET /groups?$filter=displayName eq 'Partners'&$select=id,displayName failed with 403 Authorization_RequestDenied: Insufficient privileges to complete the operation.; the identity running this needs the Microsoft Graph permission `GroupMember.Read.All` (an application permission with admin consent, or a user's directory role that allows it); nothing was written\n",
        });
    });

    it("reads every page of a group of 1,000 guests: two member requests at 999 a page", async () => {
        const users = Array.from({ length: 1000 }, (_, i) => ({ id: id(100 + i), mail: `guest${String(i).padStart(4, "0")}@fabrikam.com`, displayName: `Guest ${i}`, userType: "Guest" as const }));
        const { dir, env } = await setup({}, { users, groups: [{ id: IDS.partners, displayName: "Partners", members: users.map((u) => u.id) }] });
        const run = await adopt(["--group", "Partners"], dir, env);
        assert.equal(run.code, 0);
        assert.equal(run.stdout.split("\n")[0], "guests/adopted.yaml: 1000 users written (1 group, 0 apps)");
        const members = requests().filter((r) => r.includes("/members/"));
        assert.equal(members.length, 2);
        assert.equal(members[0], `GET /groups/${IDS.partners}/members/microsoft.graph.user?$select=id,mail,displayName,userType,userPrincipalName,otherMails,proxyAddresses&$top=999 200`);
        assert.match(members[1], /&\$skiptoken=\S+ 200$/);
        // The member pages, and one identity lookup per address written (20 to a batch).
        assert.equal(requests().length, 3 + 1000);
        assert.deepEqual(await runCli(["validate"], dir), { code: 0, stdout: "guests/adopted.yaml: 0 of 1000 guests mailed when invited (1000 not, by their own sendEmail)\n1000 guests in 1 file valid\n", stderr: "" });
    });

    it("with --include-members, writes a member as existingMember: the stack manages its access and never deletes it", async () => {
        const { dir, env } = await setup({});
        const run = await adopt(["--group", "Partners", "--include-members", "--out", "guests/all.yaml"], dir, env);
        assert.equal(run.code, 0);
        assert.deepEqual(run.stdout.split("\n").filter((l) => l.startsWith("  carol") || l.startsWith("guests/")), ["guests/all.yaml: 4 users written (1 group, 0 apps)"]);
        assert.match(await fs.readFile(path.join(dir, "guests/all.yaml"), "utf8"), /\n  - email: carol@contoso\.com\n    displayName: Carol\n    existingMember: true\n    groups: \[Partners\]\n/);
        assert.equal((await runCli(["validate"], dir)).code, 0);
    });

    it("refuses usage mistakes before reading anything", async () => {
        const { dir, env } = await setup({});
        for (const [args, message] of [
            [[], "adopt needs at least one --group NAME|OBJECT_ID: the groups whose members to declare"],
            [["--group", "Partners", "--out", "x.txt"], '--out must name a .yaml, .yml or .csv file (got "x.txt")'],
            [["--group", "Partners", "--format", "csv", "--out", "x.yaml"], '--format csv does not match --out "x.yaml"; name a .csv file, or leave out --format'],
        ] as const) {
            const run = await adopt([...args], dir, env);
            assert.equal(run.code, 2);
            assert.equal(run.stderr, `entra-guests: ${message}; run \`entra-guests --help\` for the commands and their options\n`);
        }
        assert.deepEqual(requests(), []);
    });
});
