import { strict as assert } from "assert";
import { lines, rosterOf } from "./helpers/roster";

// A large YAML file is read with its aliases resolved only when it has one: its
// problems keep their exact line and column, all of them at once, wherever they are.

const KEYS = "the keys are email, displayName, redirectUrl, sendEmail, message, language, cc, userType, groups, apps, expires, onRemove, protect, existingMember, givenName, surname, companyName, jobTitle, department, usageLocation, manager";

/** One guest entry of a generated file, as the bench writes them, with `extra` lines under it. */
const entry = (i: number, extra: string[] = []): string[] => [`  - email: guest.${i}@fabrikam.com`, `    displayName: Guest ${i}`, `    groups: [Group ${i % 50}, Group ${(i + 7) % 50}]`, ...extra];

/** `count` guests; `edit` may replace the lines of any entry. */
function bigFile(count: number, edit: (i: number, lines: string[]) => string[] = (_i, l) => l): string {
    const out = ["guests:"];
    for (let i = 0; i < count; i++) out.push(...edit(i, entry(i)));
    return `${out.join("\n")}\n`;
}

/** The 1-based line of the first line of `text` equal to `line`. */
function lineOf(text: string, line: string): number {
    const i = text.split("\n").indexOf(line);
    assert.ok(i >= 0, `no line ${JSON.stringify(line)}`);
    return i + 1;
}

describe("a 5,000-guest YAML file keeps exact positions", () => {
    it("reports a bad entry near the end, and every other one, at its line and column", async () => {
        const text = bigFile(5000, (i, l) => {
            if (i === 2) return [...l, "    displayName2: x"];
            if (i === 4990) return [...l, "    groupz: [A]"];
            if (i === 4991) return [l[0].replace("@", "@@"), ...l.slice(1)];
            return l;
        });
        const roster = rosterOf({ "guests/big.yaml": text });
        assert.deepEqual(lines(roster.errors), [
            `guests/big.yaml:${lineOf(text, "    displayName2: x")}:5: unknown key \`displayName2\` in a guest; did you mean \`displayName\`? ${KEYS}`,
            `guests/big.yaml:${lineOf(text, "    groupz: [A]")}:5: unknown key \`groupz\` in a guest; did you mean \`groups\`? ${KEYS}`,
            `guests/big.yaml:${lineOf(text, "  - email: guest.4991@@fabrikam.com")}:12: \`email\` is not an email address (got "guest.4991@@fabrikam.com"); write it as name@domain, like ann@fabrikam.com`,
        ]);
        assert.deepEqual([lineOf(text, "    groupz: [A]"), lineOf(text, "  - email: guest.4991@@fabrikam.com")], [14976, 14977]);
        assert.equal(roster.guests.length, 4997);
    });

    it("names both places of an address declared in the big file and in a CSV file", async () => {
        const text = bigFile(5000);
        const roster = rosterOf({ "guests/big.yaml": text, "guests/more.csv": "email,displayName\nnew@litware.com,New\nGUEST.4999@Fabrikam.com,Again\n" });
        const yamlLine = lineOf(text, "  - email: guest.4999@fabrikam.com");
        assert.equal(yamlLine, 14999);
        assert.deepEqual(lines(roster.errors), [
            `guests/more.csv:3: \`email\` guest.4999@fabrikam.com is declared 2 times (guests/big.yaml:${yamlLine}, guests/more.csv:3); keep one declaration and delete the others`,
        ]);
    });

    it("names both places of an address declared in the big file and again in another YAML file", async () => {
        const a = bigFile(5000);
        const b = ["guests:", "  - email: new@litware.com", "  - email: Guest.4321@fabrikam.com", ""].join("\n");
        const roster = rosterOf({ "guests/a.yaml": a, "guests/b.yaml": b });
        const line = lineOf(a, "  - email: guest.4321@fabrikam.com");
        assert.equal(line, 12965);
        assert.deepEqual(lines(roster.errors), [`guests/b.yaml:3: \`email\` guest.4321@fabrikam.com is declared 2 times (guests/a.yaml:${line}, guests/b.yaml:3); keep one declaration and delete the others`]);
    });

    it("reads an alias met only near the end, and locates an alias that names no anchor", async () => {
        const good = bigFile(5000, (i, l) => {
            if (i === 0) return [l[0], l[1], "    groups: &pair [Group 1, Group 2]"];
            if (i === 4998) return [l[0], l[1], "    groups: *pair"];
            return l;
        });
        const bad = bigFile(3, (i, l) => (i === 2 ? [l[0], l[1], "    groups: *nope"] : l)).replace(/guest\./g, "bad.");
        const roster = rosterOf({ "guests/good.yaml": good, "guests/bad.yaml": bad });
        assert.deepEqual(lines(roster.errors), [
            `guests/bad.yaml:${lineOf(bad, "    groups: *nope")}:13: the alias *nope names no anchor before it; write &nope on the value it stands for, above this line, or write the value out`,
        ]);
        const late = roster.guests.find((g) => g.email === "guest.4998@fabrikam.com");
        assert.deepEqual([late?.groups, late?.source], [["Group 1", "Group 2"], { file: "guests/good.yaml", line: lineOf(good, "  - email: guest.4998@fabrikam.com") }]);
        assert.equal(roster.guests.length, 5000);
    });
});
