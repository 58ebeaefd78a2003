import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { promises as fs } from "fs";
import * as path from "path";
import { runCli, tempProject } from "./helpers/cli";
import { AS_OF } from "./helpers/roster";

/** A throwaway git repository: write files, commit, and read the diff against a ref. */
class Repo {
    constructor(readonly dir: string) {}

    static async create(): Promise<Repo> {
        const repo = new Repo(await tempProject({}));
        repo.git("init", "-q", "-b", "main");
        repo.git("config", "user.email", "ci@example.com");
        repo.git("config", "user.name", "CI");
        return repo;
    }

    git(...args: string[]): string {
        return execFileSync("git", ["-C", this.dir, ...args], { encoding: "utf8" });
    }

    async write(files: Record<string, string | null>): Promise<void> {
        for (const [name, content] of Object.entries(files)) {
            const full = path.join(this.dir, name);
            if (content === null) await fs.rm(full, { force: true });
            else {
                await fs.mkdir(path.dirname(full), { recursive: true });
                await fs.writeFile(full, content);
            }
        }
    }

    async commit(files: Record<string, string | null>): Promise<void> {
        await this.write(files);
        this.git("add", "-A");
        this.git("commit", "-q", "--allow-empty", "-m", "change");
    }

    diff(...args: string[]) {
        return runCli(["diff", "--as-of", AS_OF, ...args], this.dir);
    }
}

const BASE = {
    "guests/fabrikam.csv": "email,displayName,groups,apps\nann@fabrikam.com,Ann,Partners,Portal:Reader\nbo@fabrikam.com,Bo,Partners;Falcon,\n",
    "guests/northwind.yaml": "guests:\n  - email: cy@northwind.de\n    displayName: Cy\n    onRemove: retain\n    groups: [Partners]\n",
};

