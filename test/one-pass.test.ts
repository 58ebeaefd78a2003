import * as assert from "assert";
import { buildRoster } from "../roster";
import { lines, OPTIONS, rosterOf } from "./helpers/roster";

/** A guest with a field error and a policy breach shows both in one run, not one per fix. */
describe("policy errors with field errors in one pass", () => {
    it("reports the blocked domain of a guest whose other fields are wrong", async () => {
        const roster = rosterOf(
            { "a.yaml": "policy:\n  blockedDomains: [gmail.com]\nguests:\n  - email: mallory@gmail.com\n    redirectUrl: not a url\n" },
            { ...OPTIONS, allowedDomains: [] },
        );
        const [policy, field, ...rest] = lines(roster.errors);
        assert.strictEqual(policy, "a.yaml:4:12: mallory@gmail.com is blocked by `blockedDomains` [gmail.com] set by the `policy` of a.yaml; invite this guest from a file whose policy allows the domain, or correct the address");
        assert.match(field, /^a\.yaml:5:18: `redirectUrl`/);
        assert.deepStrictEqual(rest, []);
        assert.strictEqual(roster.guests.length, 0);
    });

    it("reports the stack's allow-list for a CSV row with a bad cell", async () => {
        const roster = rosterOf({ "a.csv": "email,sendEmail\nbo@evil.com,perhaps\n" }, { ...OPTIONS, allowedDomains: ["fabrikam.com"] });
        assert.strictEqual(roster.errors.length, 2, lines(roster.errors).join("\n"));
        assert.ok(lines(roster.errors).some((l) => l.startsWith("a.csv:2:1: bo@evil.com is not allowed by `allowedDomains` [fabrikam.com]")));
        assert.ok(lines(roster.errors).some((l) => l.startsWith("a.csv:2:13: `sendEmail`")));
    });

    it("a crash in one file of any kind is an error naming it, and the other files' problems stay", async () => {
        const exploding = {
            path: "b.yaml",
            get bytes(): Uint8Array {
                throw new RangeError("Maximum call stack size exceeded");
            },
        };
        const roster = buildRoster([{ path: "a.csv", bytes: Buffer.from("email\nann@fabrikam\n") }, exploding, { path: "c.yaml", bytes: Buffer.from("guests:\n  - email: cy@fabrikam.com\n") }], OPTIONS);
        assert.deepStrictEqual(lines(roster.errors), [
            'a.csv:2:1: `email` has an invalid domain "fabrikam" (got "ann@fabrikam"); write a full domain, like fabrikam.com',
            'b.yaml: reading the file failed unexpectedly (got "RangeError: Maximum call stack size exceeded"); this is a bug in entra-guests, report it with the file\'s shape (not its addresses)',
        ]);
        assert.deepStrictEqual(roster.guests.map((g) => g.email), ["cy@fabrikam.com"]);
    });
});
