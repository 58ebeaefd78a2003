import * as assert from "assert";
import { main } from "../../cli/main";
import { ops, SimStack } from "./harness";
import { IDS, sampleTenant } from "./fixtures";
import { TenantSeed } from "../../tools/sim/tenant/format";

const uid = (n: number) => `cccccccc-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** Three existing guests in Project Falcon, two with the portal role; the admin (a member) too. */
function tenant(): TenantSeed {
    const seed = sampleTenant();
    seed.users = [...(seed.users ?? []), ...[0, 1, 2].map((i) => ({ id: uid(i), mail: `guest${i}@fabrikam.example`, displayName: `Guest ${i}`, userType: "Guest" as const }))];
    seed.groups = seed.groups!.map((g) => (g.id === IDS.falcon ? { ...g, members: [IDS.admin, uid(0), uid(1), uid(2)] } : g));
    seed.appRoleAssignments = [...(seed.appRoleAssignments ?? []), ...[0, 1].map((i) => ({ id: `existing-${i}`, appRoleId: IDS.partnerRead, principalId: uid(i), resourceId: IDS.portal }))];
    return seed;
}

describe("engine: entra-guests adopt, then the pull request's preview", () => {
    it("the file adopt writes previews as adoptions and imports only: no invitation, no membership created, no delete; up then leaves nothing to change", async function () {
        this.timeout(300_000);
        const sim = await SimStack.create({}, tenant());
        try {
            let stdout = "";
            let stderr = "";
            const env = { ENTRA_GUESTS_GRAPH_URL: sim.graph.url, ENTRA_GUESTS_GRAPH_TOKEN: sim.graph.token };
            const code = await main(["adopt", "--group", "Project Falcon", "--app", "Contoso Partner Portal"], {
                cwd: sim.project,
                env,
                stdout: { write: (t: string) => (stdout += t) },
                stderr: { write: (t: string) => (stderr += t) },
            });
            assert.strictEqual(code, 0, stderr);
            assert.strictEqual(stdout.split("\n")[0], "guests/adopted.yaml: 3 users written (1 group, 1 app)");

            const preview = await sim.preview();
            assert.strictEqual(preview.ok, true, preview.failure);
            const changes = ops(preview).filter((o) => !o.startsWith("same "));
            assert.strictEqual(changes.filter((o) => o.startsWith("import GroupMember")).length, 3);
            assert.strictEqual(changes.filter((o) => o.startsWith("import AppRoleAssignment")).length, 2);
            // A GuestUser per user, which adopts it (the look finds it), and imports of what it has.
            assert.deepStrictEqual(changes.filter((o) => !o.startsWith("import ")), ["guest0", "guest1", "guest2"].map((g) => `create GuestUser guests/${g}@fabrikam.example`), "no membership created, no delete");

            const up = await sim.up();
            assert.strictEqual(up.ok, true, up.failure);
            assert.deepStrictEqual(sim.writes().filter((w) => w.startsWith("POST /invitations")), [], "no invitation");
            assert.deepStrictEqual(sim.calls().filter((c) => c.kind === "mail"), [], "no mail");
            assert.ok((await sim.state()).filter((r) => r.type === "entraguests:index:GuestUser").every((r) => r.outputs.createdByStack === false), "adopted: never the stack's to delete");
            const again = await sim.preview();
            assert.deepStrictEqual(ops(again).filter((o) => !o.startsWith("same ")), [], "no changes after the up");
        } finally {
            await sim.dispose();
        }
    });
});
