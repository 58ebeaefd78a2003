import { strict as assert } from "assert";
import { csvCell } from "../roster/read/csv-cells";
import { AppItem, readAppList, readList, writeAppList, writeList } from "../roster/read/list-cells";
import { rosterOf } from "./helpers/roster";

/** Names that hold the list cells' separators, the role's ":", the escape, quotes and spreadsheet starts. */
const TRICKY = [
    "Sales; EMEA",
    "A|B",
    "Portal:EU",
    "api:read",
    ":",
    ";",
    "|",
    "::",
    "Portal: EU: x",
    "\\",
    "ends\\",
    "\\starts",
    "Dom\\Users",
    "a\\;b",
    "a\\\\;b",
    "x\\:y",
    'Say "hi", then go',
    "O'Brien",
    "=SUM(A1)",
    "-x",
    "Ünïcødé 👩‍💻",
];

/** A small deterministic generator, so the random names are the same on every run. */
function* randomNames(count: number): Generator<string> {
    const alphabet = ["a", "b", ";", "|", ":", "\\", '"', " ", "'", ","];
    let seed = 20261125;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < count; n++) {
        const length = 1 + (next() % 7);
        const name = Array.from({ length }, () => alphabet[next() % alphabet.length]).join("").trim();
        // Names are trimmed in every format; a blank one is no name.
        if (name !== "") yield name;
    }
}

describe("list cells: every group, app and role name reads back as written", () => {
    it("writes and reads each tricky name, and every pair of them, as a group list", async () => {
        for (const name of TRICKY) assert.deepEqual(readList(writeList([name])), [name], JSON.stringify(name));
        for (const a of TRICKY) for (const b of TRICKY) assert.deepEqual(readList(writeList([a, b])), [a, b], JSON.stringify([a, b]));
    });

    it("writes and reads every tricky app with every tricky role, and with default access", async () => {
        for (const app of TRICKY) {
            for (const role of [undefined, ...TRICKY]) {
                const items: AppItem[] = [role === undefined ? { app } : { app, role }, { app: "Other", role: "Reader" }];
                assert.deepEqual(readAppList(writeAppList(items)), items, JSON.stringify(items));
            }
        }
    });

    it("round-trips 2,000 random names made of separators, escapes, quotes and spaces", async () => {
        const names = [...randomNames(2000)];
        for (let i = 0; i + 1 < names.length; i += 2) {
            const [a, b] = [names[i], names[i + 1]];
            assert.deepEqual(readList(writeList([a, b])), [a, b], JSON.stringify([a, b]));
            assert.deepEqual(readAppList(writeAppList([{ app: a, role: b }, { app: b }])), [{ app: a, role: b }, { app: b }], JSON.stringify([a, b]));
        }
    });

    it("reads cells without escapes as the plain split: ; and |, the last : of an app, any other backslash as text", async () => {
        assert.deepEqual(readList(" Partners ; Project X|Dom\\Users ;; "), ["Partners", "Project X", "Dom\\Users"]);
        assert.deepEqual(readAppList("Contoso Portal:Reader; Wiki |Portal: EU:Reader|:Odd|Trail:"), [
            { app: "Contoso Portal", role: "Reader" },
            { app: "Wiki" },
            { app: "Portal: EU", role: "Reader" },
            { app: ":Odd" },
            { app: "Trail" },
        ]);
        assert.deepEqual(readAppList("C:\\Apps\\Portal:Reader"), [{ app: "C:\\Apps\\Portal", role: "Reader" }]);
        assert.deepEqual(readAppList("Portal\\:EU:api\\:read;Sales\\; EMEA"), [{ app: "Portal:EU", role: "api:read" }, { app: "Sales; EMEA" }]);
    });

    it("reads a native CSV that adopt's writer made, through the roster's rules, exactly as written", async () => {
        const rows = TRICKY.map((name, i) => {
            const apps = [{ app: name, role: TRICKY[(i + 1) % TRICKY.length] }, { app: `${name} 2` }];
            return { email: `g${i}@fabrikam.com`, groups: TRICKY, apps };
        });
        const csv = ["email,groups,apps", ...rows.map((r) => [r.email, writeList(r.groups), writeAppList(r.apps)].map(csvCell).join(","))].join("\n");
        const roster = rosterOf({ "a.csv": `${csv}\n` });
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(
            roster.guests.map((g) => ({ email: g.email, groups: g.groups, apps: g.apps })),
            // The roster lists guests by address.
            [...rows].sort((a, b) => (a.email < b.email ? -1 : 1)),
        );
    });
});
