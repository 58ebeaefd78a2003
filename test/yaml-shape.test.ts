import { strict as assert } from "assert";
import { promises as fs } from "fs";
import { runCli, tempProject } from "./helpers/cli";
import { lines, rosterOf } from "./helpers/roster";

// A YAML file's shape must never silently change, drop or join what a guest declares.

/** A file of one guest whose fields are `fields` (YAML lines under the entry). */
const guest = (...fields: string[]): string => ["guests:", "  - email: ann@fabrikam.com", ...fields.map((f) => `    ${f}`), ""].join("\n");

describe("YAML guest files keep their shape", () => {
    it("keeps text fields as written (007, 1.10, 0x1F, 1e3, .inf), not as YAML numbers", async () => {
        const roster = rosterOf({
            "n.yaml": [
                "catalog:",
                "  groups:",
                "    team: 0x1F",
                "guests:",
                "  - email: a@fabrikam.com",
                "    displayName: 007",
                "    message: 1.10",
                "    groups: [007, 1.10, team]",
                "    apps:",
                "      - app: 0x1F",
                "        role: 1e3",
                "  - email: b@fabrikam.com",
                "    displayName: 0x1F",
                "    message: 1e3",
                "  - email: c@fabrikam.com",
                "    displayName: .inf",
                "    message: TRUE",
                "",
            ].join("\n"),
        });
        assert.deepEqual(lines(roster.errors), []);
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.displayName, g.message, g.groups, g.apps]),
            [
                ["a@fabrikam.com", "007", "1.10", ["007", "1.10", "0x1F"], [{ app: "0x1F", role: "1e3" }]],
                ["b@fabrikam.com", "0x1F", "1e3", [], []],
                ["c@fabrikam.com", ".inf", "TRUE", [], []],
            ],
        );
    });

    it("still reads booleans and dates where a field expects them", async () => {
        const roster = rosterOf({
            "b.yaml": [
                "defaults:",
                "  protect: True",
                "guests:",
                "  - email: a@fabrikam.com",
                "    sendEmail: yes",
                "    expires: 2027-02-28",
                "  - email: b@fabrikam.com",
                "    sendEmail: false",
                "    protect: 0",
                "    expires: !!timestamp 2027-03-31",
                "  - email: c@fabrikam.com",
                "    sendEmail: 1",
                "    expires: ~",
                "    protect: null",
                "",
            ].join("\n"),
        });
        assert.deepEqual(lines(roster.errors), []);
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.sendEmail, g.protect, g.expires]),
            [
                ["a@fabrikam.com", true, true, "2027-02-28"],
                ["b@fabrikam.com", false, false, "2027-03-31"],
                ["c@fabrikam.com", true, true, undefined],
            ],
        );
    });

    it("refuses a YAML null word (~, null, Null) where text is expected, with the fix to quote it", async () => {
        const roster = rosterOf({
            "z.yaml": [
                "guests:",
                "  - email: a@fabrikam.com",
                "    displayName: Null",
                "    message: ~",
                "    groups: [Partners, null]",
                "  - email: b@fabrikam.com",
                "    displayName:",
                '    message: "~"',
                "",
            ].join("\n"),
        });
        assert.deepEqual(lines(roster.errors), [
            'z.yaml:3:18: `displayName` is YAML\'s null, not text (got "Null"); write it in quotes ("Null") if you mean the text, or delete it',
            'z.yaml:4:14: `message` is YAML\'s null, not text (got "~"); write it in quotes ("~") if you mean the text, or delete it',
            'z.yaml:5:24: `groups` is YAML\'s null, not text (got "null"); write it in quotes ("null") if you mean the text, or delete it',
        ]);
        // An empty value is "not given", as an empty CSV cell; a quoted "~" is the text "~".
        const b = roster.guests.find((g) => g.email === "b@fabrikam.com");
        assert.deepEqual([b?.displayName, b?.message], [undefined, "~"]);
    });

    it("refuses an impossible date, tagged !!timestamp or plain, at its line and column, never rolled over", async () => {
        const roster = rosterOf({
            "d.yaml": [
                "guests:",
                "  - email: a@fabrikam.com",
                "    expires: !!timestamp 2027-02-30",
                "  - email: b@fabrikam.com",
                "    expires: 2027-02-30",
                "",
            ].join("\n"),
        });
        assert.deepEqual(lines(roster.errors), [
            'd.yaml:3:26: `expires` is not a calendar date: February 2027 has 28 days (got "2027-02-30"); write a day that exists, like 2027-02-28',
            'd.yaml:5:14: `expires` is not a calendar date: February 2027 has 28 days (got "2027-02-30"); write a day that exists, like 2027-02-28',
        ]);
        assert.deepEqual(
            [...roster.guests, ...roster.expired].filter((g) => g.expires === "2027-03-02"),
            [],
        );
    });

    it("a self-referencing alias is a located error naming the file, and other files keep their errors", async () => {
        const roster = rosterOf({
            "cycle.yaml": ["guests: &all", "  - email: a@fabrikam.com", "    groups: *all", ""].join("\n"),
            "list.yaml": ["defaults:", "  groups: &x [Partners, *x]", "guests:", "  - email: b@fabrikam.com", ""].join("\n"),
            "merge.yaml": ["defaults: &d", "  <<: *d", "guests:", "  - email: c@fabrikam.com", ""].join("\n"),
            "other.csv": "email\nnot-an-address\n",
        });
        assert.deepEqual(lines(roster.errors), [
            "cycle.yaml:3:13: the alias *all refers to the value that contains it, which would never end; write the values out instead",
            "list.yaml:2:25: the alias *x refers to the value that contains it, which would never end; write the values out instead",
            "merge.yaml:2:7: the alias *d refers to the value that contains it, which would never end; write the values out instead",
            'other.csv:2:1: `email` is not an email address (got "not-an-address"); write it as name@domain, like ann@fabrikam.com',
        ]);
        assert.deepEqual(roster.guests, []);
    });

    it("other malformed YAML (deep nesting, tabs, bad merges, unknown aliases) is a located error, never a crash", async () => {
        const deep = 5000;
        const roster = rosterOf({
            "deep.yaml": `guests:\n  - email: a@fabrikam.com\n    groups: ${"[".repeat(deep)}${"]".repeat(deep)}\n`,
            "nested.yaml": `guests:\n  - email: a@fabrikam.com\n    groups: ${"[".repeat(80)}${"]".repeat(80)}\n`,
            "tabs.yaml": "guests:\n\t- email: a@fabrikam.com\n",
            "scalar-merge.yaml": "x: &x Partners\ndefaults:\n  <<: *x\nguests:\n  - email: a@fabrikam.com\n",
            "unknown.yaml": "guests:\n  - email: a@fabrikam.com\n    groups: *nowhere\n",
            "key.yaml": "guests:\n  - email: a@fabrikam.com\n    ? [a, b]\n    : c\n",
        });
        const errors = lines(roster.errors);
        assert.deepEqual(
            errors.filter((e) => !e.startsWith("deep.yaml:")),
            [
                "key.yaml:3:7: a key must be text (got \"[a, b]\"); write the field's name, like displayName",
                "nested.yaml:3:74: the file nests lists or mappings more than 64 deep; a guest file needs a few levels, remove the extra brackets or indentation",
                'scalar-merge.yaml:3:7: a merge key `<<` must name a mapping (got "Partners"); merge an alias of a mapping, like <<: *defaults',
                "tabs.yaml:2:1: the file is not valid YAML: Tabs are not allowed as indentation; fix the syntax at this spot",
                "unknown.yaml:3:13: the alias *nowhere names no anchor before it; write &nowhere on the value it stands for, above this line, or write the value out",
            ],
        );
        // The parser itself gives up on very deep nesting: one error, in words, not "call stack".
        const deepErrors = errors.filter((e) => e.startsWith("deep.yaml:"));
        assert.equal(deepErrors.length, 1);
        assert.match(deepErrors[0], /^deep\.yaml:3:\d+: the file nests lists or mappings too deeply to read; a guest file needs a few levels, remove the extra brackets or indentation$/);
    });

    it("a shared group list used by 1,000 guests is read; only aliases that multiply are refused", async () => {
        let text = "defaults:\n  groups: &partners [Partners, Project X]\nguests:\n";
        for (let i = 0; i < 1000; i++) text += `  - email: u${i}@fabrikam.com\n    groups: *partners\n`;
        const roster = rosterOf({ "many.yaml": text });
        assert.deepEqual(lines(roster.errors), []);
        assert.equal(roster.guests.length, 1000);
        assert.deepEqual(roster.guests[999].groups, ["Partners", "Project X"]);
    });

    it("refuses `groups: A, B` written as one string with the fix, and keeps CSV cells as they were", async () => {
        const roster = rosterOf({
            "g.yaml": [
                "defaults:",
                "  apps: Portal; Wiki",
                "guests:",
                "  - email: a@fabrikam.com",
                "    groups: Partners, Falcon",
                "  - email: b@fabrikam.com",
                "    groups: Sales | EMEA",
                "  - email: c@fabrikam.com",
                '    groups: ["R&D, Europe", Partners]',
                "    apps: [Portal]",
                "  - email: d@fabrikam.com",
                "    groups: Partners",
                "    apps: Portal:Reader",
                "",
            ].join("\n"),
            "g.csv": 'email,groups\ne@fabrikam.com,"R&D, Europe"\nf@fabrikam.com,Partners;Falcon|Sales\n',
        });
        assert.deepEqual(lines(roster.errors), [
            'g.yaml:2:9: `apps` is one text with ";" in it (got "Portal; Wiki"); write a YAML list: apps: [Portal, Wiki], or apps: ["Portal; Wiki"] if it is one name',
            'g.yaml:5:13: `groups` is one text with "," in it (got "Partners, Falcon"); write a YAML list: groups: [Partners, Falcon], or groups: ["Partners, Falcon"] if it is one name',
            'g.yaml:7:13: `groups` is one text with "|" in it (got "Sales | EMEA"); write a YAML list: groups: [Sales, EMEA], or groups: ["Sales | EMEA"] if it is one name',
        ]);
        // No guest lost its groups silently: the refused ones are not in the roster at all.
        const byEmail = Object.fromEntries([...roster.guests].map((g) => [g.email, [g.groups, g.apps]]));
        assert.deepEqual(byEmail["c@fabrikam.com"], [["R&D, Europe", "Partners"], [{ app: "Portal" }]]);
        assert.deepEqual(byEmail["d@fabrikam.com"], [["Partners"], [{ app: "Portal", role: "Reader" }]]);
        assert.deepEqual(byEmail["e@fabrikam.com"], [["R&D, Europe"], []]);
        assert.deepEqual(byEmail["f@fabrikam.com"], [["Partners", "Falcon", "Sales"], []]);
        const joined = [...roster.guests].filter((g) => g.groups.some((n) => /[,|]/.test(n) && n !== "R&D, Europe") || g.apps.some((a) => a.app.includes(";")));
        assert.deepEqual(joined, [], "no guest gets one group or app named after the whole string");
    });
});

