import { strict as assert } from "assert";
import { promises as fs } from "fs";
import { runCli, tempProject } from "./helpers/cli";
import { AS_OF, ROOT } from "./helpers/roster";

const GUESTS = {
    "guests/p.yaml": [
        "guests:",
        "  - email: Ann@Fabrikam.com",
        "    displayName: Ann",
        "    groups: [Partners, 0A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9]",
        "    apps:",
        "      - app: Contoso Portal",
        "        role: Reader",
        "    onRemove: retain",
        "  - email: bo@fabrikam.com",
        "    message: Hello",
        "    protect: true",
        "",
    ].join("\n"),
};

describe("entra-guests plan", () => {
    let dir = "";
    beforeEach(async () => {
        dir = await tempProject(GUESTS);
    });
    afterEach(async () => {
        await fs.rm(dir, { recursive: true, force: true });
    });

    it("lists every resource per guest, offline, with lookups shown as written", async () => {
        const run = await runCli(["plan"], dir);
        assert.equal(run.code, 0);
        assert.equal(
            run.stdout,
            [
                "ann@fabrikam.com  (guests/p.yaml:2)",
                "  + entraguests.GuestUser  guests/ann@fabrikam.com",
                '      email: "ann@fabrikam.com"',
                '      displayName: "Ann"',
                '      redirectUrl: "https://myapps.microsoft.com"',
                '      userType: "Guest"',
                "      sendEmail: false",
                '      onRemove: "retain"',
                "      message: (none: no invitation email is sent)",
                "  + azuread.GroupMember  guests/ann@fabrikam.com/0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9",
                '      groupObjectId: "0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9"',
                "      memberObjectId: (user ID of ann@fabrikam.com)",
                "  + azuread.GroupMember  guests/ann@fabrikam.com/Partners",
                '      groupObjectId: (object ID of group "Partners")',
                "      memberObjectId: (user ID of ann@fabrikam.com)",
                "  + azuread.AppRoleAssignment  guests/ann@fabrikam.com/Contoso Portal",
                '      appRoleId: (ID of role "Reader" of app "Contoso Portal")',
                "      principalObjectId: (user ID of ann@fabrikam.com)",
                '      resourceObjectId: (service principal of app "Contoso Portal")',
                "bo@fabrikam.com  (guests/p.yaml:9)",
                "  + entraguests.GuestUser  guests/bo@fabrikam.com",
                '      email: "bo@fabrikam.com"',
                '      redirectUrl: "https://myapps.microsoft.com"',
                '      userType: "Guest"',
                "      sendEmail: true",
                '      message: {"body":"Hello"}',
                '      onRemove: "delete"',
                "      options: protect",
                "",
                "Plan: 2 guest users, 2 group memberships, 1 app role assignment; 2 resources wait on directory lookups, done by `pulumi preview`",
                "This is what the program registers; `pulumi preview` shows which of it changes the tenant.",
                "Guests new to the stack are looked up by `pulumi preview`: an address that already has a user is adopted (no invitation, no mail), and its existing memberships and assignments are imported; see docs/identity.md.",
                "",
            ].join("\n"),
        );
    });

    it("prints the same resources as JSON, and nothing but errors for a bad roster", async () => {
        const run = await runCli(["plan", "--format", "json"], dir);
        const report = JSON.parse(run.stdout);
        assert.equal(report.ok, true);
        assert.deepEqual(
            report.resources.map((r: { type: string; name: string }) => `${r.type} ${r.name}`),
            [
                "entraguests:index:GuestUser guests/ann@fabrikam.com",
                "entraguests:index:GuestUser guests/bo@fabrikam.com",
                "azuread:index/groupMember:GroupMember guests/ann@fabrikam.com/Partners",
                "azuread:index/groupMember:GroupMember guests/ann@fabrikam.com/0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9",
                "azuread:index/appRoleAssignment:AppRoleAssignment guests/ann@fabrikam.com/Contoso Portal",
            ],
        );
        assert.deepEqual(report.resources[1].options, { protect: true });
        const bad = await runCli(["plan", "guests", "--format", "json"], await (async () => {
            await fs.writeFile(`${dir}/guests/q.csv`, "email\nbo@fabrikam.com\n");
            return dir;
        })());
        const badReport = JSON.parse(bad.stdout);
        assert.equal(bad.code, 1);
        assert.deepEqual([badReport.ok, badReport.resources, badReport.errors.length], [false, [], 1]);
    });

    it("works on the shipped guests/ example", async () => {
        const run = await runCli(["plan", "--as-of", AS_OF], ROOT);
        assert.equal(run.code, 0);
        assert.match(run.stdout, /\nPlan: 6 guest users, 4 group memberships, 1 app role assignment; 5 resources wait on directory lookups/);
    });
});
