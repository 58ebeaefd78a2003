import { strict as assert } from "assert";
import { compareRosters, renderDiff } from "../diff";
import { mailLine } from "../cli/shell/output";
import { runCli, tempProjects } from "./helpers/cli";
import { AS_OF, lines, rosterOf } from "./helpers/roster";

const NO_MAIL_PS =
    "t.csv:1:1: the PowerShell bulk-invite tutorial's script invites with -SendInvitationMessage $true, but no guest of this file has a sendEmail or SendInvitationMessage value or a message, so nobody is mailed; add a SendInvitationMessage (or sendEmail) column with TRUE to mail them, or FALSE to confirm none";

describe("the cmdlets' column names: New-MgInvitation's parameters read with their meaning", () => {
    it("SendInvitationMessage TRUE mails every guest of a New-MgInvitation file, with no warning", async () => {
        const roster = rosterOf({
            "t.csv": "InvitedUserEmailAddress,InvitedUserDisplayName,InviteRedirectUrl,SendInvitationMessage\nann@fabrikam.com,Ann,https://portal.fabrikam.com,true\nbo@fabrikam.com,Bo,https://portal.fabrikam.com,TRUE\n",
        });
        assert.deepEqual(lines(roster.errors), []);
        assert.deepEqual(lines(roster.warnings), []);
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.displayName, g.redirectUrl, g.sendEmail]),
            [
                ["ann@fabrikam.com", "Ann", "https://portal.fabrikam.com", true],
                ["bo@fabrikam.com", "Bo", "https://portal.fabrikam.com", true],
            ],
        );
        assert.deepEqual(roster.files[0].mail, { mailed: 2, notMailed: 0, decidedBy: [{ reason: "entry", mailed: 2, notMailed: 0, column: "SendInvitationMessage" }] });
        assert.equal(mailLine(roster.files[0]), 't.csv: 2 of 2 guests mailed when invited (2 mailed, by its "SendInvitationMessage" column)');
    });

    it("SendInvitationMessage FALSE beside a Message column sends nothing, and says the message is unused", async () => {
        const roster = rosterOf({ "t.csv": "InvitedUserEmailAddress,Message,SendInvitationMessage\nann@fabrikam.com,Welcome to Falcon,false\n" });
        assert.deepEqual(lines(roster.errors), []);
        assert.deepEqual(roster.guests.map((g) => [g.email, g.sendEmail, g.message]), [["ann@fabrikam.com", false, "Welcome to Falcon"]]);
        assert.deepEqual(lines(roster.warnings), ["t.csv:2:18: `message` is not used for ann@fabrikam.com because `sendEmail` is false; set sendEmail to true, or delete it"]);
    });

    it("decides mail both ways in every format: native CSV, portal, 2016 B2B and PowerShell headers", async () => {
        const files = {
            "native.csv": "email,SendInvitationMessage\nn1@fabrikam.com,true\nn2@fabrikam.com,false\n",
            "portal.csv": "version:v1.0\nEmail address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,SendInvitationMessage\np1@fabrikam.com,https://myapps.microsoft.com,TRUE\np2@fabrikam.com,https://myapps.microsoft.com,FALSE\n",
            "legacy.csv": "Email,DisplayName,InvitationText,SendInvitationMessage\nl1@fabrikam.com,L One,Hello,TRUE\nl2@fabrikam.com,L Two,Hello,FALSE\n",
            "ps.csv": "Name,InvitedUserEmailAddress,SendInvitationMessage\nP One,s1@fabrikam.com,Wahr\nP Two,s2@fabrikam.com,Falsch\n",
        };
        const roster = rosterOf(files);
        assert.deepEqual(lines(roster.errors), []);
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.sendEmail]),
            [
                ["l1@fabrikam.com", true],
                ["l2@fabrikam.com", false],
                ["n1@fabrikam.com", true],
                ["n2@fabrikam.com", false],
                ["p1@fabrikam.com", true],
                ["p2@fabrikam.com", false],
                ["s1@fabrikam.com", true],
                ["s2@fabrikam.com", false],
            ],
        );
        assert.deepEqual(
            roster.files.map((f) => [f.file, f.format, f.mail.mailed, f.mail.notMailed]),
            [
                ["native.csv", "native-csv", 1, 1],
                ["portal.csv", "portal", 1, 1],
                ["legacy.csv", "native-csv", 1, 1],
                ["ps.csv", "powershell", 1, 1],
            ],
        );
        // The message is unused for the guest whose SendInvitationMessage says no: nothing else is warned.
        assert.deepEqual(lines(roster.warnings), ["legacy.csv:3:23: `message` is not used for l2@fabrikam.com because `sendEmail` is false; set sendEmail to true, or delete it"]);
    });

    it("reads InvitedUserType, the message info's parts and New-AzureADMSInvitation's dotted names", async () => {
        const roster = rosterOf(
            {
                "t.csv":
                    "InvitedUserEmailAddress,InvitedUserType,SendInvitationMessage,InvitedUserMessageInfo.CustomizedMessageBody,CcRecipients\nann@fabrikam.com,Member,true,Welcome,lead@contoso.com\n",
                "u.csv": "InvitedUserEmailAddress,SendInvitationMessage,MessageLanguage\nbo@fabrikam.com,true,de\n",
            },
            { defaultRedirectUrl: "https://myapps.microsoft.com", asOf: "2026-11-22", allowMemberInvites: true },
        );
        assert.deepEqual(lines(roster.errors), []);
        assert.deepEqual(lines(roster.warnings), []);
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.userType, g.sendEmail, g.message, g.cc, g.language]),
            [
                ["ann@fabrikam.com", "Member", true, "Welcome", "lead@contoso.com", undefined],
                ["bo@fabrikam.com", "Guest", true, undefined, undefined, "de"],
            ],
        );
    });

    it("two columns for one field (sendEmail and SendInvitationMessage) are refused, never one silently winning", async () => {
        const roster = rosterOf({ "t.csv": "email,sendEmail,SendInvitationMessage\nann@fabrikam.com,true,false\n" });
        assert.deepEqual(lines(roster.errors), ['t.csv:1:17: columns "sendEmail" and "SendInvitationMessage" both set `sendEmail`; delete one of them']);
    });

    it("a tutorial or 2016 B2B file that says nothing of mail is warned, with how many guests it leaves unmailed", async () => {
        const silent = rosterOf({ "t.csv": "Name,InvitedUserEmailAddress\nTom Berg,tom@wingtip.no\n" });
        assert.deepEqual(lines(silent.warnings), [NO_MAIL_PS]);
        const partly = rosterOf({ "t.csv": "Name,InvitedUserEmailAddress,Message\nTom,tom@wingtip.no,Hi\nUna,una@wingtip.no,\nVic,vic@wingtip.no,\n" });
        assert.deepEqual(lines(partly.warnings), [
            "t.csv:1:1: the PowerShell bulk-invite tutorial's script invites with -SendInvitationMessage $true, but 2 of its 3 guests have no sendEmail or SendInvitationMessage value and no message, so they get no invitation mail; add a SendInvitationMessage (or sendEmail) column with TRUE to mail them, or FALSE to confirm none",
        ]);
        assert.equal(mailLine(partly.files[0]), "t.csv: 1 of 3 guests mailed when invited (1 mailed, because a message is given; 2 not, by default: no sendEmail value and no message)");
        // A native file chose its own rule: no warning, but validate still says who is mailed.
        const native = rosterOf({ "n.csv": "Displayname,Email\nTom,tom@wingtip.no\n" });
        assert.deepEqual(lines(native.warnings), []);
        assert.equal(mailLine(native.files[0]), "n.csv: 0 of 1 guest mailed when invited (1 not, by default: no sendEmail value and no message)");
    });

    it("an existing member is never counted as mailed, whatever its sendEmail says", async () => {
        const roster = rosterOf({ "m.yaml": "guests:\n  - email: eve@fabrikam.com\n    existingMember: true\n    sendEmail: true\n" });
        assert.deepEqual(lines(roster.errors), []);
        assert.equal(mailLine(roster.files[0]), "m.yaml: 0 of 1 guest mailed when invited (1 not: existing members, never invited)");
    });

    it("a file's defaults decide mail, and say so", async () => {
        const roster = rosterOf({ "a.yaml": "defaults:\n  sendEmail: true\nguests:\n  - email: ann@fabrikam.com\n  - email: bo@fabrikam.com\n    sendEmail: false\n" });
        assert.deepEqual(lines(roster.warnings), []);
        assert.equal(mailLine(roster.files[0]), "a.yaml: 1 of 2 guests mailed when invited (1 not, by their own sendEmail; 1 mailed, by its defaults' sendEmail)");
    });

    it("a YAML key in the cmdlets' or an export's words is refused with the key to write", async () => {
        const roster = rosterOf({ "a.yaml": "guests:\n  - email: ann@fabrikam.com\n    SendInvitationMessage: true\n    FirstName: Ann\n" });
        assert.deepEqual(lines(roster.errors), [
            "a.yaml:3:5: unknown key `SendInvitationMessage` in a guest; it is another tool's name for `sendEmail`, rename the key to sendEmail",
            "a.yaml:4:5: unknown key `FirstName` in a guest; it is another tool's name for `givenName`, rename the key to givenName",
        ]);
        assert.deepEqual(roster.guests, []);
    });
});

