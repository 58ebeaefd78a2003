// One identity per address, and paths that never silently read fewer guests.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { promises as fs } from "fs";
import * as path from "path";
import { loadRoster } from "../roster";
import { checkBoolean, checkDate, checkEmail, checkText } from "../roster/rules/fields";
import { parseSettings } from "../roster/rules/settings";
import { runCli, tempProjects } from "./helpers/cli";
import { AS_OF, lines, OPTIONS, rosterOf } from "./helpers/roster";

const SUMMARY_FIX = "nothing was changed, fix the errors and run again";

describe("one identity per address", () => {
    it("reads one address in any spelling as one guest: any case, and NFC folding a KELVIN SIGN into k", async () => {
        assert.deepStrictEqual(checkEmail(" \u212AIM@Fabrikam.com "), { ok: true, value: "kim@fabrikam.com" });
        const both = rosterOf({ "a.csv": "email\nkim@fabrikam.com\n", "b.yaml": "guests:\n  - email: \u212Aim@FABRIKAM.com\n" });
        assert.deepStrictEqual(lines(both.errors), ["b.yaml:2: `email` kim@fabrikam.com is declared 2 times (a.csv:2, b.yaml:2); keep one declaration and delete the others"]);
        assert.deepStrictEqual(both.guests.map((g) => g.email), ["kim@fabrikam.com", "kim@fabrikam.com"]);
    });

    it("refuses the NFC and NFD spellings of an address outside ASCII alike, naming the character of the NFC form", async () => {
        const nfc = "ren\u00e9@fabrikam.com";
        const nfd = "rene\u0301@fabrikam.com";
        const refused = (got: string) =>
            `\`email\` contains "\u00e9" (U+00E9) at position 4, in the name part, and the azuread provider takes ASCII addresses only (got "${got}"); ` +
            "a name part has no ASCII form: ask the guest for another address, or retype the character if it is a typo";
        const roster = rosterOf({ "a.csv": `email\n${nfc}\n`, "b.yaml": `guests:\n  - email: ${nfd}\n` });
        assert.deepStrictEqual(lines(roster.errors), [`a.csv:2:1: ${refused(nfc)}`, `b.yaml:2:12: ${refused(nfd)}`]);
        assert.deepStrictEqual(roster.guests, []);
    });

    it("refuses invisible, control and bidirectional characters in an address, naming each by code point", async () => {
        const named = [
            ...["200B ZERO WIDTH SPACE", "200C ZERO WIDTH NON-JOINER", "200D ZERO WIDTH JOINER", "2060 WORD JOINER", "FEFF ZERO WIDTH NO-BREAK SPACE", "00AD SOFT HYPHEN"],
            ...["200E LEFT-TO-RIGHT MARK", "200F RIGHT-TO-LEFT MARK", "202A LEFT-TO-RIGHT EMBEDDING", "202B RIGHT-TO-LEFT EMBEDDING", "202C POP DIRECTIONAL FORMATTING"],
            ...["202D LEFT-TO-RIGHT OVERRIDE", "202E RIGHT-TO-LEFT OVERRIDE", "2066 LEFT-TO-RIGHT ISOLATE", "2067 RIGHT-TO-LEFT ISOLATE", "2068 FIRST STRONG ISOLATE"],
            ...["2069 POP DIRECTIONAL ISOLATE", "2028 LINE SEPARATOR", "2029 PARAGRAPH SEPARATOR", "0000 NULL", "001B ESCAPE", "007F DELETE", "0085 NEXT LINE"],
            "0090 (a control character)",
        ].map((n) => [n.slice(0, 4), n.slice(5)]);
        for (const [hex, name] of named) {
            const c = String.fromCodePoint(parseInt(hex, 16));
            assert.deepStrictEqual(
                checkEmail(`ann${c}@fabrikam.com`),
                { ok: false, message: `\`email\` contains U+${hex} ${name} at position 4 (got "ann\\u${hex}@fabrikam.com"); retype the address` },
                hex,
            );
        }
        // Located at the cell, the got-value printable, `cc` held to the same rule.
        const roster = rosterOf({ "a.csv": "email,cc\nann\u200b@fabrikam.com,\nbo@fabrikam.com,lead\u00ad@contoso.com\ncy@fabrikam.com,\n" });
        assert.deepStrictEqual(lines(roster.errors), [
            'a.csv:2:1: `email` contains U+200B ZERO WIDTH SPACE at position 4 (got "ann\\u200B@fabrikam.com"); retype the address',
            'a.csv:3:17: `cc` contains U+00AD SOFT HYPHEN at position 5 (got "lead\\u00AD@contoso.com"); retype the address',
        ]);
        assert.deepStrictEqual(roster.guests.map((g) => g.email), ["cy@fabrikam.com"]);
    });

    it("refuses control characters and bidirectional controls in display names and messages, keeping what scripts need", async () => {
        assert.deepStrictEqual(checkText("displayName", "Ann\u202eeeL", 256), {
            ok: false,
            message: '`displayName` contains U+202E RIGHT-TO-LEFT OVERRIDE at position 4 (got "Ann\\u202EeeL"); retype the text without it',
        });
        assert.deepStrictEqual(checkText("displayName", "Ann\nfile.csv:1:1: ok", 256), {
            ok: false,
            message: '`displayName` contains U+000A LINE FEED at position 4 (got "Ann\\nfile.csv:1:1: ok"); retype the text without it',
        });
        assert.deepStrictEqual(checkText("message", "Hi\u001b[2J"), { ok: false, message: '`message` contains U+001B ESCAPE at position 3 (got "Hi\\u001B[2J"); retype the text without it' });
        assert.deepStrictEqual(checkText("message", "Hi\u2066x"), { ok: false, message: '`message` contains U+2066 LEFT-TO-RIGHT ISOLATE at position 3 (got "Hi\\u2066x"); retype the text without it' });
        // Joiners, marks and line breaks in a message are text, not tricks: kept as written.
        for (const name of ["👩\u200d💻 Dev", "\u05e9\u05e8\u05d4 \u05dc\u05d5\u05d9\u200f", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"]) {
            assert.deepStrictEqual(checkText("displayName", name, 256), { ok: true, value: name });
        }
        assert.deepStrictEqual(checkText("message", "Welcome,\r\nsee you\tsoon"), { ok: true, value: "Welcome,\r\nsee you\tsoon" });
        const roster = rosterOf({ "a.csv": 'email,displayName\nann@fabrikam.com,"Ann\nLee"\n' });
        assert.deepStrictEqual(lines(roster.errors), ['a.csv:2:18: `displayName` contains U+000A LINE FEED at position 4 (got "Ann\\nLee"); retype the text without it']);
    });

    it("reads Excel's localised TRUE and FALSE in sendEmail and protect", async () => {
        // de, fr, es, it, pt, nl, sv, da, nb, fi, pl, cs, hu, tr, ru
        const words = "WAHR/FALSCH vrai/Faux VERDADERO/FALSO VERO/FALSO VERDADEIRO/FALSO WAAR/ONWAAR SANT/FALSKT SAND/FALSK SANN/USANN TOSI/EPÄTOSI PRAWDA/FAŁSZ PRAVDA/NEPRAVDA IGAZ/HAMIS DOĞRU/YANLIŞ ИСТИНА/ЛОЖЬ"
            .split(" ")
            .map((pair) => pair.split("/"));
        const csv = "email,sendEmail,protect\n" + words.map(([t, f], i) => `g${i}@fabrikam.com,${t},${f}\n`).join("") + `h@fabrikam.com,${"EPA\u0308TOSI"},${"epätosi"}\n`;
        const roster = rosterOf({ "a.csv": csv });
        assert.deepStrictEqual(roster.errors, []);
        assert.deepStrictEqual(
            roster.guests.map((g) => [g.sendEmail, g.protect]),
            [...words.map(() => [true, false]), [false, false]],
        );
        assert.deepStrictEqual(checkBoolean("protect", "WAHRR"), { ok: false, message: '`protect` must be true or false (got "WAHRR"); write true, false, yes, no, 1 or 0' });
    });

    it("accepts only real calendar dates, refusing impossible ones at their cell with the fix", async () => {
        const rows = ["2027-02-30", "2027-13-01", "2026-02-29", "2028-02-29", "2027-04-00"];
        const expected = (file: string, at: (i: number) => string) => [
            `${file}:${at(0)}: \`expires\` is not a calendar date: February 2027 has 28 days (got "2027-02-30"); write a day that exists, like 2027-02-28`,
            `${file}:${at(1)}: \`expires\` is not a calendar date: there is no month 13 (got "2027-13-01"); write it as YYYY-MM-DD with a month from 01 to 12`,
            `${file}:${at(2)}: \`expires\` is not a calendar date: February 2026 has 28 days (got "2026-02-29"); write a day that exists, like 2026-02-28`,
            `${file}:${at(4)}: \`expires\` is not a calendar date: there is no day 00 (got "2027-04-00"); write a day that exists, like 2027-04-01`,
        ];
        const csv = rosterOf({ "a.csv": "email,expires\n" + rows.map((d, i) => `g${i}@fabrikam.com,${d}\n`).join("") });
        assert.deepStrictEqual(lines(csv.errors), expected("a.csv", (i) => `${i + 2}:17`));
        assert.deepStrictEqual(csv.guests.map((g) => [g.email, g.expires]), [["g3@fabrikam.com", "2028-02-29"]]);
        const yaml = rosterOf({ "a.yaml": "guests:\n" + rows.map((d, i) => `  - email: g${i}@fabrikam.com\n    expires: ${d}\n`).join("") });
        assert.deepStrictEqual(lines(yaml.errors), expected("a.yaml", (i) => `${2 * i + 3}:14`));
        // A YAML timestamp with a time of day is not a day: never cut to its date silently.
        assert.deepStrictEqual(checkDate("expires", new Date("2027-02-28T10:30:00Z")), {
            ok: false,
            message: '`expires` is a date and time, not a date (got "2027-02-28T10:30:00.000Z"); write the day alone, as YYYY-MM-DD',
        });
        assert.deepStrictEqual(checkDate("expires", new Date("2027-02-28T00:00:00Z")), { ok: true, value: "2027-02-28" });
    });
});

describe("guest paths", () => {
    const project = tempProjects();

    it("refuses a folder that yields no guest file instead of reading 0 guests", async () => {
        const dir = await project({ "guests/README.md": "# Partner guests\n", "guests/notes.txt": "call Ann\n", "Pulumi.yaml": "name: p\nruntime: nodejs\n" });
        await fs.mkdir(path.join(dir, "empty"));
        const readme = await runCli(["validate"], dir);
        assert.deepStrictEqual([readme.code, readme.stdout, readme.stderr], [2, "", "entra-guests: no guest file in the folder guests (it holds README.md, notes.txt); name existing guest files or folders\n"]);
        const empty = await runCli(["validate", "empty"], dir);
        assert.deepStrictEqual([empty.code, empty.stdout, empty.stderr], [2, "", "entra-guests: no guest file in the folder empty (it is empty); name existing guest files or folders\n"]);
        // The program reads through loadRoster too: it fails instead of deleting every guest.
        await assert.rejects(loadRoster(["guests"], { ...OPTIONS, cwd: dir }), { message: "no guest file in the folder guests (it holds README.md, notes.txt)" });
    });

    it("reads from a folder what loads when named directly (.tsv, Unicode Text .txt, linked files) and reports each file it skips", async () => {
        const unicodeText = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("email\tdisplayName\r\ncy@fabrikam.com\tCy\r\n", "utf16le")]);
        const outside = await project({ "secret.csv": "email\nmallory@fabrikam.com\n" });
        const dir = await project({
            "guests/a.csv": "email\nann@fabrikam.com\n",
            "guests/b.tsv": "email\tdisplayName\nbo@fabrikam.com\tBo\n",
            "guests/c.txt": unicodeText,
            "guests/README.txt": "Guest files: one per partner.\n",
            "guests/README.md": "# Guests\n",
            "guests/notes.txt": "call Ann about access\n",
            "guests/partners.xlsx": "PK\u0003\u0004",
            "guests/.drafts/x.csv": "email\nhidden@fabrikam.com\n",
            "shared/dee.csv": "email\ndee@fabrikam.com\n",
        });
        await fs.symlink(path.join("..", "shared", "dee.csv"), path.join(dir, "guests", "dee.csv"));
        await fs.symlink(path.join("..", "shared"), path.join(dir, "guests", "shared"));
        await fs.symlink("..", path.join(dir, "guests", "loop"));
        await fs.symlink(path.join(outside, "secret.csv"), path.join(dir, "guests", "outside.csv"));
        await fs.symlink("gone.csv", path.join(dir, "guests", "broken.csv"));
        const run = await runCli(["validate", "--as-of", AS_OF, "guests"], dir);
        assert.deepStrictEqual(run.stdout.split("\n"), [
            'guests/broken.csv: warning: skipped: the link points to nothing (got "gone.csv"); fix the link or delete it',
            'guests/loop: warning: skipped: the link leads to a folder that holds this one (got ".."); delete the link, or link the files themselves',
            'guests/notes.txt: warning: skipped: a .txt file is read from a folder only when its first line names an email column (got "call Ann about access"); start it with a header like email,displayName to read it, or move it out of the folder',
            `guests/outside.csv: warning: skipped: the link points out of the project (got "${path.join(outside, "secret.csv")}"); name the file itself as a path to read it`,
            'guests/partners.xlsx: warning: skipped: a folder is read for *.csv, *.tsv, *.txt, *.yaml and *.yml guest files (got ".xlsx"); save it as CSV UTF-8 to read it, or move it out of the folder',
            "guests/a.csv: 0 of 1 guest mailed when invited (1 not, by default: no sendEmail value and no message)",
            "guests/b.tsv: 0 of 1 guest mailed when invited (1 not, by default: no sendEmail value and no message)",
            "guests/c.txt: 0 of 1 guest mailed when invited (1 not, by default: no sendEmail value and no message)",
            "guests/dee.csv: 0 of 1 guest mailed when invited (1 not, by default: no sendEmail value and no message)",
            "4 guests in 4 files valid, 5 warnings",
            "",
        ]);
        assert.equal(run.code, 0);
        const json = JSON.parse((await runCli(["validate", "--format", "json", "--as-of", AS_OF, "guests"], dir)).stdout);
        assert.deepStrictEqual(
            json.guests.map((g: { email: string; source: { file: string } }) => [g.email, g.source.file]),
            [
                ["ann@fabrikam.com", "guests/a.csv"],
                ["bo@fabrikam.com", "guests/b.tsv"],
                ["cy@fabrikam.com", "guests/c.txt"],
                ["dee@fabrikam.com", "guests/dee.csv"],
            ],
        );
    });

    it("diff reads the base's folder as the walk does: .tsv and guest-header .txt, never a README.txt", async () => {
        const unicodeText = (rows: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`email\tdisplayName\r\n${rows}`, "utf16le")]);
        const dir = await project({
            "guests/a.tsv": "email\tdisplayName\nann@fabrikam.com\tAnn\n",
            "guests/c.txt": unicodeText("cy@fabrikam.com\tCy\r\n"),
            "guests/README.txt": "Guest files: one per partner.\n",
        });
        const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" });
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("-c", "user.email=ci@example.com", "-c", "user.name=CI", "commit", "-q", "-m", "base");
        await fs.writeFile(path.join(dir, "guests/a.tsv"), "email\tdisplayName\nann@fabrikam.com\tAnn\nbo@fabrikam.com\tBo\n");
        await fs.writeFile(path.join(dir, "guests/c.txt"), unicodeText(""));
        const run = await runCli(["diff", "--base", "main", "--format", "json", "--as-of", AS_OF], dir);
        assert.equal(run.code, 0, run.stderr);
        const report = JSON.parse(run.stdout);
        assert.deepStrictEqual([report.added.map((g: { email: string }) => g.email), report.removed.map((g: { email: string }) => g.email)], [["bo@fabrikam.com"], ["cy@fabrikam.com"]]);
    });

    it("reads folders and files whose names hold glob characters as they are named", async () => {
        const dir = await project({
            "guests/[partners]/a.csv": "email\nann@fabrikam.com\n",
            "guests/p/decoy.csv": "email\ndecoy@fabrikam.com\n",
            "guests/(2024)/b.yaml": "guests:\n  - email: bo@fabrikam.com\n",
            "guests/2024/decoy.yaml": "guests:\n  - email: decoy2@fabrikam.com\n",
            "Pulumi.yaml": "name: p\nruntime: nodejs\nconfig:\n  guests:\n    default: ['guests/(2024)']\n",
        });
        const emails = async (...paths: string[]) => {
            const run = await runCli(["validate", "--format", "json", ...paths], dir);
            assert.equal(run.stderr, "");
            return JSON.parse(run.stdout).guests.map((g: { email: string }) => g.email);
        };
        assert.deepStrictEqual(await emails("guests/[partners]/a.csv"), ["ann@fabrikam.com"]);
        assert.deepStrictEqual(await emails("guests/[partners]", "guests/(2024)"), ["ann@fabrikam.com", "bo@fabrikam.com"]);
        assert.deepStrictEqual(await emails("guests/[partners]/*.csv", "guests/(2024)/*.yaml"), ["ann@fabrikam.com", "bo@fabrikam.com"]);
        assert.deepStrictEqual(await emails(), ["bo@fabrikam.com"]);
        assert.deepStrictEqual(await emails("guests/[p]/*.csv"), ["decoy@fabrikam.com"], "a bracket that names no folder is still a glob");
    });

    it("matches *.tld domain patterns, refusing `*` alone and a bare top-level domain with the fix", async () => {
        const roster = rosterOf(
            {
                "de.yaml": "policy:\n  allowedDomains: ['*.de']\nguests:\n  - email: lena@northwind.de\n  - email: ann@fabrikam.com\n",
                "bad.yaml": "policy:\n  allowedDomains: ['*']\n  blockedDomains: [ru]\n",
            },
            { ...OPTIONS, blockedDomains: ["*.ru"] },
        );
        assert.deepStrictEqual(lines(roster.errors), [
            'bad.yaml:2:20: `policy.allowedDomains` is "*" alone, which would match every domain (got "*"); name the domains, like fabrikam.com or *.de',
            'bad.yaml:3:20: `policy.blockedDomains` is a top-level domain alone, which no address has (got "ru"); write *.ru for every .ru domain',
            "de.yaml:5:12: ann@fabrikam.com is not allowed by `allowedDomains` [*.de] set by the `policy` of de.yaml; invite this guest from a file whose policy allows the domain, or correct the address",
        ]);
        const blocked = rosterOf({ "a.csv": "email\nivan@mail.ru\n" }, { ...OPTIONS, blockedDomains: ["*.ru"] });
        assert.deepStrictEqual(lines(blocked.errors), [
            "a.csv:2:1: ivan@mail.ru is blocked by `blockedDomains` [*.ru] set by the stack's config `entra-guests:blockedDomains`; invite this guest from a file whose policy allows the domain, or correct the address",
        ]);
        assert.deepStrictEqual(parseSettings({ allowedDomains: '["*.de", "fabrikam.com"]' }, "Pulumi.yaml"), {
            ok: true,
            settings: { ...(parseSettings({}, "Pulumi.yaml") as { settings: object }).settings, allowedDomains: ["*.de", "fabrikam.com"] },
        });
        assert.equal(parseSettings({ blockedDomains: "*" }, "Pulumi.yaml").ok, false);
    });

    it("run from a subfolder, reads the project's Pulumi.yaml and resolves default paths from the project, named paths from the folder", async () => {
        const dir = await project({
            "Pulumi.yaml": "name: p\nruntime: nodejs\nconfig:\n  guests:\n    default: [partners]\n  defaultRedirectUrl:\n    default: https://project.contoso.com\n",
            "Pulumi.prod.yaml": "config:\n  entra-guests:defaultRedirectUrl: https://prod.contoso.com\n",
            "partners/a.csv": "email\nann@fabrikam.com\n",
            "partners/sub/b.csv": "email,sendEmail\nbo@fabrikam.com,maybe\n",
        });
        const sub = path.join(dir, "partners");
        const all = await runCli(["validate"], sub);
        assert.deepStrictEqual(
            [all.code, all.stdout],
            [1, `partners/sub/b.csv:2:17: \`sendEmail\` must be true or false (got "maybe"); write true, false, yes, no, 1 or 0\n1 error in 1 of 2 files; ${SUMMARY_FIX}\n`],
        );
        const named = await runCli(["validate", "--stack", "prod", "--format", "json", "a.csv"], sub);
        assert.deepStrictEqual(
            JSON.parse(named.stdout).guests.map((g: { email: string; redirectUrl: string; source: { file: string } }) => [g.email, g.redirectUrl, g.source.file]),
            [["ann@fabrikam.com", "https://prod.contoso.com", "a.csv"]],
        );
        // diff reads the same default paths through git, from the project.
        const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" });
        git("init", "-q", "-b", "main");
        git("add", "Pulumi.yaml", "partners/a.csv");
        git("-c", "user.email=ci@example.com", "-c", "user.name=CI", "commit", "-q", "-m", "ann");
        await fs.writeFile(path.join(dir, "partners/sub/b.csv"), "email\nbo@fabrikam.com\n");
        const diff = await runCli(["diff", "--base", "main", "--format", "json", "--as-of", AS_OF], sub);
        assert.equal(diff.code, 0, diff.stderr);
        assert.deepStrictEqual(JSON.parse(diff.stdout).added.map((g: { email: string }) => g.email), ["bo@fabrikam.com"]);
    });

    it("counts the files an error is in: never '1 error in 0 files'", async () => {
        const dir = await project({ "notes.md": "# notes\n", "guests/a.csv": "email\nann@fabrikam.com\n", "guests/b.csv": Buffer.from("email,displayName\nbo@fabrikam.com,J\u00fcrgen\n", "latin1") });
        const named = await runCli(["validate", "notes.md"], dir);
        assert.deepStrictEqual([named.code, named.stdout], [1, `notes.md: the file is neither CSV nor YAML; name it *.csv, *.yaml or *.yml\n1 error in 1 file; ${SUMMARY_FIX}\n`]);
        const folder = await runCli(["validate", "guests"], dir);
        assert.equal(folder.stdout.split("\n").slice(-2).join("\n"), `1 error in 1 of 2 files; ${SUMMARY_FIX}\n`);
    });
});
