// What a reviewer needs to judge a change: each added or changed guest's `expires` and
// source line, plan counts without 360,000 resource lines, and validate's count of expired guests.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { promises as fs } from "fs";
import * as path from "path";
import { runCli, tempProjects } from "./helpers/cli";
import { AS_OF } from "./helpers/roster";

const BASE = "email,displayName,groups,expires\nann@fabrikam.com,Ann,Partners,2027-03-01\nbo@fabrikam.com,Bo,Partners,\n";
const HEAD = [
    "email,displayName,groups,expires",
    "ann@fabrikam.com,Ann,Partners;Finance,2027-03-01",
    "bo@fabrikam.com,Bo Lee,Partners,",
    "de@fabrikam.com,,Partners,2027-01-31",
    "ed@fabrikam.com,Ed,,",
    "",
].join("\n");

describe("review output", () => {
    const project = tempProjects();

    async function repo(): Promise<string> {
        const dir = await project({ "guests/a.csv": BASE });
        const git = (...args: string[]) => execFileSync("git", ["-C", dir, "-c", "user.email=ci@example.com", "-c", "user.name=CI", ...args], { encoding: "utf8" });
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("commit", "-q", "-m", "base");
        await fs.writeFile(path.join(dir, "guests/a.csv"), HEAD);
        return dir;
    }

    it("diff text: each added or changed guest shows its `expires` and its source line", async () => {
        const run = await runCli(["diff", "--base", "main", "--as-of", AS_OF], await repo());
        assert.equal(run.code, 0);
        assert.equal(
            run.stdout,
            [
                "Compared with main: 2 guests added; 2 guests changed; memberships +2 -0",
                "  + de@fabrikam.com is invited; joins Partners; expires 2027-01-31; from guests/a.csv:4",
                "  + Ed (ed@fabrikam.com) is invited; no expiry; from guests/a.csv:5",
                "  ~ Ann (ann@fabrikam.com) joins Finance; expires 2027-03-01; from guests/a.csv:2",
                '  ~ Bo Lee (bo@fabrikam.com) displayName "Bo" → "Bo Lee" (no effect on an existing guest); no expiry; from guests/a.csv:3',
                "",
            ].join("\n"),
        );
    });

    it("diff markdown: the same, escaped, and a changed `expires` is shown once", async () => {
        const dir = await repo();
        await fs.writeFile(path.join(dir, "guests/a.csv"), HEAD.replace("Partners;Finance,2027-03-01", "Partners;Finance,2027-04-01"));
        const run = await runCli(["diff", "--base", "main", "--as-of", AS_OF, "--format", "markdown"], dir);
        assert.deepEqual(run.stdout.split("\n").slice(5), [
            "| ➕ | de@fabrikam.com | is invited; joins Partners; expires 2027-01-31; from guests/a.csv\\:4 |",
            "| ➕ | Ed (ed@fabrikam.com) | is invited; no expiry; from guests/a.csv\\:5 |",
            '| ✏️ | Ann (ann@fabrikam.com) | joins Finance; expires "2027-03-01" → "2027-04-01"; from guests/a.csv\\:2 |',
            '| ✏️ | Bo Lee (bo@fabrikam.com) | displayName "Bo" → "Bo Lee" (no effect on an existing guest); no expiry; from guests/a.csv\\:3 |',
            "",
        ]);
    });

    it("diff JSON: added and changed guests carry `expires` and `source`", async () => {
        const report = JSON.parse((await runCli(["diff", "--base", "main", "--as-of", AS_OF, "--format", "json"], await repo())).stdout);
        assert.deepEqual(report.added.map((a: object) => a), [
            { email: "de@fabrikam.com", mailed: false, groups: ["Partners"], apps: [], expires: "2027-01-31", source: { file: "guests/a.csv", line: 4 } },
            { email: "ed@fabrikam.com", displayName: "Ed", mailed: false, groups: [], apps: [], source: { file: "guests/a.csv", line: 5 } },
        ]);
        assert.deepEqual(report.changed.map((c: { source: object; expires?: string }) => [c.expires, c.source]), [
            ["2027-03-01", { file: "guests/a.csv", line: 2 }],
            [undefined, { file: "guests/a.csv", line: 3 }],
        ]);
    });

    it("plan --summary prints counts only, no per-resource line", async () => {
        const dir = await project({ "guests/a.csv": HEAD });
        const run = await runCli(["plan", "--summary", "--as-of", AS_OF], dir);
        assert.equal(run.code, 0);
        assert.equal(
            run.stdout,
            [
                "Plan: 4 guest users, 4 group memberships, 0 app role assignments; 4 resources wait on directory lookups, done by `pulumi preview`",
                "This is what the program registers; `pulumi preview` shows which of it changes the tenant; `entra-guests plan` without --summary lists each resource.",
                "Guests new to the stack are looked up by `pulumi preview`: an address that already has a user is adopted (no invitation, no mail), and its existing memberships and assignments are imported; see docs/identity.md.",
                "",
            ].join("\n"),
        );
        const json = JSON.parse((await runCli(["plan", "--summary", "--format", "json", "--as-of", AS_OF], dir)).stdout);
        assert.deepEqual(json, { ok: true, counts: { guests: 4, groupMemberships: 4, appRoleAssignments: 0, lookups: 4 }, errors: [], warnings: [] });
    });

    it("plan --summary still prints every problem", async () => {
        const dir = await project({ "guests/a.csv": "email\nnot-an-address\n" });
        const run = await runCli(["plan", "--summary"], dir);
        assert.equal(run.code, 1);
        assert.equal(
            run.stdout,
            'guests/a.csv:2:1: `email` is not an email address (got "not-an-address"); write it as name@domain, like ann@fabrikam.com\n1 error; nothing would be registered, fix the errors and run again\n',
        );
    });

    it("validate --as-of counts the guests it found expired in its summary", async () => {
        const dir = await project({ "guests/a.csv": "email,expires\nann@fabrikam.com,2026-11-22\nbo@fabrikam.com,2026-01-01\nce@fabrikam.com,\n" });
        const run = await runCli(["validate", "--as-of", AS_OF], dir);
        assert.equal(run.code, 0);
        assert.equal(run.stdout.split("\n").at(-2), "1 guest in 1 file valid (2 more expired by 2026-11-22 and left out), 2 warnings");
        const github = await runCli(["validate", "--as-of", AS_OF, "--format", "github"], dir);
        assert.equal(github.stdout.split("\n").at(-2), "1 guest in 1 file valid (2 more expired by 2026-11-22 and left out), 2 warnings");
        const none = await runCli(["validate", "--as-of", "2025-01-01"], dir);
        assert.equal(none.stdout, "guests/a.csv: 0 of 3 guests mailed when invited (3 not, by default: no sendEmail value and no message)\n3 guests in 1 file valid\n");
    });
});
