import { strict as assert } from "assert";
import { csvCell, guardFormula, unguardFormula } from "../roster/read/csv-cells";
import { rosterOf } from "./helpers/roster";

describe("csv cells: the formula guard", () => {
    it("puts a ' before what a spreadsheet would run, and the reader takes exactly that ' off", async () => {
        const table: [string, string][] = [
            ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
            ["+1", "'+1"],
            ["-2", "'-2"],
            ["@sum", "'@sum"],
            ["\tx", "'\tx"],
            ["\rx", "'\rx"],
            ["'=x", "''=x"],
            ["''-x", "'''-x"],
            ["'x", "'x"],
            ["'", "'"],
            ["Ann", "Ann"],
            ["a=b", "a=b"],
            ["", ""],
        ];
        for (const [text, guarded] of table) {
            assert.equal(guardFormula(text), guarded, JSON.stringify(text));
            assert.equal(unguardFormula(guarded), text, JSON.stringify(text));
        }
    });

    it("quotes as RFC 4180 after guarding, and when white space at an end would be trimmed", async () => {
        assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
        assert.equal(csvCell("Lee, Ann"), '"Lee, Ann"');
        assert.equal(csvCell(" Ann"), '" Ann"');
        assert.equal(csvCell("Ann\nLee"), '"Ann\nLee"');
        assert.equal(csvCell("Ann"), "Ann");
    });

    it("reads a guarded cell in every CSV dialect, and any other ' as text", async () => {
        const roster = rosterOf({
            "native.csv": "email,displayName,groups\nann@fabrikam.com,'=1+1,'-Sales;'=Ops\nbo@fabrikam.com,'Bo',Partners\n",
            "powershell.csv": "Name,InvitedUserEmailAddress,sendEmail\n'+Cy,cy@fabrikam.com,false\n",
        });
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.displayName, g.groups]),
            [
                ["ann@fabrikam.com", "=1+1", ["-Sales", "'=Ops"]],
                ["bo@fabrikam.com", "'Bo'", ["Partners"]],
                ["cy@fabrikam.com", "+Cy", []],
            ],
        );
    });
});
