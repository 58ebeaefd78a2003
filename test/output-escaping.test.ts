// Text from guest files is untrusted, so every printer escapes it for its medium (a PR
// comment in markdown, a terminal, a GitHub annotation), and `diff` judges expiry as the program.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { promises as fs } from "fs";
import * as path from "path";
import { USAGE } from "../cli/main";
import { renderValidation } from "../cli/shell/output";
import { renderPlan } from "../cli/commands/plan/output";
import { compareRosters, DiffFormat, renderDiff } from "../diff";
import { buildPlan } from "../plan";
import { Guest, Problem, Roster } from "../roster";
import { runCli, tempProject } from "./helpers/cli";
import { ROOT } from "./helpers/roster";

const ZWJ = "\u200d";

/** A validated guest, built directly: these tests are about printing, whatever the loaders accept. */
function guest(email: string, fields: Partial<Guest> = {}): Guest {
    return { email, redirectUrl: "https://myapps.microsoft.com", sendEmail: false, userType: "Guest", groups: [], apps: [], onRemove: "delete", protect: false, source: { file: "guests/p.yaml", line: 2 }, ...fields };
}

function roster(fields: Partial<Roster>): Roster {
    return { guests: [], expired: [], errors: [], warnings: [], files: [{ file: "guests/p.yaml", format: "yaml", guests: 0, mail: { mailed: 0, notMailed: 0, decidedBy: [] } }], ...fields };
}

/** What `diff` prints when `added` are new guests. */
function diffOf(added: Guest[], format: DiffFormat, base = "main"): string {
    return renderDiff({ base, diff: compareRosters(roster({}), roster({ guests: added })), expiring: [] }, format);
}

/** A whole markdown diff of added guests against `main`, for exact comparison. */
function markdown(summary: string, ...rows: string[]): string {
    return markdownAt("`main`", summary, ...rows);
}

function markdownAt(base: string, summary: string, ...rows: string[]): string {
    return ["<!-- entra-guests diff -->", `**Guest access compared with ${base}:** ${summary}`, "", "| | guest | change |", "| --- | --- | --- |", ...rows, ""].join("\n");
}

/** Temporary projects of a test, removed after it. */
let dirs: string[] = [];
async function project(files: Record<string, string>): Promise<string> {
    const dir = await tempProject(files);
    dirs.push(dir);
    return dir;
}

const ANN = "ann@fabrikam.com";
/** Printed lines, each ended by a newline. */
const text = (...lines: string[]) => [...lines, ""].join("\n");

