import { strict as assert } from "assert";
import { generateGuests, generateRoster } from "../tools/bench/generate";
import { rosterOf } from "./helpers/roster";

describe("benchmark roster generator", () => {
    it("is deterministic per seed, spreads guests over the formats, and validates", async () => {
        const options = { guests: 2_500, groupsPerGuest: 2, perFile: 1_000 };
        const a = generateRoster(options);
        assert.deepEqual(generateRoster(options), a);
        assert.notDeepEqual(generateRoster({ ...options, seed: 7 }), a);
        assert.deepEqual(a.map((f) => f.path), ["guests/generated-000.csv", "guests/generated-001.yaml", "guests/generated-002.csv"]);
        const roster = rosterOf(Object.fromEntries(a.map((f) => [f.path, f.text])));
        assert.deepEqual([roster.errors, roster.warnings], [[], []]);
        assert.equal(roster.guests.length, 2_500);
        assert.deepEqual(roster.files.map((f) => [f.format, f.guests]), [["native-csv", 1_000], ["yaml", 1_000], ["portal", 500]]);
        // The portal template has no group column; the others carry exactly two groups.
        const guests = generateGuests(options);
        assert.deepEqual(new Set(guests.slice(0, 2_000).map((g) => g.groups.length)), new Set([2]));
        assert.deepEqual(new Set(guests.slice(2_000).map((g) => g.groups.length)), new Set([0]));
        assert.deepEqual(roster.guests.filter((g) => g.groups.length === 2).length, 2_000);
    });
});
