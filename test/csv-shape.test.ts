import { strict as assert } from "assert";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { loadRoster } from "../roster";
import { readCsvFile } from "../roster/read/csv-file";
import { Problems } from "../roster/problems";
import { lines, OPTIONS, rosterOf } from "./helpers/roster";

// A CSV file's shape (cell counts, line endings, quotes, header names, size) must
// never silently drop, join or shift a guest: it is read correctly or refused at its line.

const PORTAL_HEADER =
    "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required," +
    "Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]";
const QUOTE_FIX = 'close the quote where the cell ends, and write a double quote inside a cell as ""';
const NATIVE_COLUMNS = "email, displayName, redirectUrl, sendEmail, message, language, cc, userType, groups, apps, expires, onRemove, protect, existingMember, givenName, surname, companyName, jobTitle, department, usageLocation, manager";

describe("csv shape: a file's shape never drops, joins or shifts a guest", () => {
    it("refuses a row with more cells than the header (an unquoted comma), at that row, saying to quote the cell", async () => {
        const roster = rosterOf({
            "native.csv": "email,displayName,groups\nann@x.com,Lee, Ann,Partners\nbo@x.com,Bo,Partners\n",
            "portal.csv": `${PORTAL_HEADER}\nlena@northwind.de,https://myapps.microsoft.com,TRUE,Welcome to Contoso, Lena. See you in Munich\n`,
            "semi.csv": "email;displayName\nchloe@fourthcoffee.fr;Martin; Chloé\n",
        });
        assert.deepEqual(lines(roster.errors), [
            'native.csv:2:20: the row has 4 cells but the header has 3 (got "ann@x.com,Lee, Ann,Partners"); quote the cell that contains a "," (wrap it in double quotes), or name the extra column in the header',
            'portal.csv:2:73: the row has 5 cells but the header has 4 (got "lena@northwind.de,https://myapps.microsoft.com,TRUE,Welcome to Contoso, Lena...."); quote the cell that contains a "," (wrap it in double quotes), or name the extra column in the header',
            'semi.csv:2:31: the row has 3 cells but the header has 2 (got "chloe@fourthcoffee.fr;Martin; Chloé"); quote the cell that contains a ";" (wrap it in double quotes), or name the extra column in the header',
        ]);
        // The row in error is not read at all: no guest in a group called "Ann".
        assert.deepEqual(roster.guests.map((g) => [g.email, g.groups]), [["bo@x.com", ["Partners"]]]);
    });

    it("refuses a row with fewer cells than the header, at that row", async () => {
        const roster = rosterOf({ "a.csv": "email,displayName,groups\nann@x.com,Ann\nbo@x.com,Bo,\n" });
        assert.deepEqual(lines(roster.errors), [
            'a.csv:2:1: the row has 2 cells but the header has 3 (got "ann@x.com,Ann"); add the missing cells, empty ones included, so that each value stays under its column',
        ]);
        assert.deepEqual(roster.guests.map((g) => g.email), ["bo@x.com"]);
    });

    it("accepts Excel's trailing empty cells and blank ,,, rows, but never a non-empty cell past the header", async () => {
        const roster = rosterOf({
            "excel.csv": "email,displayName,,\r\nann@x.com,Ann,,\r\nbo@x.com,Bo\r\n,,,\r\ncy@x.com,Cy,,,,\r\n",
            "extra.csv": "email,displayName\nann@y.com,Ann,,x\n",
        });
        assert.deepEqual(lines(roster.errors), [
            'extra.csv:2:16: the row has 4 cells but the header has 2 (got "ann@y.com,Ann,,x"); quote the cell that contains a "," (wrap it in double quotes), or name the extra column in the header',
        ]);
        assert.deepEqual(roster.warnings, []);
        assert.deepEqual(roster.guests.map((g) => [g.email, g.displayName, g.source.line]), [
            ["ann@x.com", "Ann", 2],
            ["bo@x.com", "Bo", 3],
            ["cy@x.com", "Cy", 5],
        ]);
    });

    it("refuses mixed line endings at the first line whose ending differs, instead of joining rows", async () => {
        const roster = rosterOf({
            "crlf-then-lf.csv": "email,displayName\r\nann@x.com,Ann\r\nbo@x.com,Bo\ncy@x.com,Cy\r\n",
            "lf-then-crlf.csv": "email,displayName\ndee@x.com,Dee\r\neve@x.com,Eve\n",
        });
        assert.deepEqual(lines(roster.errors), [
            'crlf-then-lf.csv:3:12: the line ends in LF where the lines before it end in CRLF (got "\\n"); mixed line endings join rows, save the file with one kind of line ending (all CRLF or all LF)',
            'lf-then-crlf.csv:2:14: the line ends in CRLF where the lines before it end in LF (got "\\r\\n"); mixed line endings join rows, save the file with one kind of line ending (all CRLF or all LF)',
        ]);
        // The rows are still read one by one, so their own errors can come out in the same run.
        assert.deepEqual(roster.guests.map((g) => [g.email, g.displayName, g.source.line]), [
            ["ann@x.com", "Ann", 2],
            ["bo@x.com", "Bo", 3],
            ["cy@x.com", "Cy", 4],
            ["dee@x.com", "Dee", 2],
            ["eve@x.com", "Eve", 3],
        ]);
    });

    it("reports the rows' own errors beside mixed line endings, in one run", async () => {
        const roster = rosterOf({ "a.csv": "email,displayName,groups\r\nann@x.com,Lee, Ann,Partners\r\nbo@x.com,Bo,Partners\nc@x.com,C\n" });
        assert.deepEqual(lines(roster.errors), [
            'a.csv:2:20: the row has 4 cells but the header has 3 (got "ann@x.com,Lee, Ann,Partners"); quote the cell that contains a "," (wrap it in double quotes), or name the extra column in the header',
            'a.csv:3:21: the line ends in LF where the lines before it end in CRLF (got "\\n"); mixed line endings join rows, save the file with one kind of line ending (all CRLF or all LF)',
            'a.csv:4:1: the row has 2 cells but the header has 3 (got "c@x.com,C"); add the missing cells, empty ones included, so that each value stays under its column',
        ]);
    });

    it("keeps Excel's LF inside a quoted cell of a CRLF file: it is not a mixed line ending", async () => {
        const roster = rosterOf({ "a.csv": 'email,message\r\nann@x.com,"Hi Ann,\nwelcome"\r\nbo@x.com,Hi\r\n' });
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(roster.guests.map((g) => [g.email, g.message, g.source.line]), [
            ["ann@x.com", "Hi Ann,\nwelcome", 2],
            ["bo@x.com", "Hi", 4],
        ]);
    });

    it("refuses a stray quote whose cell swallows lines that look like rows, at the line where it opens", async () => {
        const roster = rosterOf({
            "parsed.csv": 'email,displayName,message\nann@x.com,"Ann Lee,Hi\nbo@x.com,Bo,Hello\ncy@x.com,Cy,Hey"\n',
            "broken.csv": 'email,displayName,message\nann@x.com,"Ann,Hi\nbo@x.com,Bo,Hello\ncy@x.com,Cy,"Hey"\n',
            "inline.csv": 'email,displayName\nann@x.com,"Ann"Lee\n',
            "fine.csv": 'email,message\ndee@x.com,"Dear Dee,\nsee you in Munich, Tuesday"\n',
        });
        assert.deepEqual(lines(roster.errors), [
            `broken.csv:2:11: the quoted cell that opens here runs to line 4, where text follows its closing quote (got "\\"Ann,Hi"); ${QUOTE_FIX}`,
            `inline.csv:2:11: text follows the closing quote of the quoted cell that opens here (got "\\"Ann\\"Lee"); ${QUOTE_FIX}`,
            `parsed.csv:2:11: the quoted cell that opens here runs to line 4 over lines that look like rows (got "\\"Ann Lee,Hi"); ${QUOTE_FIX}`,
        ]);
        assert.deepEqual(roster.guests.map((g) => g.email), ["dee@x.com"]);
    });

    it("reports an unclosed quote at the line where it opens, not at the end of the file", async () => {
        const roster = rosterOf({ "a.csv": 'email,displayName\nann@x.com,"Ann\nbo@x.com,Bo\ncy@x.com,Cy\n' });
        assert.deepEqual(lines(roster.errors), [`a.csv:2:11: the quoted cell that opens here is never closed (got "\\"Ann"); ${QUOTE_FIX}`]);
        assert.deepEqual(roster.guests, []);
    });

    it("honours guest-field columns in every format: one legacy column does not turn a native file legacy", async () => {
        const roster = rosterOf({
            "native.csv": "email,displayName,groups,expires,onRemove,InvitationText\nann@x.com,Ann,Partners,2026-01-31,retain,Hi Ann\nbo@x.com,Bo,Partners,,retain,\n",
            "portal.csv": `${PORTAL_HEADER},groups,onRemove\ncy@x.com,,FALSE,,Project X,retain\n`,
            "legacy.csv": "Email,DisplayName,InvitedToGroups,expires,onRemove\ndee@x.com,Dee,Partners,2027-06-30,retain\n",
            "ps.csv": "Name,InvitedUserEmailAddress,groups,protect\nEd,ed@x.com,Partners,true\n",
        });
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(lines(roster.warnings), [
            "native.csv:2:24: ann@x.com expired on 2026-01-31: it is left out, so the next `pulumi up` stops managing the user (onRemove: retain) and removes its memberships and app assignments; delete the entry, or move `expires` later to keep access",
            "ps.csv:1:1: the PowerShell bulk-invite tutorial's script invites with -SendInvitationMessage $true, but no guest of this file has a sendEmail or SendInvitationMessage value or a message, so nobody is mailed; add a SendInvitationMessage (or sendEmail) column with TRUE to mail them, or FALSE to confirm none",
        ]);
        assert.deepEqual(roster.files.map((f) => [f.file, f.format]), [
            ["native.csv", "native-csv"],
            ["portal.csv", "portal"],
            // Our columns beside legacy ones make a native file: every column honoured, unknown ones refused.
            ["legacy.csv", "native-csv"],
            ["ps.csv", "powershell"],
        ]);
        // Ann's access ended: she is left out, not invited.
        assert.deepEqual(roster.expired.map((g) => [g.email, g.expires, g.message]), [["ann@x.com", "2026-01-31", "Hi Ann"]]);
        assert.deepEqual(roster.guests.map((g) => [g.email, g.groups, g.expires, g.onRemove, g.protect]), [
            ["bo@x.com", ["Partners"], undefined, "retain", false],
            ["cy@x.com", ["Project X"], undefined, "retain", false],
            ["dee@x.com", ["Partners"], "2027-06-30", "retain", false],
            ["ed@x.com", ["Partners"], undefined, "delete", true],
        ]);
    });

    it("refuses a guest field given twice under a format's name and ours, and a misspelt guest field in any format", async () => {
        const roster = rosterOf({
            "legacy.csv": "Email,InvitedToGroups,groups\nann@x.com,A,B\n",
            "portal.csv": `${PORTAL_HEADER},Group,Notes\nbo@x.com,,FALSE,,Partners,vip\n`,
        });
        assert.deepEqual(lines(roster.errors), [
            'legacy.csv:1:23: columns "InvitedToGroups" and "groups" both set `groups`; delete one of them',
            'portal.csv:1:200: column "Group" is not a guest field; did you mean `groups`? rename the column, or delete it',
        ]);
        assert.deepEqual(lines(roster.warnings), [
            'portal.csv:1:206: column "Notes" has no [property] name; it is ignored (the portal ignores it too); add the [property] name it stands for, or delete the column',
        ]);
    });

    it("treats columns named like Object.prototype members as unknown columns, never leaking JavaScript internals", async () => {
        const roster = rosterOf({
            "native.csv": "email,constructor,__proto__,toString,hasOwnProperty\nann@x.com,a,b,c,d\n",
            "portal.csv": `${PORTAL_HEADER},Thing [constructor]\nbo@x.com,,FALSE,,x\n`,
            "legacy.csv": "Email,InvitedToGroups,constructor\ncy@x.com,Partners,x\n",
        });
        assert.deepEqual(lines(roster.errors), [
            `native.csv:1:7: column "constructor" is neither a guest field nor a user property; rename it to one of ${NATIVE_COLUMNS}, or delete the column`,
            `native.csv:1:19: column "__proto__" is neither a guest field nor a user property; rename it to one of ${NATIVE_COLUMNS}, or delete the column`,
            `native.csv:1:29: column "toString" is neither a guest field nor a user property; rename it to one of ${NATIVE_COLUMNS}, or delete the column`,
            `native.csv:1:38: column "hasOwnProperty" is neither a guest field nor a user property; rename it to one of ${NATIVE_COLUMNS}, or delete the column`,
        ]);
        assert.deepEqual(lines(roster.warnings), [
            'legacy.csv:1:1: the 2016 Azure AD B2B invitation service mailed every guest of such a file, but no guest of this file has a sendEmail or SendInvitationMessage value or a message, so nobody is mailed; add a SendInvitationMessage (or sendEmail) column with TRUE to mail them, or FALSE to confirm none',
            'legacy.csv:1:1: the legacy B2B header has no DisplayName column; guests get no display name until they redeem',
            'legacy.csv:1:23: column "constructor" is not part of the legacy-b2b format; it is ignored, check its spelling or delete the column',
            'portal.csv:1:200: column "Thing [constructor]" is not a bulk-invite property (got "[constructor]"); it is ignored, delete it or use [inviteeEmail], [inviteRedirectURL], [sendEmail] or [customizedMessageBody]',
        ]);
        const all = JSON.stringify([roster.errors, roster.warnings]);
        assert.ok(!/native code|function|\[object/.test(all), all);
    });

    it("says `did you mean email` on a misspelt email header cell, in any format", async () => {
        const roster = rosterOf({
            "a.csv": "emial,displayName\nann@x.com,Ann\n",
            "b.csv": "displayName,e-mail\nAnn,ann@x.com\n",
            "c.csv": "Emial Address,DisplayName,InvitedToGroups\nann@x.com,Ann,Partners\n",
            "d.csv": "name,company\nAnn,Fabrikam\n",
        });
        assert.deepEqual(lines(roster.errors), [
            'a.csv:1:1: the header row names no email column (got "emial"); did you mean `email`? rename the column to email',
            'b.csv:1:13: the header row names no email column (got "e-mail"); did you mean `email`? rename the column to email',
            'c.csv:1:1: the header row names no email column (got "Emial Address"); did you mean `email`? rename the column to email',
            // Nothing like an email column: the header is not one we read at all.
            'd.csv:1:1: the header row names no email column (got "name,company"); start the file with a header like email,displayName,groups, or the portal template (`entra-guests template`)',
        ]);
        assert.deepEqual(roster.warnings, []);
    });

    it("skips the portal template's example row in every language it ships in, with the English warning", async () => {
        const examples = ["Beispiel:", "Exemple :", "Ejemplo:", "Esempio:", "Exemplo:", "Voorbeeld:", "例:", "例：", "示例:", "예:"];
        const rows = examples.map((e) => `${e}    someone@fabrikam.com,https://myapplications.microsoft.com,TRUE,Welcome`);
        const roster = rosterOf({ "p.csv": [PORTAL_HEADER, ...rows, "ann@x.com,,FALSE,", ""].join("\n") });
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(
            lines(roster.warnings),
            examples.map((e, i) => `p.csv:${i + 2}:1: the row is the template's example (got ${JSON.stringify(`${e}    someone@fabrikam.com`)}); it is skipped, delete it from the file`),
        );
        assert.deepEqual(roster.guests.map((g) => g.email), ["ann@x.com"]);
    });

    it("honours and skips Excel's sep= first line", async () => {
        const roster = rosterOf({
            "semi.csv": "sep=;\r\nemail;displayName\r\nann@x.com;Lee, Ann\r\nbo@x.com;Bo\r\n",
            "comma.csv": "sep=,\nemail,displayName,sendEmail\ncy@x.com,Cy,perhaps\n",
        });
        assert.deepEqual(lines(roster.errors), ['comma.csv:3:13: `sendEmail` must be true or false (got "perhaps"); write true, false, yes, no, 1 or 0']);
        assert.deepEqual(roster.guests.map((g) => [g.email, g.displayName, g.source.line]), [
            ["ann@x.com", "Lee, Ann", 3],
            ["bo@x.com", "Bo", 4],
        ]);
    });

    it("validates a file of 200,000 rows without crashing", async () => {
        const rows = ["email,displayName,groups"];
        for (let i = 0; i < 200_000; i++) rows.push(`user${i}@fabrikam.com,User ${i},Partners`);
        const roster = rosterOf({ "big.csv": rows.join("\n") + "\n", "small.csv": "email\nbad\n" });
        assert.deepEqual(lines(roster.errors), ['small.csv:2:1: `email` is not an email address (got "bad"); write it as name@domain, like ann@fabrikam.com']);
        assert.equal(roster.guests.length, 200_000);
        assert.deepEqual(roster.files, [
            { file: "big.csv", format: "native-csv", guests: 200_000, mail: { mailed: 0, notMailed: 200_000, decidedBy: [{ reason: "unsaid", mailed: 0, notMailed: 200_000 }] } },
            { file: "small.csv", format: "native-csv", guests: 0, mail: { mailed: 0, notMailed: 0, decidedBy: [] } },
        ]);
    });

    it("turns a crash while reading one CSV file into an error naming that file, keeping the others' problems", async () => {
        const problems = new Problems();
        problems.error({ file: "other.csv", line: 2 }, "an earlier file's error");
        const exploding = Buffer.from("email\nann@x.com\n");
        exploding.toString = () => {
            throw new RangeError("Maximum call stack size exceeded");
        };
        const read = readCsvFile("big.csv", exploding, problems);
        assert.deepEqual(read.guests, []);
        assert.deepEqual(lines(problems.errors), [
            "other.csv:2: an earlier file's error",
            `big.csv: reading the file failed unexpectedly (got "RangeError: Maximum call stack size exceeded"); this is a bug in entra-guests, report it with the file's shape (not its addresses)`,
        ]);
    });

    it("reads the shape checks the same through loadRoster from disk", async () => {
        const dir = await fs.mkdtemp(path.join(os.tmpdir(), "csv-shape-"));
        try {
            await fs.writeFile(path.join(dir, "a.csv"), "email,displayName,groups\r\nann@x.com,Lee, Ann,Partners\r\n");
            await fs.writeFile(path.join(dir, "b.csv"), "sep=;\nemail;displayName\nbo@x.com;Bo, B\n");
            const roster = await loadRoster(["."], { ...OPTIONS, cwd: dir });
            assert.deepEqual(lines(roster.errors), [
                'a.csv:2:20: the row has 4 cells but the header has 3 (got "ann@x.com,Lee, Ann,Partners"); quote the cell that contains a "," (wrap it in double quotes), or name the extra column in the header',
            ]);
            assert.deepEqual(roster.guests.map((g) => [g.email, g.displayName]), [["bo@x.com", "Bo, B"]]);
        } finally {
            await fs.rm(dir, { recursive: true, force: true });
        }
    });
});
