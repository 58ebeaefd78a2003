// The pull request comment always posts (a summary first, then as much detail as fits
// GitHub's limit, then where the rest is), and reviewers see what they need to judge a change.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { promises as fs } from "fs";
import * as path from "path";
import { compareRosters, DiffReport, renderDiff } from "../diff";
import { Guest, Roster } from "../roster";
import { runCli, tempProjects } from "./helpers/cli";
import { AS_OF } from "./helpers/roster";

/** GitHub refuses a comment body over 65,536 characters. */
const GITHUB_COMMENT_LIMIT = 65536;

function guest(email: string, fields: Partial<Guest> = {}): Guest {
    return { email, redirectUrl: "https://myapps.microsoft.com", sendEmail: false, userType: "Guest", groups: [], apps: [], onRemove: "delete", protect: false, source: { file: "guests/big.csv", line: 2 }, ...fields };
}

function roster(guests: Guest[]): Pick<Roster, "guests" | "expired"> {
    return { guests, expired: [] };
}

/** 20,000 guests who each join Falcon, 5 removed (one retained, one with an app), 3 added, 2 expiring. */
function bigReport(maxRemovals?: number): DiffReport {
    const kept = Array.from({ length: 20000 }, (_, i) => `g${String(i).padStart(5, "0")}@fabrikam.com`);
    const removed = Array.from({ length: 5 }, (_, i) => guest(`gone${i}@northwind.de`, { groups: ["Partners"], onRemove: i === 0 ? "retain" : "delete", apps: i === 1 ? [{ app: "Portal" }] : [] }));
    const base = [...kept.map((e) => guest(e, { groups: ["Partners"] })), ...removed];
    const head = [
        ...kept.map((e, i) => guest(e, { displayName: `Guest | ${i} **x** @team`, groups: ["Partners", "Falcon"], source: { file: "guests/big.csv", line: i + 2 } })),
        ...["new0", "new1", "new2"].map((n) => guest(`${n}@contoso.com`, { groups: ["Partners"], expires: "2027-01-31" })),
    ];
    const expiring = [{ email: kept[0], expires: "2026-11-30" }, { email: kept[1], expires: "2026-12-01" }];
    return { base: "main", diff: compareRosters(roster(base), roster(head)), expiring, maxRemovals };
}

/** The table's rows, not its header. */
const rowsOf = (markdown: string) => markdown.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| | guest") && !l.startsWith("| --- "));

