import * as assert from "assert";
import { deployed, ops, warnings } from "./harness";
import { sampleTenant } from "./fixtures";

const BEFORE = {
    "a.yaml": [
        "guests:",
        "  - email: ann@fabrikam.com",
        "    displayName: Ann Lee",
        "    message: Welcome",
        "  - email: bo@fabrikam.com",
        "    displayName: Bo Chen",
        "    redirectUrl: https://portal.contoso.com",
        "  - email: cy@fabrikam.com",
        "    displayName: Cy",
        "    sendEmail: false",
        "",
    ].join("\n"),
};

/** The invite-time inputs force a replacement in the provider; the program must never let one through. */
describe("engine: invite-time edits", () => {
    it("a changed display name, message, redirect URL and send-mail flag replace nothing and warn once", async () => {
        const sim = await deployed(BEFORE, sampleTenant());
        const users = sim.tenant().users.map((u) => u.id).sort();
        sim.writeGuests({
            "a.yaml": [
                "guests:",
                "  - email: ann@fabrikam.com",
                "    displayName: Ann Lee",
                "    message: Welcome to the extranet", // message
                "  - email: bo@fabrikam.com",
                "    displayName: Bo Chen (Fabrikam)", // display name
                "    redirectUrl: https://extranet.contoso.com", // redirect URL
                "  - email: cy@fabrikam.com",
                "    displayName: Cy",
                "    sendEmail: true", // send-mail flag
                "",
            ].join("\n"),
        });
        const preview = await sim.preview();
        assert.strictEqual(preview.ok, true, preview.failure);
        assert.deepStrictEqual(ops(preview), ["same GuestUser guests/ann@fabrikam.com", "same GuestUser guests/bo@fabrikam.com", "same GuestUser guests/cy@fabrikam.com"]);
        const edited = warnings(preview).filter((w) => w.includes("invite-time fields"));
        assert.strictEqual(edited.length, 1, warnings(preview).join("\n"));
        assert.match(edited[0], /changed for 3 existing guests: ann@fabrikam\.com, bo@fabrikam\.com, cy@fabrikam\.com;/);

        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.deepStrictEqual(ops(up).filter((s) => !s.startsWith("same ")), []);
        assert.deepStrictEqual(sim.writes(), []);
        assert.deepStrictEqual(sim.tenant().users.map((u) => u.id).sort(), users, "no user was deleted or re-invited");
        assert.strictEqual(sim.tenant().mail.length, 1, "no invitation mail again");

        const next = await sim.preview();
        assert.deepStrictEqual(warnings(next).filter((w) => w.includes("invite-time fields")), [], "the warning is given once, not on every run");
    });

    it("a user whose directory mail differs in case from the address is adopted, and nothing replaces it after up or refresh", async () => {
        const seed = sampleTenant();
        seed.users = [...(seed.users ?? []), { id: "0a1b2c3d-0000-4000-8000-0000000000aa", mail: "Ann@Fabrikam.com", displayName: "Ann", userType: "Guest" }];
        const sim = await deployed({ "a.yaml": "guests:\n  - email: ann@fabrikam.com\n" }, seed, { "entra-guests:deleteAdoptedUsers": "true" });
        const state = await sim.state();
        assert.strictEqual(state.find((r) => r.name === "guests/ann@fabrikam.com")?.outputs.userId, "0a1b2c3d-0000-4000-8000-0000000000aa", "the address names the user whatever its case");
        for (const run of [await sim.preview(), await sim.refresh(), await sim.preview()]) {
            assert.strictEqual(run.ok, true, run.failure);
            assert.deepStrictEqual(ops(run, "replace", "create-replacement", "delete-replaced", "delete", "create"), []);
        }
        assert.deepStrictEqual(sim.writes(), []);
        assert.ok(sim.tenant().users.some((u) => u.id === "0a1b2c3d-0000-4000-8000-0000000000aa"));
    });
});
