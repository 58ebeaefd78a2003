import * as assert from "assert";
import { ops, SimStack } from "./harness";
import { IDS, sampleTenant } from "./fixtures";

const ONE = { "a.yaml": "guests:\n  - email: ann@fabrikam.com\n    groups: [Project Falcon]\n    apps:\n      - app: Contoso Partner Portal\n        role: Partner.Read\n" };

/** The tenant's bad days, through the engine: what the provider absorbs, and what it does not. */
describe("engine: faults on demand", () => {
    it("throttling and a principal not yet visible are retried as the provider does, and the up succeeds", async () => {
        const seed = sampleTenant();
        seed.faults = { throttle: { requests: 3, retryAfterSeconds: 2 }, invisibleAfterInvite: { "ann@fabrikam.com": 2 } };
        const sim = await SimStack.create(ONE, seed);
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        assert.strictEqual(ops(up, "create").length, 3);
        const requests = sim.calls().filter((c) => c.kind === "request");
        assert.strictEqual(requests.filter((c) => c.status === 429).length, 3, "three requests throttled");
        const sleeps = sim.calls().filter((c) => c.kind === "sleep" && c.reason.startsWith("retry after 429"));
        assert.deepStrictEqual(sleeps.map((c) => c.kind === "sleep" && c.seconds), [2, 2, 2], "Retry-After honoured");
        assert.strictEqual(requests.filter((c) => c.status === 404).length, 2, "two reads before the new user replicated");
        assert.deepStrictEqual(sim.tenant().faults.throttle?.requests, 0);
        const ann = sim.tenant().users.find((u) => u.mail === "ann@fabrikam.com")!;
        assert.deepStrictEqual(sim.tenant().groups.find((g) => g.id === IDS.falcon)!.members, [ann.id]);
    });

    it("a membership read-back that misses fails the create although the membership exists (adoption.engine.ts: the next up adopts it)", async () => {
        const seed = sampleTenant();
        seed.faults = { memberReadBackMisses: { "ann@fabrikam.com": 1 } };
        const sim = await SimStack.create(ONE, seed);
        const up = await sim.up();
        assert.strictEqual(up.ok, false);
        assert.match(up.failure, /expected non-nil error with nil state during Create of urn:pulumi:test::entra-guests::.*GroupMember::guests\/ann@fabrikam\.com\//);
        const ann = sim.tenant().users.find((u) => u.mail === "ann@fabrikam.com")!;
        assert.deepStrictEqual(sim.tenant().groups.find((g) => g.id === IDS.falcon)!.members, [ann.id], "Entra has the membership");
        assert.strictEqual((await sim.state()).some((r) => r.type.endsWith("GroupMember")), false, "the state does not");
    });

    it("a membership whose read-back is refused stays in state with its init error; the next up fails on its update, and `pulumi up --refresh` recovers", async () => {
        const seed = sampleTenant();
        seed.faults = { readBackErrors: { "ann@fabrikam.com": 1 } };
        // The group alone: the fault is spent by ann's first read-back, membership or assignment.
        const sim = await SimStack.create({ "a.yaml": "guests:\n  - email: ann@fabrikam.com\n    groups: [Project Falcon]\n" }, seed);
        const member = `GroupMember guests/ann@fabrikam.com/${IDS.falcon}`;
        const first = await sim.up();
        assert.strictEqual(first.ok, false);
        assert.match(first.failure, /creating urn:pulumi:test::entra-guests::\S*GroupMember::guests\/ann@fabrikam\.com\/\S+: 1 error occurred:[\s\S]*Retrieving member [\s\S]*Authorization_RequestDenied/);
        const kept = (JSON.parse(sim.checkpointText()) as { checkpoint: { latest: { resources: { type: string; initErrors?: string[] }[] } } }).checkpoint.latest.resources.filter((r) => r.type.endsWith("GroupMember"));
        assert.deepStrictEqual(kept.map((r) => (r.initErrors ?? []).length), [1], "kept in state, with its init error");

        const second = await sim.up();
        assert.strictEqual(second.ok, false);
        assert.deepStrictEqual(ops(second, "update", "create", "replace", "delete"), [`update ${member}`]);
        assert.match(second.failure, /updating urn:pulumi:test::entra-guests::\S*GroupMember::guests\/ann@fabrikam\.com\/\S+: 1 error occurred:[\s\S]*doesn't support update/);

        const third = await sim.up({ refresh: true });
        assert.strictEqual(third.ok, true, third.failure);
        assert.deepStrictEqual(ops(third, "update", "create", "replace", "delete"), []);
        assert.deepStrictEqual(sim.writes().filter((w) => w.includes("/members/")), [`POST /beta/groups/${IDS.falcon}/members/$ref 204`], "the membership made once, never again");
    });
});