describe("the pull request comment", () => {
    describe("markdown diff cut to a size", () => {
        it("20,000 changed guests: under GitHub's limit, the summary exact, removals first, every kind shown, and a line saying where the rest is", async () => {
            const report = bigReport(3);
            const full = renderDiff(report, "markdown");
            const out = renderDiff(report, "markdown", { maxBytes: 60000, restIn: "the job summary and the workflow artifact" });
            assert.ok(Buffer.byteLength(full) > 2_000_000, "the whole diff is far over the limit");
            assert.ok(Buffer.byteLength(out) <= 60000 && out.length < GITHUB_COMMENT_LIMIT, `${Buffer.byteLength(out)} bytes`);
            const lines = out.split("\n");
            assert.deepEqual(lines.slice(0, 4), [
                "<!-- entra-guests diff -->",
                "**Guest access compared with `main`:** 3 guests added; 5 guests removed (4 deleted, 1 retained); 20000 guests changed; memberships +20003 -5; app assignments +0 -1; 2 guests expiring soon",
                "",
                "⛔ **5 guests would be removed, more than the limit of 3** (`--max-removals`): have a reviewer confirm the removals.",
            ]);
            const rows = rowsOf(out);
            const fullRows = new Set(rowsOf(full));
            assert.equal(fullRows.size, 20010);
            assert.ok(rows.every((r) => fullRows.has(r)), "every row shown is a whole row of the full diff");
            const shown = (icon: string) => rows.filter((r) => r.startsWith(`| ${icon} |`)).length;
            assert.deepEqual([shown("➖"), shown("➕"), shown("⏳")], [5, 3, 2], "every removal first, then the other kinds in turn");
            const changed = shown("✏️");
            assert.ok(changed > 250, `${changed} changed rows shown`);
            assert.ok(60000 - Buffer.byteLength(out) < 250, "the room left is less than one more row");
            assert.equal(lines[5], `<details><summary>20010 changes, ${rows.length} shown</summary>`);
            assert.deepEqual(lines.slice(-5), [
                "",
                "</details>",
                "",
                `**Only ${rows.length} of 20010 changes are shown** (removed 5 of 5, changed ${changed} of 20000, added 3 of 3, expiring 2 of 2) to fit in 60000 bytes; every change is in the job summary and the workflow artifact.`,
                "",
            ]);
        });

        it("a diff that fits is not cut, and says whether removals are within the limit", async () => {
            const diff = compareRosters(roster([guest("ann@fabrikam.com")]), roster([]));
            const out = renderDiff({ base: "main", diff, expiring: [], maxRemovals: 10 }, "markdown", { maxBytes: 60000 });
            assert.equal(
                out,
                [
                    "<!-- entra-guests diff -->",
                    "**Guest access compared with `main`:** 1 guest removed (1 deleted, 0 retained)",
                    "",
                    "Removals: 1, within the limit of 10 (`--max-removals`).",
                    "",
                    "| | guest | change |",
                    "| --- | --- | --- |",
                    "| ➖ | ann@fabrikam.com | is removed: the guest user is deleted |",
                    "",
                ].join("\n"),
            );
        });

        it("cutting never splits an escape, a code span or a table row, whatever the budget", async () => {
            const head = Array.from({ length: 40 }, (_, i) => guest(`g${i}@fabrikam.com`, { displayName: `\`a\` | \\ <b> ${"&".repeat(i)} \u202e`, groups: [`[x](https://e.example/${i})`] }));
            const report = { base: "main", diff: compareRosters(roster([]), roster(head)), expiring: [] };
            const full = renderDiff(report, "markdown");
            const fullRows = new Set(rowsOf(full));
            assert.equal(fullRows.size, 40);
            for (let max = 1000; max < Buffer.byteLength(full); max += 97) {
                const out = renderDiff(report, "markdown", { maxBytes: max });
                assert.ok(Buffer.byteLength(out) <= max, `${max}`);
                assert.ok(rowsOf(out).every((r) => fullRows.has(r)), `${max}: a row was cut`);
                assert.match(out, /\n<\/details>\n\n\*\*Only \d+ of 40 changes are shown\*\* \(added \d+ of 40\) to fit in \d+ bytes; every change is in the output of `entra-guests diff` without `--max-bytes`\.\n$/);
            }
        });
    });

    describe("entra-guests diff --max-bytes, --output-full, --rest-in", () => {
        const project = tempProjects();
        const git = (dir: string, ...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" });
        async function repo(base: Record<string, string>): Promise<string> {
            const dir = await project(base);
            git(dir, "init", "-q", "-b", "main");
            git(dir, "-c", "user.email=ci@example.com", "-c", "user.name=CI", "commit", "-q", "--allow-empty", "-m", "base");
            git(dir, "add", "-A");
            git(dir, "-c", "user.email=ci@example.com", "-c", "user.name=CI", "commit", "-q", "--amend", "-m", "base");
            return dir;
        }

        it("prints the cut comment and writes the whole markdown to a file", async () => {
            const dir = await repo({ "guests/a.csv": "email\nold@fabrikam.com\n" });
            const many = Array.from({ length: 300 }, (_, i) => `g${i}@fabrikam.com,Partners`).join("\n");
            await fs.writeFile(path.join(dir, "guests/a.csv"), `email,groups\n${many}\n`);
            const args = ["diff", "--base", "main", "--as-of", AS_OF, "--format", "markdown", "--max-removals", "0"];
            const run = await runCli([...args, "--max-bytes", "5000", "--output-full", "full.md", "--rest-in", "the artifact `diff`"], dir);
            assert.equal(run.code, 3);
            assert.ok(Buffer.byteLength(run.stdout) <= 5000);
            assert.match(run.stdout, /\n\*\*Only \d+ of 301 changes are shown\*\* \(removed 1 of 1, added \d+ of 300\) to fit in 5000 bytes; every change is in the artifact \\`diff\\`\.\n$/);
            const full = await fs.readFile(path.join(dir, "full.md"), "utf8");
            assert.equal(full, (await runCli(args, dir)).stdout);
            assert.equal(rowsOf(full).length, 301);
        });

        it("refuses --max-bytes below 1000, the options with a format other than markdown, and a file it cannot write", async () => {
            const dir = await repo({ "guests/a.csv": "email\nann@fabrikam.com\n" });
            const small = await runCli(["diff", "--base", "main", "--format", "markdown", "--max-bytes", "999"], dir);
            assert.equal(small.code, 2);
            assert.match(small.stderr, /^entra-guests: --max-bytes must be a whole number of at least 1000 \(got "999"\); run `entra-guests --help` for the commands and their options\n/);
            const text = await runCli(["diff", "--base", "main", "--max-bytes", "60000"], dir);
            assert.equal(text.code, 2);
            assert.match(text.stderr, /^entra-guests: --max-bytes, --output-full and --rest-in go with --format markdown; run `entra-guests --help` for the commands and their options\n/);
            const nowhere = await runCli(["diff", "--base", "main", "--format", "markdown", "--output-full", "no/such/folder/full.md"], dir);
            assert.deepEqual([nowhere.code, nowhere.stderr], [2, "entra-guests: --output-full: cannot write no/such/folder/full.md (ENOENT); name a file in a folder that exists\n"]);
        });

        it("invalid files: the errors block is cut between lines, keeping its summary line", async () => {
            const dir = await repo({ "guests/a.csv": "email\nann@fabrikam.com\n" });
            const bad = Array.from({ length: 200 }, (_, i) => `not-an-address-${i}`).join("\n");
            await fs.writeFile(path.join(dir, "guests/a.csv"), `email\n${bad}\n`);
            const run = await runCli(["diff", "--base", "main", "--format", "markdown", "--max-bytes", "3000", "--output-full", "full.md"], dir);
            assert.equal(run.code, 1);
            assert.ok(Buffer.byteLength(run.stdout) <= 3000);
            const lines = run.stdout.split("\n");
            assert.equal(lines[0], "```");
            assert.equal(lines[1], 'guests/a.csv:2:1: `email` is not an email address (got "not-an-address-0"); write it as name@domain, like ann@fabrikam.com');
            assert.match(lines.at(-4)!, /^\.\.\. \d+ more lines not shown; every line is in the output of `entra-guests diff` without `--max-bytes`$/);
            assert.deepEqual(lines.slice(-3), ["200 errors in 1 file; nothing was changed, fix the errors and run again", "```", ""]);
            const full = await fs.readFile(path.join(dir, "full.md"), "utf8");
            assert.equal(full.split("\n").length, 204);
        });
    });
});
