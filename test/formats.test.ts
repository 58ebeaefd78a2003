import { strict as assert } from "assert";
import { lines, OPTIONS, rosterOf, rosterOfFixtures } from "./helpers/roster";

const DEFAULT_URL = "https://myapps.microsoft.com";
// These fixtures show `userType: Member` parsing; the guard against it has its own tests.
const MEMBERS_ALLOWED = { ...OPTIONS, allowMemberInvites: true };

describe("formats: every CSV dialect and YAML reads into the same roster", () => {
    it("reads the portal template with a BOM, CRLF, a version row with Excel's commas, the example row and blank leftovers", async () => {
        const roster = await rosterOfFixtures(["formats/portal-bom-crlf.csv"]);
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(lines(roster.warnings), [
            `formats/portal-bom-crlf.csv:3:1: the row is the template's example (got "Example:    someone@fabrikam.com"); it is skipped, delete it from the file`,
        ]);
        assert.deepEqual(roster.files, [
            {
                file: "formats/portal-bom-crlf.csv",
                format: "portal",
                guests: 2,
                mail: { mailed: 1, notMailed: 1, decidedBy: [{ reason: "entry", mailed: 1, notMailed: 1, column: "Send invitation message (true or false) [sendEmail]" }] },
            },
        ]);
        assert.deepEqual(roster.guests, [
            {
                email: "lena.schmidt@northwind.de",
                redirectUrl: "https://myapps.microsoft.com",
                sendEmail: true,
                message: "Hallo Lena, willkommen",
                userType: "Guest",
                groups: [],
                apps: [],
                onRemove: "delete",
                protect: false,
                source: { file: "formats/portal-bom-crlf.csv", line: 4 },
            },
            {
                email: "omar.haddad@northwind.de",
                redirectUrl: DEFAULT_URL,
                sendEmail: false,
                userType: "Guest",
                groups: [],
                apps: [],
                onRemove: "delete",
                protect: false,
                source: { file: "formats/portal-bom-crlf.csv", line: 5 },
            },
        ]);
    });

    it("keys portal columns on the bracketed property whatever the language, and keeps quoted commas and newlines", async () => {
        const roster = await rosterOfFixtures(["formats/portal-spanish.csv", "formats/portal-japanese.csv"]);
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(roster.warnings, []);
        assert.deepEqual(
            roster.files.map((f) => f.format),
            ["portal", "portal"],
        );
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.redirectUrl, g.sendEmail, g.message, g.source.line]),
            [
                ["carmen.ruiz@tailspin.es", "https://tailspin.sharepoint.com", true, "Hola Carmen,\nbienvenida", 3],
                ["hana.sato@adatum.jp", DEFAULT_URL, false, undefined, 2],
            ],
        );
    });

    it("reads the February 2016 B2B CSV, warning once per column Graph has no use for", async () => {
        const roster = await rosterOfFixtures(["formats/legacy-feb-2016.csv"]);
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(lines(roster.warnings), [
            "formats/legacy-feb-2016.csv:1:1: the 2016 Azure AD B2B invitation service mailed every guest of such a file, but no guest of this file has a sendEmail or SendInvitationMessage value or a message, so nobody is mailed; add a SendInvitationMessage (or sendEmail) column with TRUE to mail them, or FALSE to confirm none",
            `formats/legacy-feb-2016.csv:1:19: column "InviteAppID" is ignored: it only branded the 2016 invitation page; Graph has no equivalent; delete the column to silence this warning`,
            `formats/legacy-feb-2016.csv:1:86: column "InviteContactUsUrl" is ignored: Graph invitations have no contact-us link; delete the column to silence this warning`,
        ]);
        assert.equal(roster.files[0].format, "legacy-b2b");
        assert.deepEqual(roster.guests, [
            {
                email: "kim.park@litware.com",
                displayName: "Kim Park",
                redirectUrl: "https://apps.litware-partner.com",
                sendEmail: false,
                userType: "Guest",
                groups: ["9a8b7c6d-1111-4222-8333-444455556666", "Litware Partners"],
                apps: [{ app: "2b1c3d4e-0000-4000-8000-00000000abcd" }],
                onRemove: "delete",
                protect: false,
                source: { file: "formats/legacy-feb-2016.csv", line: 2 },
            },
        ]);
    });

    it("reads the May 2016 B2B CSV with its stray space in the header, cc and language", async () => {
        const roster = await rosterOfFixtures(["formats/legacy-may-2016.csv"]);
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(lines(roster.warnings), [
            "formats/legacy-may-2016.csv:1:1: the 2016 Azure AD B2B invitation service mailed every guest of such a file, but 1 of its 2 guests has no sendEmail or SendInvitationMessage value and no message, so it gets no invitation mail; add a SendInvitationMessage (or sendEmail) column with TRUE to mail them, or FALSE to confirm none",
            "formats/legacy-may-2016.csv:3:38: `language` is not used for mei.wong@proseware.com because `sendEmail` is false; set sendEmail to true, or delete it",
        ]);
        assert.equal(roster.files[0].format, "legacy-b2b");
        const [mei, raj] = roster.guests;
        assert.deepEqual(raj, {
            email: "raj.iyer@proseware.com",
            displayName: "Raj Iyer",
            redirectUrl: DEFAULT_URL,
            sendEmail: true,
            message: "Welcome aboard",
            cc: "lead@contoso.com",
            userType: "Guest",
            groups: ["Proseware Partners", "Finance Readers"],
            apps: [{ app: "Proseware Portal" }],
            onRemove: "delete",
            protect: false,
            source: { file: "formats/legacy-may-2016.csv", line: 2 },
        });
        assert.equal(mei.email, "mei.wong@proseware.com");
        assert.equal(mei.language, "zh-HANS");
        assert.equal(mei.sendEmail, false);
    });

    it("reads the PowerShell tutorial CSV, Name becoming the display name", async () => {
        const roster = await rosterOfFixtures(["formats/powershell.csv"]);
        assert.deepEqual(roster.errors, []);
        assert.equal(roster.files[0].format, "powershell");
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.displayName]),
            [
                ["sara.lind@wingtip.no", "Sara Lind"],
                ["tom.berg@wingtip.no", "Tom Berg"],
            ],
        );
    });

    it("prefers InvitedUserDisplayName over Name, falling back to Name when it is empty", () => {
        const roster = rosterOf({
            "ps.csv": "Name,InvitedUserEmailAddress,InvitedUserDisplayName,Message,RedirectUrl\nTom,tom@wingtip.no,Tom Berg (Wingtip),Hi,https://x.wingtip.no\nSara,sara@wingtip.no,,,\n",
        });
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.displayName, g.message, g.redirectUrl]),
            [
                ["sara@wingtip.no", "Sara", undefined, DEFAULT_URL],
                ["tom@wingtip.no", "Tom Berg (Wingtip)", "Hi", "https://x.wingtip.no"],
            ],
        );
    });

    it("reads the native CSV with every field, quoted commas and lists separated by ; or |", async () => {
        const roster = await rosterOfFixtures(["formats/native.csv"], MEMBERS_ALLOWED);
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(lines(roster.warnings), [
            "formats/native.csv:2:59: `language` is not used for ann.lee@fabrikam.com because `sendEmail` is false; set sendEmail to true, or delete it",
        ]);
        assert.equal(roster.files[0].format, "native-csv");
        assert.deepEqual(roster.guests, [
            {
                email: "ann.lee@fabrikam.com",
                displayName: "Ann Lee",
                redirectUrl: "https://portal.contoso.com",
                sendEmail: false,
                language: "de",
                userType: "Guest",
                groups: ["Partners", "Project X"],
                apps: [{ app: "Contoso Portal", role: "Reader" }, { app: "1b4f0c7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b" }],
                expires: "2027-06-30",
                onRemove: "delete",
                protect: false,
                source: { file: "formats/native.csv", line: 2 },
            },
            {
                email: "bo.chen@fabrikam.com",
                displayName: "Chen, Bo",
                redirectUrl: DEFAULT_URL,
                sendEmail: true,
                message: "Welcome, Bo",
                cc: "sponsor@contoso.com",
                userType: "Member",
                groups: [],
                apps: [],
                onRemove: "retain",
                protect: true,
                source: { file: "formats/native.csv", line: 3 },
            },
        ]);
    });

    it("detects European Excel's semicolons", async () => {
        const roster = await rosterOfFixtures(["formats/semicolon.csv"]);
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(roster.guests[0], {
            email: "chloe.martin@fourthcoffee.fr",
            displayName: "Chloé Martin",
            redirectUrl: DEFAULT_URL,
            sendEmail: true,
            userType: "Guest",
            groups: ["Partenaires"],
            apps: [{ app: "Portail Contoso", role: "Lecteur" }],
            expires: "2027-01-31",
            onRemove: "retain",
            protect: false,
            source: { file: "formats/semicolon.csv", line: 2 },
        });
    });

    it("decodes Excel's UTF-16 \"Unicode Text\" with its tabs", async () => {
        const roster = await rosterOfFixtures(["formats/excel-unicode-text.csv"]);
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.displayName, g.groups, g.source.line]),
            [
                ["asa.lund@woodgrove.se", "Åsa Lund", [], 3],
                ["jonas.berg@woodgrove.se", "Jonas Berg", ["Partners"], 2],
            ],
        );
    });

    it("refuses a Windows code page with the way to save UTF-8", async () => {
        const roster = await rosterOfFixtures(["formats/windows-1252.csv"]);
        assert.deepEqual(lines(roster.errors), [
            `formats/windows-1252.csv:1:1: the file is not UTF-8 text (Excel's "CSV (Comma delimited)" writes a Windows code page); in Excel use File > Save As > "CSV UTF-8 (Comma delimited)", or save it as UTF-8 in your editor`,
        ]);
        assert.deepEqual(roster.guests, []);
    });

    it("reads YAML with defaults, anchors, GUIDs lower-cased and the guest's fields winning", async () => {
        const roster = await rosterOfFixtures(["formats/partner.yaml"], MEMBERS_ALLOWED);
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(roster.warnings, []);
        assert.deepEqual(roster.files, [
            { file: "formats/partner.yaml", format: "yaml", guests: 2, mail: { mailed: 1, notMailed: 1, decidedBy: [{ reason: "entry", mailed: 1, notMailed: 0 }, { reason: "unsaid", mailed: 0, notMailed: 1 }] } },
        ]);
        assert.deepEqual(roster.guests, [
            {
                email: "ann.lee@fabrikam.com",
                displayName: "Ann Lee",
                redirectUrl: "https://partners.contoso.com",
                sendEmail: false,
                userType: "Guest",
                groups: ["Partners"],
                apps: [],
                onRemove: "retain",
                protect: false,
                source: { file: "formats/partner.yaml", line: 7 },
            },
            {
                email: "bo.chen@fabrikam.com",
                redirectUrl: "https://partners.contoso.com",
                sendEmail: true,
                language: "fr",
                userType: "Member",
                groups: ["Partners", "0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9"],
                apps: [{ app: "Contoso Portal", role: "Reader" }, { app: "1b4f0c7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b" }],
                onRemove: "delete",
                protect: true,
                source: { file: "formats/partner.yaml", line: 10 },
            },
        ]);
    });

    it("warns about columns it ignores, saying what to do", () => {
        const roster = rosterOf({
            "p.csv": "Email address to invite [inviteeEmail] Required,Notes,Team [team]\nann@fabrikam.com,vip,red\n",
            "s.csv": "Name,InvitedUserEmailAddress,Remarks\nBo,bo@fabrikam.com,Sales\n",
        });
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(lines(roster.warnings), [
            'p.csv:1:49: column "Notes" has no [property] name; it is ignored (the portal ignores it too); add the [property] name it stands for, or delete the column',
            'p.csv:1:55: column "Team [team]" is not a bulk-invite property (got "[team]"); it is ignored, delete it or use [inviteeEmail], [inviteRedirectURL], [sendEmail] or [customizedMessageBody]',
            "s.csv:1:1: the PowerShell bulk-invite tutorial's script invites with -SendInvitationMessage $true, but no guest of this file has a sendEmail or SendInvitationMessage value or a message, so nobody is mailed; add a SendInvitationMessage (or sendEmail) column with TRUE to mail them, or FALSE to confirm none",
            's.csv:1:30: column "Remarks" is not part of the powershell format; it is ignored, check its spelling or delete the column',
        ]);
        assert.deepEqual(roster.guests.map((g) => g.email), ["ann@fabrikam.com", "bo@fabrikam.com"]);
    });

    it("gives the same guests whatever the format they are written in", () => {
        const csv = rosterOf({ "a.csv": "email,displayName,groups\nann@fabrikam.com,Ann,Partners;Project X\n" });
        const yaml = rosterOf({ "a.yaml": "guests:\n  - email: ann@fabrikam.com\n    displayName: Ann\n    groups: [Partners, Project X]\n" });
        const strip = (r: typeof csv) => r.guests.map(({ source: _source, ...rest }) => rest);
        assert.deepEqual(strip(csv), strip(yaml));
        assert.equal(strip(csv).length, 1);
    });

    it("warns that a PowerShell-tutorial file sends no mail unless it says so", async () => {
        const silent = rosterOf({ "s.csv": "Name,InvitedUserEmailAddress\nTom Berg,tom@wingtip.no\n" });
        assert.deepEqual(lines(silent.warnings), ["s.csv:1:1: the PowerShell bulk-invite tutorial's script invites with -SendInvitationMessage $true, but no guest of this file has a sendEmail or SendInvitationMessage value or a message, so nobody is mailed; add a SendInvitationMessage (or sendEmail) column with TRUE to mail them, or FALSE to confirm none"]);
        assert.deepEqual(silent.guests.map((g) => [g.email, g.sendEmail]), [["tom@wingtip.no", false]]);
        const explicit = rosterOf({ "s.csv": "Name,InvitedUserEmailAddress,sendEmail\nTom Berg,tom@wingtip.no,TRUE\n" });
        assert.deepEqual(lines(explicit.warnings), []);
        assert.deepEqual(explicit.guests.map((g) => [g.email, g.sendEmail]), [["tom@wingtip.no", true]]);
    });
});