describe("output escaping", () => {
    afterEach(async () => {
        await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
        dirs = [];
    });

    describe("markdown diff, the PR comment", () => {
        it("a display name cannot @mention a team or a user (a zero-width joiner follows the @)", async () => {
            const out = diffOf([guest(ANN, { displayName: "@contoso/admins please review" }), guest("bo@fabrikam.com", { displayName: "cc (@octocat)" })], "markdown");
            const rows = [`| ➕ | @${ZWJ}contoso/admins please review (ann@fabrikam.com) | is invited; no expiry; from guests/p.yaml\\:2 |`, `| ➕ | cc (@${ZWJ}octocat) (bo@fabrikam.com) | is invited; no expiry; from guests/p.yaml\\:2 |`];
            assert.equal(out, markdown("2 guests added", ...rows));
        });

        it("links, bare URLs and www. addresses are not clickable", async () => {
            const out = diffOf([guest(ANN, { displayName: "[click](https://evil.example/login)", groups: ["https://evil.example/approve", "www.evil.example"] })], "markdown");
            assert.equal(out, markdown("1 guest added; memberships +2 -0", String.raw`| ➕ | \[click\](https\://evil.example/login) (ann@fabrikam.com) | is invited; joins https\://evil.example/approve, www\.evil.example; no expiry; from guests/p.yaml\:2 |`));
        });

        it("an image cannot load from a guest's value", async () => {
            const out = diffOf([guest(ANN, { displayName: "![x](https://evil.example/pixel.gif)" })], "markdown");
            assert.equal(out, markdown("1 guest added", String.raw`| ➕ | !\[x\](https\://evil.example/pixel.gif) (ann@fabrikam.com) | is invited; no expiry; from guests/p.yaml\:2 |`));
        });

        it("emphasis, strikethrough and math are shown as typed", async () => {
            const out = diffOf([guest(ANN, { displayName: "**LGTM** _approved_ ~~no~~ $\\sqrt{x}$" })], "markdown");
            assert.equal(out, markdown("1 guest added", String.raw`| ➕ | \*\*LGTM\*\* \_approved\_ \~\~no\~\~ \$\\sqrt{x}\$ (ann@fabrikam.com) | is invited; no expiry; from guests/p.yaml\:2 |`));
        });

        it("inline HTML and character references are shown as typed", async () => {
            const out = diffOf([guest(ANN, { displayName: "<img src=x onerror=alert(1)> &lt;b&gt;", groups: ["<details>"] })], "markdown");
            assert.equal(out, markdown("1 guest added; memberships +1 -0", String.raw`| ➕ | \<img src=x onerror=alert(1)\> \&lt;b\&gt; (ann@fabrikam.com) | is invited; joins \<details\>; no expiry; from guests/p.yaml\:2 |`));
        });

        it("a pipe cannot split the table cell", async () => {
            const out = diffOf([guest(ANN, { displayName: "Ann | ➖ | is removed" })], "markdown");
            assert.equal(out, markdown("1 guest added", String.raw`| ➕ | Ann \| ➖ \| is removed (ann@fabrikam.com) | is invited; no expiry; from guests/p.yaml\:2 |`));
        });

        it("a line break (CR, LF or both) cannot end the row, start a heading, a list or a quote", async () => {
            const out = diffOf([guest(ANN, { displayName: "Ann\r# LGTM\n- [x] approved\r\n> quote" })], "markdown");
            assert.equal(out, markdown("1 guest added", String.raw`| ➕ | Ann\\r\# LGTM\\n- \[x\] approved\\r\\n\> quote (ann@fabrikam.com) | is invited; no expiry; from guests/p.yaml\:2 |`));
        });

        it("backticks cannot open or end a code span, in a value or in the base ref", async () => {
            const out = diffOf([guest(ANN, { displayName: "`x` | `" })], "markdown", "feat`x");
            assert.equal(out, markdownAt("``feat`x``", "1 guest added", "| ➕ | \\`x\\` \\| \\` (ann@fabrikam.com) | is invited; no expiry; from guests/p.yaml\\:2 |"));
        });

        it("escape sequences and bidi overrides are shown escaped", async () => {
            const out = diffOf([guest(ANN, { displayName: "Ann\u001b[31m\u202eY" })], "markdown");
            assert.equal(out, markdown("1 guest added", String.raw`| ➕ | Ann\\x1b\[31m\\u202eY (ann@fabrikam.com) | is invited; no expiry; from guests/p.yaml\:2 |`));
        });

        it("invalid files are printed as a code block, not as markdown", async () => {
            const dir = await project({ "guests/**LGTM** @contoso.csv": "email\nnot-an-address\n" });
            const run = await runCli(["diff", "--base", "main", "--format", "markdown"], dir);
            assert.equal(run.code, 1);
            const lines = run.stdout.split("\n");
            assert.deepEqual([lines[0], lines.length, lines.at(-2), lines.at(-1)], ["```", 5, "```", ""]);
            assert.ok(lines[1].startsWith("guests/**LGTM** @contoso.csv:2:1: "), lines[1]);
            assert.equal(lines[2], "1 error in 1 file; nothing was changed, fix the errors and run again");
        });
    });

    describe("terminal text (validate, plan, diff)", () => {
        it("validate: a file name cannot fake a `file:1:1:` line, escape sequences, BEL, backspace and CR are shown escaped", async () => {
            const problem: Problem = { file: "guests/a.csv\nguests/ok.csv", line: 2, column: 1, message: 'bad (got "x"); evil \u001b[2J\u0007\b\r end' };
            const out = renderValidation(roster({ errors: [problem], warnings: [{ file: "guests/b\u001b[8m.csv", message: "hidden" }] }), "text");
            assert.equal(
                out,
                [
                    String.raw`guests/a.csv\nguests/ok.csv:2:1: bad (got "x"); evil \x1b[2J\x07\x08\r end`,
                    String.raw`guests/b\x1b[8m.csv: warning: hidden`,
                    "1 error, 1 warning in 1 of 2 files; nothing was changed, fix the errors and run again",
                    "",
                ].join("\n"),
            );
        });

        it("validate: a guest file named with an escape sequence and a newline prints on one line", async () => {
            const name = "x\u001b[31m\nguests/ok.csv:1:1: fine.csv";
            const run = await runCli(["validate"], await project({ [`guests/${name}`]: "email\nnot-an-address\n" }));
            assert.equal(run.code, 1);
            const lines = run.stdout.split("\n");
            assert.equal(lines.length, 3, run.stdout);
            assert.ok(lines[0].startsWith(String.raw`guests/x\x1b[31m\nguests/ok.csv:1:1: fine.csv:2:1: `), lines[0]);
            assert.doesNotMatch(run.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
        });

        it("plan: a group name with escape sequences and a newline stays on its line", async () => {
            const ann = guest(ANN, { displayName: "Ann\u001b[31m\rX\u009b2J\u202eY", groups: ["Partners\u001b[2J\nguests/p.yaml:1:1: fine"] });
            const plan = await buildPlan([ann]);
            assert.equal(
                renderPlan(roster({ guests: [ann] }), plan, "text"),
                [
                    "ann@fabrikam.com  (guests/p.yaml:2)",
                    "  + entraguests.GuestUser  guests/ann@fabrikam.com",
                    '      email: "ann@fabrikam.com"',
                    String.raw`      displayName: "Ann\u001b[31m\rX\x9b2J\u202eY"`,
                    '      redirectUrl: "https://myapps.microsoft.com"',
                    '      userType: "Guest"',
                    "      sendEmail: false",
                    '      onRemove: "delete"',
                    "      message: (none: no invitation email is sent)",
                    String.raw`  + azuread.GroupMember  guests/ann@fabrikam.com/Partners\x1b[2J\nguests/p.yaml:1:1: fine`,
                    String.raw`      groupObjectId: (object ID of group "Partners\x1b[2J\nguests/p.yaml:1:1: fine")`,
                    "      memberObjectId: (user ID of ann@fabrikam.com)",
                    "",
                    "Plan: 1 guest user, 1 group membership, 0 app role assignments; 1 resource wait on directory lookups, done by `pulumi preview`",
                    "This is what the program registers; `pulumi preview` shows which of it changes the tenant.",
                    "Guests new to the stack are looked up by `pulumi preview`: an address that already has a user is adopted (no invitation, no mail), and its existing memberships and assignments are imported; see docs/identity.md.",
                    "",
                ].join("\n"),
            );
        });

        it("diff: a display name cannot print a terminal hyperlink or a fake detail line", async () => {
            const out = diffOf([guest(ANN, { displayName: "Ann\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007", groups: ["Partners\n  - bo@fabrikam.com is removed"] })], "text");
            const line = String.raw`  + Ann\x1b]8;;https://evil.example\x07click\x1b]8;;\x07 (ann@fabrikam.com) is invited; joins Partners\n  - bo@fabrikam.com is removed; no expiry; from guests/p.yaml:2`;
            assert.equal(out, text("Compared with main: 1 guest added; memberships +1 -0", line));
        });

        it("8-bit CSI, DEL, line separators and bidi controls are shown escaped", async () => {
            const out = diffOf([guest(ANN, { displayName: "A\u009b2J\u007fB\u2028C\u202eD\u2066E" })], "text", "main\u001b[2J");
            assert.equal(out, text(String.raw`Compared with main\x1b[2J: 1 guest added`, String.raw`  + A\x9b2J\x7fB\u2028C\u202eD\u2066E (ann@fabrikam.com) is invited; no expiry; from guests/p.yaml:2`));
        });
    });

    describe("GitHub annotations (validate --format github)", () => {
        it("escape sequences and line breaks in a message are shown escaped; % is still encoded", async () => {
            const problem: Problem = { file: "guests/a.csv", line: 2, column: 1, message: 'bad (got "x\u001b[2J\nguests/a.csv:1:1: ok 100%0A\r")' };
            const out = renderValidation(roster({ errors: [problem] }), "github");
            assert.equal(out, text(String.raw`::error file=guests/a.csv,line=2,col=1::bad (got "x\x1b[2J\nguests/a.csv:1:1: ok 100%250A\r")`, "1 error in 1 of 2 files; nothing was changed, fix the errors and run again"));
        });

        it("a file name cannot add or change an annotation property, nor carry an escape sequence", async () => {
            const problem: Problem = { file: "guests/a,line=1:b\u001b[8m%0A.csv", line: 3, message: "bad" };
            const out = renderValidation(roster({ warnings: [problem] }), "github");
            assert.equal(out, text(String.raw`::warning file=guests/a%2Cline=1%3Ab\x1b[8m%250A.csv,line=3::bad`, "0 guests in 1 file valid, 1 warning"));
        });
    });

    describe("JSON output", () => {
        it("keeps every value exactly as read: JSON escaping only", async () => {
            const name = "**LGTM** @contoso/admins \u001b[2J\n<b>|";
            const report = JSON.parse(diffOf([guest(ANN, { displayName: name })], "json"));
            assert.equal(report.added[0].displayName, name);
            const problem: Problem = { file: "guests/a\n.csv", line: 2, message: `bad ${name}` };
            const validation = JSON.parse(renderValidation(roster({ errors: [problem] }), "json"));
            assert.deepEqual(validation.errors, [problem]);
        });
    });

    describe("diff judges expiry as the program does", () => {
        let dir = "";
        const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" });
        const commit = async (files: Record<string, string>) => {
            for (const [name, content] of Object.entries(files)) {
                await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
                await fs.writeFile(path.join(dir, name), content);
            }
            git("add", "-A");
            git("commit", "-q", "-m", "guests");
        };
        beforeEach(async () => {
            dir = await project({});
            git("init", "-q", "-b", "main");
            git("config", "user.email", "ci@example.com");
            git("config", "user.name", "CI");
        });

        it("the day after a guest's `expires`, diff shows the removal the next `pulumi up` makes", async () => {
            await commit({ "guests/p.csv": "email,displayName,groups,expires\nann@fabrikam.com,Ann,Partners,2026-11-21\nbo@fabrikam.com,Bo,Partners,\n" });
            const run = await runCli(["diff", "--base", "main", "--as-of", "2026-11-22", "--max-removals", "0"], dir);
            assert.equal(
                run.stdout,
                [
                    "Compared with main: 1 guest removed (1 deleted, 0 retained); memberships +0 -1",
                    "  - Ann (ann@fabrikam.com) expired on 2026-11-21: the guest user is deleted; leaves Partners",
                    "",
                ].join("\n"),
            );
            assert.deepEqual([run.code, run.stderr], [3, "entra-guests: 1 guest would be removed, more than --max-removals 0; have a reviewer confirm the removals\n"]);
        });

        it("a guest expiring on the --as-of date is a removal, one expiring the next day only a reminder", async () => {
            await commit({ "guests/p.csv": "email,displayName,groups,expires\nann@fabrikam.com,Ann,Partners,2026-11-22\nbo@fabrikam.com,Bo,Partners,2026-11-23\n" });
            const run = await runCli(["diff", "--base", "main", "--as-of", "2026-11-22"], dir);
            assert.equal(
                run.stdout,
                [
                    "Compared with main: 1 guest removed (1 deleted, 0 retained); memberships +0 -1",
                    "  - Ann (ann@fabrikam.com) expired on 2026-11-22: the guest user is deleted; leaves Partners",
                    "  ! bo@fabrikam.com expires on 2026-11-23",
                    "",
                ].join("\n"),
            );
        });

        it("without --as-of, today (UTC) decides", async () => {
            const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
            await commit({ "guests/p.csv": `email,expires\nann@fabrikam.com,${day(-1)}\nbo@fabrikam.com,${day(30)}\n` });
            const report = JSON.parse((await runCli(["diff", "--base", "main", "--format", "json"], dir)).stdout);
            assert.deepEqual(report.removed, [{ email: ANN, user: "deleted", expired: day(-1), groups: [], apps: [] }]);
            assert.deepEqual([report.added, report.changed], [[], []]);
        });

        it("--as-of is in diff's help and on the commands page", async () => {
            const help = USAGE.slice(USAGE.indexOf("  diff --base"), USAGE.indexOf("  template"));
            assert.match(help, /\n {6}--as-of YYYY-MM-DD {10}guests expiring by this date count as removals \(default today\)\n/);
            const readme = await fs.readFile(path.join(ROOT, "docs", "commands.md"), "utf8");
            const row = readme.split("\n").find((l) => l.startsWith("| `npx entra-guests diff"));
            assert.ok(row?.includes("[--stack NAME] [--as-of DATE]"), row);
            assert.ok(row?.includes("guests whose `expires` has come by DATE (default today) count as removals"), row);
        });
    });
});
