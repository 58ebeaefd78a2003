import { strict as assert } from "assert";
import { changeMix, rosterFiles } from "../bench/engine/roster";
import { parseOptions } from "../bench/engine/split";
import { countCalls, pathShape } from "../bench/engine/stack";

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
    });
});
