import { strict as assert } from "assert";
import { selectRuns } from "../tools/bench/engine/report";
import { changeMix, rosterFiles } from "../tools/bench/engine/roster";
import type { EngineRun } from "../tools/bench/engine/run";
import { parseOptions } from "../tools/bench/engine/split";
import { countCalls, pathShape } from "../tools/bench/engine/stack";

/** The rows of every generated file but their headers. */
function rows(files: Record<string, string>): string[] {
    return Object.values(files).flatMap((t) => t.split("\n").slice(1).filter((l) => l !== ""));
}

describe("bench:engine's roster and counts", () => {
    it("changes 1% of guests, rounded up: a third removed, a third regrouped, the rest added", async () => {
        assert.deepEqual(changeMix(1000), { removed: 3, regrouped: 3, added: 4 });
        assert.deepEqual(changeMix(10000), { removed: 33, regrouped: 33, added: 34 });
        assert.deepEqual(changeMix(20), { removed: 0, regrouped: 0, added: 1 });
    });

    it("writes the changed roster as the mix says, the same guests otherwise", async () => {
        const before = rows(rosterFiles(1000, "initial"));
        const after = rows(rosterFiles(1000, "changed"));
        assert.equal(before.length, 1000);
        assert.equal(after.length, 1000 - 3 + 4);
        const email = (r: string) => r.split(",")[0];
        const removed = before.filter((r) => !after.some((a) => email(a) === email(r)));
        const added = after.filter((a) => !before.some((r) => email(r) === email(a)));
        const regrouped = after.filter((a) => before.some((r) => email(r) === email(a) && r !== a));
        assert.deepEqual([removed.length, added.length, regrouped.length], [3, 4, 3]);
        for (const r of regrouped) assert.equal(r.split(",")[2].split(";").length, 2);
    });

    it("groups calls by path with IDs folded and adds up the unscaled waits", async () => {
        const id = "3b751a88-b498-443b-888a-a0f3475300d0";
        assert.equal(pathShape(`/beta/groups/${id}/members?$filter=id eq '${id}'`), "/beta/groups/<id>/members");
        const count = countCalls([
            { kind: "request", method: "POST", path: "/invitations", status: 201, write: true },
            { kind: "request", method: "GET", path: `/users/${id}`, status: 200, write: false },
            { kind: "request", method: "POST", path: "/directoryObjects/getByIds", status: 200, write: false, via: "http" },
            { kind: "sleep", seconds: 5, reason: "waiting for 'Done'" },
            { kind: "sleep", seconds: 5, reason: "waiting for 'Done'" },
        ]);
        assert.deepEqual(count, { provider: 2, http: 1, writes: 1, waitSeconds: 10, byKind: { "POST /invitations": 1, "GET /users/<id>": 1, "http POST /directoryObjects/getByIds": 1 } });
    });

    it("refuses an option it does not know, saying which", async () => {
        assert.throws(() => parseOptions(["--guests", "ten"]), /--guests must be a whole number above 0 \(got "ten"\)/);
        assert.throws(() => parseOptions(["--fast"]), /unknown option --fast/);
        assert.deepEqual(parseOptions(["--env", "PULUMI_SKIP_CHECKPOINTS=true"]).env, { PULUMI_SKIP_CHECKPOINTS: "true" });
        assert.equal(parseOptions(["--profile", "/tmp/prof"]).profile, "/tmp/prof");
        assert.equal(parseOptions([]).profile, undefined);
    });

    it("reports across invocations only the runs of the size, date and engine settings asked for", async () => {
        const run = (guests: number, date: string, env: Record<string, string>) => ({ guests, date, options: { env }, rows: { ours: {}, naive: {} } }) as unknown as EngineRun;
        const skip = { PULUMI_SKIP_CHECKPOINTS: "true" };
        const runs = [run(10000, "2026-11-25T18:12:00Z", skip), run(10000, "2026-11-25T18:50:00Z", skip), run(1000, "2026-11-25T18:50:00Z", skip), run(10000, "2026-11-24T10:00:00Z", skip), run(10000, "2026-11-25T19:00:00Z", {})];
        assert.deepEqual(selectRuns(runs, { guests: 10000, since: "2026-11-25", env: skip }).map((r) => r.date), ["2026-11-25T18:12:00Z", "2026-11-25T18:50:00Z"]);
        assert.deepEqual(selectRuns(runs, { guests: 10000, env: {} }).map((r) => r.date), ["2026-11-25T19:00:00Z"]);
        assert.deepEqual(selectRuns(runs, { guests: 500, env: skip }), []);
    });
});
