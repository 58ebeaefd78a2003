// `npm run bench:baseline -- [GUESTS]`: what the removal guard's baseline costs in the checkpoint,
// measured through the real engine on the simulated tenant: N guests in one group,
// deployed and settled (two `up`s), then the checkpoint file's size, the size of the stack
// output `managedGuests` as the checkpoint stores it, and the checkpoint's bytes a guest by
// resource type and field.
import { cleanUpEngineTests, SimStack } from "../../test/engine/harness";
import { sampleTenant } from "../../test/engine/fixtures";

async function main(): Promise<void> {
    const n = Number(process.argv[2] ?? "1000");
    if (!Number.isInteger(n) || n < 1) throw new Error(`usage: npm run bench:baseline -- [GUESTS] (got ${process.argv[2]})`);
    const rows = Array.from({ length: n }, (_, i) => `guest${String(i).padStart(5, "0")}@fabrikam.example,Project Falcon`);
    const sim = await SimStack.create({ "g.csv": `email,groups\n${rows.join("\n")}\n` }, sampleTenant());
    for (const which of ["first", "second"]) {
        const up = await sim.up();
        if (!up.ok) throw new Error(`the ${which} up failed:\n${up.failure}`);
    }
    const text = sim.checkpointText();
    const resources = (JSON.parse(text) as { checkpoint: { latest: { resources: Record<string, unknown>[] } } }).checkpoint.latest.resources;
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack")! as { outputs: Record<string, unknown> };
    // The file backend writes the checkpoint as compact JSON (pkg/backend/diy/state.go:211-223 at v3.248.0).
    const bytes = (v: unknown) => (v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v)));
    const own = bytes(stack.outputs.managedGuests);
    const result = { guests: n, checkpointBytes: Buffer.byteLength(text), baselineBytes: own, perGuest: { checkpoint: Math.round(Buffer.byteLength(text) / n), baseline: Math.round(own / n) }, share: Number((own / Buffer.byteLength(text)).toFixed(3)), byType: byType(resources, n) };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    await cleanUpEngineTests();
}

/** Bytes a guest, by resource type and by field of the checkpoint's resource entries: where the state goes. */
function byType(resources: Record<string, unknown>[], n: number): Record<string, { count: number; perGuest: Record<string, number> }> {
    const out: Record<string, { count: number; perGuest: Record<string, number> }> = {};
    for (const r of resources) {
        const entry = (out[String(r.type)] ??= { count: 0, perGuest: {} });
        entry.count++;
        for (const [field, value] of Object.entries(r)) entry.perGuest[field] = (entry.perGuest[field] ?? 0) + Buffer.byteLength(JSON.stringify(value)) + field.length + 4;
    }
    for (const entry of Object.values(out)) for (const f of Object.keys(entry.perGuest)) entry.perGuest[f] = Math.round((entry.perGuest[f] / n) * 10) / 10;
    return out;
}

main().catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
});