describe("entra-guests plan --previous with a malformed file", () => {
    let dir = "";
    const FIX = "save it with `pulumi stack output managedGuests --json > prev.json`";
    beforeEach(async () => {
        dir = await tempProject({ "guests/p.yaml": guest("displayName: Ann") });
    });
    afterEach(async () => {
        await fs.rm(dir, { recursive: true, force: true });
    });

    const planWith = async (content: string) => {
        await fs.writeFile(`${dir}/prev.json`, content);
        return runCli(["plan", "--previous", "prev.json"], dir);
    };

    it("an empty file, a file that is not JSON and JSON of the wrong shape are clear usage errors naming the file", async () => {
        const runs = [
            await planWith(""),
            await planWith("onRemove: delete\n"),
            await planWith("[1, 2]"),
            await planWith('{"ann@fabrikam.com": null}'),
            await planWith('{"ann@fabrikam.com": {"onRemove": "keep", "invite": "0123456789abcdef"}}'),
        ];
        assert.deepEqual(
            runs.map((r) => [r.code, r.stdout, r.stderr]),
            [
                [2, "", `entra-guests: --previous: prev.json is empty; expected the JSON that \`pulumi stack output managedGuests --json\` prints, ${FIX}\n`],
                [2, "", `entra-guests: --previous: prev.json is not JSON (got "onRemove: delete\\n"); expected the JSON that \`pulumi stack output managedGuests --json\` prints, ${FIX}\n`],
                [2, "", `entra-guests: --previous: prev.json is not a mapping of guest emails (got "[1,2]"); expected the JSON that \`pulumi stack output managedGuests --json\` prints, ${FIX}\n`],
                [2, "", `entra-guests: --previous: prev.json has an entry for ann@fabrikam.com that is not { "onRemove": "delete" or "retain", "invite": "...", "userId"?: "...", "owner"?: "stack", "adopted" or "member", "access"?: "...", "removing"?: true } (got "null"); expected the JSON that \`pulumi stack output managedGuests --json\` prints, ${FIX}\n`],
                [
                    2,
                    "",
                    `entra-guests: --previous: prev.json has an entry for ann@fabrikam.com that is not { "onRemove": "delete" or "retain", "invite": "...", "userId"?: "...", "owner"?: "stack", "adopted" or "member", "access"?: "...", "removing"?: true } (got "{\\"onRemove\\":\\"keep\\",\\"invite\\":\\"0123456789abcdef\\"}"); expected the JSON that \`pulumi stack output managedGuests --json\` prints, ${FIX}\n`,
                ],
            ],
        );
        for (const r of runs) assert.equal(/\n\s+at /.test(r.stderr), false, "no stack trace");
    });

    it("a well-formed file still works", async () => {
        const run = await planWith("{}");
        assert.deepEqual([run.code, run.stderr], [0, ""]);
    });

    it("reads the output as `--json` prints it (a JSON string of the map) and as earlier versions published it (the map)", async () => {
        const guests = { "ann@fabrikam.com": { onRemove: "delete", invite: "0123456789abcdef" }, "zoe@fabrikam.com": { onRemove: "delete", invite: "fedcba9876543210" } };
        const text = await planWith(JSON.stringify(JSON.stringify(guests)));
        const map = await planWith(JSON.stringify(guests));
        assert.deepEqual([text.code, text.stderr], [0, ""]);
        assert.match(text.stdout, /zoe@fabrikam\.com/, "the removal of zoe is planned");
        assert.deepEqual(map, text);
        const broken = await planWith(JSON.stringify("{\"ann@fabrikam.com\": "));
        assert.deepEqual(
            [broken.code, broken.stderr],
            [2, `entra-guests: --previous: prev.json holds a string that is not JSON (got "{\\"ann@fabrikam.com\\": "); expected the JSON that \`pulumi stack output managedGuests --json\` prints, ${FIX}\n`],
        );
        const nested = await planWith(JSON.stringify(JSON.stringify("x")));
        assert.match(nested.stderr, /^entra-guests: --previous: prev\.json is not a mapping of guest emails \(got "x"\)/);
    });
});
