import { strict as assert } from "assert";
import { lines, OPTIONS, rosterOf } from "./helpers/roster";

describe("roster: validation across rows, files and defaults", () => {
    it("reports the same email in two files and any case as one error naming every location", async () => {
        const roster = rosterOf({
            "guests/a.csv": "email,displayName\nann@fabrikam.com,Ann\nbo@fabrikam.com,Bo\n",
            "guests/b.yaml": "guests:\n  - email: ANN@Fabrikam.com\n  - email: cy@fabrikam.com\n",
            "guests/c.csv": "email\nAnn@fabrikam.com\n",
        });
        assert.deepEqual(lines(roster.errors), [
            "guests/b.yaml:2: `email` ann@fabrikam.com is declared 3 times (guests/a.csv:2, guests/b.yaml:2, guests/c.csv:2); keep one declaration and delete the others",
            "guests/c.csv:2: `email` ann@fabrikam.com is declared 3 times (guests/a.csv:2, guests/b.yaml:2, guests/c.csv:2); keep one declaration and delete the others",
        ]);
    });

    it("collects every problem of every file in one run, sorted by file and line", async () => {
        const roster = rosterOf({
            "b.csv": "email,sendEmail,groups\nann+x@fabrikam.com,perhaps,Partners\n,true,\n",
            "a.yaml": "guests:\n  - email: bo@fabrikam.com\n    userType: Owner\n    grups: [Partners]\n",
        });
        assert.deepEqual(lines(roster.errors), [
            "a.yaml:3:15: `userType` must be Guest or Member (got \"Owner\"); write Guest, or Member for an invited member",
            "a.yaml:4:5: unknown key `grups` in a guest; did you mean `groups`? the keys are email, displayName, redirectUrl, sendEmail, message, language, cc, userType, groups, apps, expires, onRemove, protect, existingMember, givenName, surname, companyName, jobTitle, department, usageLocation, manager",
            "b.csv:2:1: `email` contains \"+\", which Graph refuses in invited addresses (got \"ann+x@fabrikam.com\"); invite the address without the plus tag, like ann@fabrikam.com",
            "b.csv:2:20: `sendEmail` must be true or false (got \"perhaps\"); write true, false, yes, no, 1 or 0",
            "b.csv:3:1: `email` is missing; every guest needs the address the invitation goes to",
        ]);
        assert.deepEqual(roster.guests, []);
    });

    it("applies config defaults < file defaults < the row", async () => {
        const roster = rosterOf(
            {
                "p.yaml": [
                    "defaults:",
                    "  redirectUrl: https://file.contoso.com",
                    "  groups: [Partners]",
                    "  onRemove: retain",
                    "guests:",
                    "  - email: a@fabrikam.com",
                    "  - email: b@fabrikam.com",
                    "    redirectUrl: https://row.contoso.com",
                    "    groups: [Project X]",
                    "",
                ].join("\n"),
                "q.csv": "email\nc@fabrikam.com\n",
            },
            { ...OPTIONS, defaultRedirectUrl: "https://config.contoso.com" },
        );
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.redirectUrl, g.groups, g.onRemove]),
            [
                ["a@fabrikam.com", "https://file.contoso.com", ["Partners"], "retain"],
                ["b@fabrikam.com", "https://row.contoso.com", ["Project X"], "retain"],
                ["c@fabrikam.com", "https://config.contoso.com", [], "delete"],
            ],
        );
    });

    it("sends mail by default only when a message is given, and says a language beside a message is ignored", async () => {
        const roster = rosterOf({
            "m.yaml": [
                "defaults:",
                "  language: de",
                "guests:",
                "  - email: a@fabrikam.com",
                "    message: Willkommen",
                "  - email: b@fabrikam.com",
                "  - email: c@fabrikam.com",
                "    sendEmail: true",
                "",
            ].join("\n"),
        });
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(lines(roster.warnings), [
            'm.yaml:2:13: `language` is ignored for a@fabrikam.com because a custom `message` is given (got "de"); delete one of the two',
            "m.yaml:2:13: `language` is not used for b@fabrikam.com because `sendEmail` is false; set sendEmail to true, or delete it",
        ]);
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.sendEmail, g.message, g.language]),
            [
                ["a@fabrikam.com", true, "Willkommen", undefined],
                ["b@fabrikam.com", false, undefined, "de"],
                ["c@fabrikam.com", true, undefined, "de"],
            ],
        );
    });

    it("refuses `email` in defaults and unknown keys anywhere, with a hint", async () => {
        const roster = rosterOf({
            "d.yaml": "defaults:\n  email: x@fabrikam.com\n  redirectURL: https://x.contoso.com\ngest:\n  - email: a@fabrikam.com\n",
        });
        assert.deepEqual(lines(roster.errors), [
            "d.yaml:2:3: `email` cannot be a default; every guest has its own address, move it into a guest",
            "d.yaml:3:3: unknown key `redirectURL` in a `defaults` mapping; did you mean `redirectUrl`? the keys are displayName, redirectUrl, sendEmail, message, language, cc, userType, groups, apps, expires, onRemove, protect, existingMember, givenName, surname, companyName, jobTitle, department, usageLocation, manager",
            "d.yaml:4:1: unknown top-level key `gest`; did you mean `guests`? a guest file has `defaults`, `guests`, `policy`, `catalog`",
        ]);
        assert.deepEqual(lines(roster.warnings), ["d.yaml:1:1: the file has no `guests` list; add one, or delete the file"]);
    });

    it("refuses broken YAML, custom tags and alias bombs quickly, without a stack trace", async () => {
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
        for (let i = 0, prev = "a"; i < 12; prev = `b${i}`, i++) bomb += `b${i}: &b${i} [${Array(9).fill(`*${prev}`).join(", ")}]\n`;
        const started = Date.now();
        const roster = rosterOf({
            "broken.yaml": "guests:\n  - email: a@fabrikam.com\n   displayName: [\n",
            "tag.yaml": "guests:\n  - email: !!js/function 'x'\n",
            "bomb.yaml": bomb,
            "scalar.yaml": "just a string\n",
            "notlist.yaml": "guests:\n  email: a@fabrikam.com\n",
        });
        assert.ok(Date.now() - started < 2000, "an alias bomb must be refused quickly");
        assert.deepEqual(lines(roster.errors), [
            "bomb.yaml:1:1: the file uses too many YAML aliases (Excessive alias count indicates a resource exhaustion attack); write the values out instead of nesting aliases",
            "broken.yaml:3:1: the file is not valid YAML: Sequence item without - indicator; fix the syntax at this spot",
            "broken.yaml:4:1: the file is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]; fix the syntax at this spot",
            'notlist.yaml:2:3: `guests` must be a list (got "{\\"email\\":\\"a@fabrikam.com\\"}"); write each guest as a "- email: ..." item',
            'scalar.yaml:1:1: the file must be a mapping with `guests` (got "just a string"); start it with "guests:" followed by a list of guests',
            "tag.yaml:2:12: custom YAML tags are not allowed (Unresolved tag: tag:yaml.org,2002:js/function); remove the tag and write the plain value",
        ]);
    });

    it("refuses CSV headers it cannot read, typo'd native columns and two columns for one field", async () => {
        const roster = rosterOf({
            "a.csv": "mail,name\nann@fabrikam.com,Ann\n",
            "b.csv": "email,grups,displayName\nbo@fabrikam.com,Partners,Bo\n",
            "c.csv": "Email,DisplayName,InviteRedirectUrl,InviteReplyUrl\nann@fabrikam.com,Ann,https://a.contoso.com,https://b.contoso.com\n",
            "d.csv": "email,message\nann@fabrikam.com,\"Hello\n",
        });
        assert.deepEqual(lines(roster.errors), [
            'a.csv:1:1: the header row names no email column (got "mail"); did you mean `email`? rename the column to email',
            'b.csv:1:7: column "grups" is neither a guest field nor a user property; did you mean `groups`? rename it to one of email, displayName, redirectUrl, sendEmail, message, language, cc, userType, groups, apps, expires, onRemove, protect, existingMember, givenName, surname, companyName, jobTitle, department, usageLocation, manager, or delete the column',
            'c.csv:1:37: columns "InviteRedirectUrl" and "InviteReplyUrl" both set `redirectUrl`; delete one of them',
            'd.csv:2:18: the quoted cell that opens here is never closed (got "\\"Hello"); close the quote where the cell ends, and write a double quote inside a cell as ""',
        ]);
    });

    it("says where a bad value sits when a quoted cell spans lines", async () => {
        const roster = rosterOf({ "q.csv": 'email,message,sendEmail\r\na@fabrikam.com,"line one\r\nline two",sometimes\r\n' });
        assert.deepEqual(lines(roster.errors), [
            'q.csv:3:11: `sendEmail` must be true or false (got "sometimes"); write true, false, yes, no, 1 or 0',
        ]);
    });

    it("warns about an empty file instead of failing", async () => {
        const roster = rosterOf({ "empty.csv": "\r\n\r\n", "empty.yaml": "# nothing yet\n" });
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(lines(roster.warnings), [
            "empty.csv: the file declares no guests; add a header row and one row per guest, or delete the file",
            "empty.yaml:1:1: the file is empty; add a `guests:` list, or delete the file",
        ]);
    });
});
