// `npm run bench:baseline -- [GUESTS]`: what the removal guard's baseline costs in the checkpoint
// (issue 12), measured through the real engine on the simulated tenant: N guests in one group,
// deployed and settled (two `up`s), then the checkpoint file's size, and the size of the stack
// output `managedGuests` and of the StackReference's copy of it, as the checkpoint stores them.
import { cleanUpEngineTests, SimStack } from "../test/engine/harness";
import { sampleTenant } from "../test/engine/fixtures";

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
    const resources = (JSON.parse(text) as { checkpoint: { latest: { resources: { type: string; outputs: Record<string, unknown> }[] } } }).checkpoint.latest.resources;
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
    const ref = resources.find((r) => r.type === "pulumi:pulumi:StackReference")!;
    // The file backend writes the checkpoint indented by four spaces; the nested values sit deeper, so this is a floor.
    const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v, null, 4));
    const own = bytes(stack.outputs.managedGuests);
    const copy = bytes((ref.outputs.outputs as Record<string, unknown>).managedGuests);
    const result = { guests: n, checkpointBytes: Buffer.byteLength(text), baselineBytes: own, referenceCopyBytes: copy, perGuest: { checkpoint: Math.round(Buffer.byteLength(text) / n), baseline: Math.round(own / n), referenceCopy: Math.round(copy / n) }, share: Number(((own + copy) / Buffer.byteLength(text)).toFixed(3)) };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    await cleanUpEngineTests();
}

main().catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
});