describe("entra-guests diff", () => {
    let repo: Repo;
    beforeEach(async () => {
        repo = await Repo.create();
    });
    afterEach(async () => {
        await fs.rm(repo.dir, { recursive: true, force: true });
    });

    it("reports added, removed, changed guests and memberships, field by field", async () => {
        await repo.commit(BASE);
        await repo.write({
            "guests/fabrikam.csv": "email,displayName,groups,apps\nann@fabrikam.com,Ann Lee,Partners;Finance,Portal:Admin\nde@fabrikam.com,,Partners,\n",
            "guests/northwind.yaml": null,
        });
        const run = await repo.diff("--base", "main");
        assert.equal(run.code, 0);
        assert.equal(
            run.stdout,
            [
                "Compared with main: 1 guest added; 2 guests removed (1 deleted, 1 retained); 1 guest changed; memberships +2 -3; app assignments +1 -1",
                "  + de@fabrikam.com is invited; joins Partners; no expiry; from guests/fabrikam.csv:3",
                "  - Bo (bo@fabrikam.com) is removed: the guest user is deleted; leaves Partners, Falcon",
                "  - Cy (cy@northwind.de) is removed: the guest user is kept (onRemove: retain); leaves Partners",
                '  ~ Ann Lee (ann@fabrikam.com) joins Finance; gets Portal (Admin); loses Portal (Reader); displayName "Ann" → "Ann Lee" (no effect on an existing guest); no expiry; from guests/fabrikam.csv:2',
                "",
            ].join("\n"),
        );
    });

    it("shows a guest moved to another file, or rewritten in another format, as no change", async () => {
        await repo.commit(BASE);
        await repo.write({
            "guests/fabrikam.csv": null,
            "guests/all.yaml": [
                "guests:",
                "  - email: BO@fabrikam.com",
                "    displayName: Bo",
                "    groups: [falcon, partners]",
                "  - email: ann@fabrikam.com",
                "    displayName: Ann",
                "    groups: [Partners]",
                "    apps: [{ app: Portal, role: Reader }]",
                "",
            ].join("\n"),
        });
        const run = await repo.diff("--base", "main", "--format", "json");
        const report = JSON.parse(run.stdout);
        assert.deepEqual([report.added, report.removed, report.changed], [[], [], []]);
        assert.equal((await repo.diff("--base", "main")).stdout, "Compared with main: no change to guest access\n");
    });

    it("works when the base has no guest files yet", async () => {
        await repo.commit({ "README.md": "hello\n" });
        await repo.write(BASE);
        const run = await repo.diff("--base", "main", "--format", "json");
        const report = JSON.parse(run.stdout);
        assert.deepEqual(report.added.map((a: { email: string }) => a.email), ["ann@fabrikam.com", "bo@fabrikam.com", "cy@northwind.de"]);
        assert.deepEqual(report.counts, { added: 3, removed: 0, deleted: 0, retained: 0, changed: 0, membershipsAdded: 4, membershipsRemoved: 0, assignmentsAdded: 1, assignmentsRemoved: 0 });
    });

    it("writes markdown for a PR comment, folding long detail", async () => {
        await repo.commit(BASE);
        await repo.write({ "guests/fabrikam.csv": null });
        const short = await repo.diff("--base", "main", "--format", "markdown");
        assert.equal(
            short.stdout,
            [
                "<!-- entra-guests diff -->",
                "**Guest access compared with `main`:** 2 guests removed (2 deleted, 0 retained); memberships +0 -3; app assignments +0 -1",
                "",
                "| | guest | change |",
                "| --- | --- | --- |",
                "| ➖ | Ann (ann@fabrikam.com) | is removed: the guest user is deleted; leaves Partners; loses Portal (Reader) |",
                "| ➖ | Bo (bo@fabrikam.com) | is removed: the guest user is deleted; leaves Partners, Falcon |",
                "",
            ].join("\n"),
        );
        const many = Array.from({ length: 20 }, (_, i) => `g${i}@fabrikam.com`).join("\n");
        await repo.write({ "guests/many.csv": `email\n${many}\n` });
        const long = await repo.diff("--base", "main", "--format", "markdown");
        assert.match(long.stdout, /^<!-- entra-guests diff -->\n\*\*Guest access compared with `main`:\*\* 20 guests added; 2 guests removed/);
        assert.match(long.stdout, /\n<details><summary>22 changes<\/summary>\n\n\| \| guest \| change \|\n/);
        assert.match(long.stdout, /\n<\/details>\n$/);
    });

    it("marks expiry: expired guests as removed, soon-expiring ones as a reminder", async () => {
        await repo.commit(BASE);
        await repo.write({ "guests/fabrikam.csv": "email,displayName,groups,expires\nann@fabrikam.com,Ann,Partners,2026-11-20\nbo@fabrikam.com,Bo,Partners;Falcon,2026-11-27\n" });
        const run = await repo.diff("--base", "main");
        assert.equal(
            run.stdout,
            [
                "Compared with main: 1 guest removed (1 deleted, 0 retained); 1 guest changed; memberships +0 -1; app assignments +0 -1",
                "  - Ann (ann@fabrikam.com) expired on 2026-11-20: the guest user is deleted; leaves Partners; loses Portal (Reader)",
                '  ~ Bo (bo@fabrikam.com) expires (none) → "2026-11-27"; from guests/fabrikam.csv:3',
                "  ! bo@fabrikam.com expires on 2026-11-27",
                "",
            ].join("\n"),
        );
    });

    it("exits 3 past --max-removals, 1 on invalid files, 2 on a bad ref", async () => {
        await repo.commit(BASE);
        await repo.write({ "guests/fabrikam.csv": null });
        assert.equal((await repo.diff("--base", "main", "--max-removals", "2")).code, 0);
        const over = await repo.diff("--base", "main", "--max-removals", "1");
        assert.deepEqual([over.code, over.stderr], [3, "entra-guests: 2 guests would be removed, more than --max-removals 1; have a reviewer confirm the removals\n"]);
        await repo.write({ "guests/bad.csv": "email\nnot-an-address\n" });
        const invalid = await repo.diff("--base", "main");
        assert.equal(invalid.code, 1);
        assert.match(invalid.stdout, /^guests\/bad\.csv:2:1: `email` is not an email address/);
        await repo.write({ "guests/bad.csv": null });
        const bad = await repo.diff("--base", "no-such-branch");
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /^entra-guests: --base: "no-such-branch" is not a commit in this repository; fetch it first/);
        assert.equal((await repo.diff()).code, 2, "--base is required");
    });

    it("reads the same globs at the base ref as in the work tree", async () => {
        await repo.commit({ ...BASE, "guests/staff.csv": "email\nzed@contoso.com\n" });
        await repo.write({ "guests/fabrikam.csv": "email,displayName,groups,apps\nann@fabrikam.com,Ann,Partners,Portal:Reader\n", "guests/staff.csv": null });
        const report = JSON.parse((await repo.diff("--base", "main", "--format", "json", "guests/f*.csv")).stdout);
        assert.deepEqual(report.removed.map((r: { email: string }) => r.email), ["bo@fabrikam.com"]);
        assert.deepEqual([report.added, report.changed], [[], []]);
    });

    it("shows every guest removed when a pull request deletes the whole folder", async () => {
        await repo.commit(BASE);
        await repo.write({ "guests/fabrikam.csv": null, "guests/northwind.yaml": null });
        const report = JSON.parse((await repo.diff("--base", "main", "--format", "json")).stdout);
        assert.deepEqual(report.removed.map((r: { email: string; user: string }) => [r.email, r.user]), [
            ["ann@fabrikam.com", "deleted"],
            ["bo@fabrikam.com", "deleted"],
            ["cy@northwind.de", "retained"],
        ]);
    });
});