describe("user properties: what HR exports carry, read and checked", () => {
    const HR = "Email,DisplayName,FirstName,LastName,CompanyName\nann@fabrikam.com,Ann Lee,Ann,Lee,Fabrikam\nbo@fabrikam.com,Bo Chen,Bo,Chen,\n";

    it("accepts an HR export, keeps each property on its guest, and warns once that they are not yet applied", async () => {
        const roster = rosterOf({ "hr.csv": HR });
        assert.deepEqual(lines(roster.errors), []);
        assert.deepEqual(lines(roster.warnings), [
            "hr.csv:2:26: this file gives the user properties givenName, surname, companyName: they are read, checked and shown (validate --format json, plan, diff) but not yet applied to the guests' users; keep them for when they are, or delete them to silence this warning",
        ]);
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.displayName, g.profile]),
            [
                ["ann@fabrikam.com", "Ann Lee", { givenName: "Ann", surname: "Lee", companyName: "Fabrikam" }],
                ["bo@fabrikam.com", "Bo Chen", { givenName: "Bo", surname: "Chen" }],
            ],
        );
        assert.equal(roster.files[0].format, "native-csv");
    });

    it("accepts the long HR export (UPN, manager, usage location, groups) with its two warnings and no error", async () => {
        const roster = rosterOf({
            "hr.csv":
                "Email, UPN, FirstName, LastName, DisplayName, JobTitle, CompanyName, Department, Manager, UsageLocation, Groups\n" +
                "ann@fabrikam.com, ann_fabrikam.com#EXT#@contoso.onmicrosoft.com, Ann, Lee, Ann Lee, Engineer, Fabrikam, R&D, maria@contoso.com, gb, Partners;Project Falcon\n",
        });
        assert.deepEqual(lines(roster.errors), []);
        assert.deepEqual(lines(roster.warnings), [
            'hr.csv:1:8: column "UPN" is not used: Graph gives each guest its own user principal name, and the invitation goes to the email column; delete the column to silence this warning',
            "hr.csv:2:66: this file gives the user properties givenName, surname, companyName, jobTitle, department, usageLocation, manager: they are read, checked and shown (validate --format json, plan, diff) but not yet applied to the guests' users; keep them for when they are, or delete them to silence this warning",
        ]);
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.displayName, g.groups, g.profile]),
            [
                [
                    "ann@fabrikam.com",
                    "Ann Lee",
                    ["Partners", "Project Falcon"],
                    { givenName: "Ann", surname: "Lee", companyName: "Fabrikam", jobTitle: "Engineer", department: "R&D", usageLocation: "GB", manager: "maria@contoso.com" },
                ],
            ],
        );
    });

    it("reads the properties under their common spellings and in YAML, a file's defaults included", async () => {
        const roster = rosterOf({
            "a.csv": "Email,First Name,Last Name,Company,Job Title,Dept,UsageLocation,ManagerEmail\nann@fabrikam.com,Ann,Lee,Fabrikam,Engineer,R&D,de,Maria@Contoso.com\n",
            "b.yaml": "defaults:\n  companyName: Northwind\nguests:\n  - email: bo@northwind.com\n    jobTitle: Buyer\n    manager: 7C9E6679-7425-40DE-944B-E07FC1F90AE7\n",
        });
        assert.deepEqual(lines(roster.errors), []);
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.profile]),
            [
                ["ann@fabrikam.com", { givenName: "Ann", surname: "Lee", companyName: "Fabrikam", jobTitle: "Engineer", department: "R&D", usageLocation: "DE", manager: "maria@contoso.com" }],
                ["bo@northwind.com", { companyName: "Northwind", jobTitle: "Buyer", manager: "7c9e6679-7425-40de-944b-e07fc1f90ae7" }],
            ],
        );
        assert.deepEqual(lines(roster.warnings).map((w) => w.split(":").slice(0, 3).join(":")), ["a.csv:2:18", "b.yaml:2:3"]);
    });

    it("checks them as Graph would: lengths, ISO country codes and a manager that is an address or an object ID", async () => {
        const long = "x".repeat(129);
        const roster = rosterOf({
            "a.csv": `email,usageLocation,manager,jobTitle,givenName\nann@fabrikam.com,UK,bob,${long},Ann\nbo@fabrikam.com,Germany,,,\n`,
        });
        assert.deepEqual(lines(roster.errors), [
            'a.csv:2:18: `usageLocation` is not an ISO 3166 country code (got "UK"); write GB, the ISO code for it',
            'a.csv:2:21: `manager` must be the manager\'s email address or object ID (got "bob"); write an address like maria@contoso.com or an object ID',
            `a.csv:2:25: \`jobTitle\` is 129 characters long (got "${"x".repeat(77)}..."); shorten it to at most 128`,
            'a.csv:3:17: `usageLocation` is not an ISO 3166 country code (got "Germany"); write the country\'s two-letter ISO 3166 code, like DE, FR or US',
        ]);
        assert.deepEqual(roster.guests, []);
    });

    it("shows the properties in the diff: on a new guest, and as a change not yet applied", async () => {
        const base = rosterOf({ "hr.csv": "email,companyName\nann@fabrikam.com,Fabrikam\n" });
        const head = rosterOf({ "hr.csv": "email,companyName,jobTitle,sendEmail\nann@fabrikam.com,Fabrikam Ltd,Engineer,\nbo@fabrikam.com,Fabrikam,,true\ncy@fabrikam.com,,,false\n" });
        const text = renderDiff({ base: "main", diff: compareRosters(base, head), expiring: [] }, "text");
        assert.equal(
            text,
            [
                "Compared with main: 2 guests added; 1 guest changed",
                '  + bo@fabrikam.com is invited and mailed an invitation; companyName "Fabrikam" (user properties, not yet applied); no expiry; from hr.csv:3',
                "  + cy@fabrikam.com is invited; no expiry; from hr.csv:4",
                '  ~ ann@fabrikam.com companyName "Fabrikam" → "Fabrikam Ltd" (a user property, not yet applied); jobTitle (none) → "Engineer" (a user property, not yet applied); no expiry; from hr.csv:2',
                "",
            ].join("\n"),
        );
        const markdown = renderDiff({ base: "main", diff: compareRosters(base, head), expiring: [] }, "markdown");
        const rows = markdown.split("\n").filter((l) => l.startsWith("| ➕"));
        const member = rosterOf({ "m.yaml": "guests:\n  - email: eve@fabrikam.com\n    existingMember: true\n    sendEmail: true\n" });
        assert.equal(
            renderDiff({ base: "main", diff: compareRosters({ guests: [], expired: [] }, member), expiring: [] }, "text"),
            "Compared with main: 1 guest added\n  + eve@fabrikam.com is managed as an existing member (never invited); no expiry; from m.yaml:2\n",
        );
        assert.deepEqual(rows, [
            '| ➕ | bo@fabrikam.com | ✉️ is invited and mailed an invitation; companyName "Fabrikam" (user properties, not yet applied); no expiry; from hr.csv\\:3 |',
            "| ➕ | cy@fabrikam.com | is invited; no expiry; from hr.csv\\:4 |",
        ]);
    });

    describe("in the CLI", () => {
        const project = tempProjects();

        it("plan lists a guest's user properties under its address, and --format json maps them", async () => {
            const dir = await project({ "guests/hr.csv": HR });
            const run = await runCli(["plan", "--as-of", AS_OF], dir);
            assert.equal(run.code, 0);
            const out = run.stdout.split("\n");
            const at = out.indexOf("ann@fabrikam.com  (guests/hr.csv:2)");
            assert.notEqual(at, -1, run.stdout);
            assert.equal(out[at + 1], '  user properties, read and not yet applied: givenName "Ann", surname "Lee", companyName "Fabrikam"');
            assert.equal(out.filter((l) => l.startsWith("  user properties")).length, 2);
            const json = JSON.parse((await runCli(["plan", "--format", "json", "--as-of", AS_OF], dir)).stdout);
            assert.deepEqual(json.profiles, { "ann@fabrikam.com": { givenName: "Ann", surname: "Lee", companyName: "Fabrikam" }, "bo@fabrikam.com": { givenName: "Bo", surname: "Chen" } });
        });

        it("validate --format json shows each guest's profile and each file's mail", async () => {
            const dir = await project({ "guests/hr.csv": HR });
            const run = await runCli(["validate", "--format", "json", "--as-of", AS_OF], dir);
            const report = JSON.parse(run.stdout);
            assert.equal(run.code, 0);
            assert.deepEqual(report.guests.map((g: { email: string; profile?: object }) => [g.email, g.profile]), [
                ["ann@fabrikam.com", { givenName: "Ann", surname: "Lee", companyName: "Fabrikam" }],
                ["bo@fabrikam.com", { givenName: "Bo", surname: "Chen" }],
            ]);
            assert.deepEqual(report.files, [{ file: "guests/hr.csv", format: "native-csv", guests: 2, mail: { mailed: 0, notMailed: 2, decidedBy: [{ reason: "unsaid", mailed: 0, notMailed: 2 }] } }]);
        });

        it("a file name or column label in the mail line cannot carry a terminal escape", async () => {
            const dir = await project({ "guests/a\u001b[2J.csv": "email,Send\u001b[8mInvitationMessage\nann@fabrikam.com,true\n" });
            const run = await runCli(["validate", "--as-of", AS_OF], dir);
            assert.equal(run.stdout.includes("\u001b"), false, run.stdout);
        });
    });
});
