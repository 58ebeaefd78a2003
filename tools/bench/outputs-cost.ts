// `npm run bench:outputs -- [GUESTS] [RUNS]`: what publishing the removal guard's baseline costs
// the program, as the map earlier versions published and as the JSON text the program publishes.
// Each run is a child process of its own (cold, as in a deployment), the two forms in turns;
// each times the SDK's serializeProperties, google-protobuf's Struct.fromJavaScript and the
// binary encoding gRPC does on the real engine (mocks skip that), for stack outputs shaped like
// the program's: `guestCount`, `managedGuests` (a settled guest each) and `pendingRepairs`.
import { execFileSync } from "child_process";
import * as pulumi from "@pulumi/pulumi";
import { ManagedGuests, serializeManagedGuests } from "../../plan";

type Form = "map" | "text";

// The SDK's own protobuf modules, as components/stack-outputs.ts uses them.
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [require.resolve("@pulumi/pulumi")] })) as Record<string, unknown>;

function baseline(guests: number): ManagedGuests {
    const out: ManagedGuests = {};
    for (let i = 0; i < guests; i++) {
        out[`guest${String(i).padStart(5, "0")}@fabrikam.example`] = { onRemove: "delete", invite: (i * 2654435761).toString(16).padStart(16, "0").slice(-16), userId: `0a1b2c3d-0000-4000-8000-${String(i).padStart(12, "0")}` };
    }
    return out;
}

async function child(form: Form, guests: number): Promise<void> {
    const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: Record<string, unknown>): { serializeBinary(): Uint8Array } } };
    const managed = baseline(guests);
    const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
    let t = process.hrtime.bigint();
    const outputs = { guestCount: guests, managedGuests: form === "map" ? managed : serializeManagedGuests(managed), pendingRepairs: [] as string[] };
    const build = ms(t);
    t = process.hrtime.bigint();
    const serialized = await pulumi.runtime.serializeProperties("stack outputs", outputs);
    const serialize = ms(t);
    t = process.hrtime.bigint();
    const struct = Struct.fromJavaScript(serialized);
    const protobuf = ms(t);
    t = process.hrtime.bigint();
    const bytes = struct.serializeBinary().length;
    const binary = ms(t);
    process.stdout.write(JSON.stringify({ build, serialize, protobuf, binary, bytes }));
}

async function main(): Promise<void> {
    if (process.argv[2] === "--child") return child(process.argv[3] as Form, Number(process.argv[4]));
    const guests = Number(process.argv[2] ?? "10000");
    const runs = Number(process.argv[3] ?? "5");
    if (!Number.isInteger(guests) || guests < 1 || !Number.isInteger(runs) || runs < 1) throw new Error(`usage: npm run bench:outputs -- [GUESTS] [RUNS] (got ${process.argv.slice(2).join(" ")})`);
    const results: Record<Form, Record<string, number>[]> = { map: [], text: [] };
    for (let i = 0; i < runs; i++) {
        for (const form of ["map", "text"] as const) {
            const out = execFileSync(process.execPath, ["--stack-trace-limit=0", __filename, "--child", form, String(guests)], { encoding: "utf8" });
            results[form].push(JSON.parse(out) as Record<string, number>);
        }
    }
    const span = (xs: number[]) => {
        const s = [...xs].sort((a, b) => a - b);
        return `${s[0].toFixed(0)} / ${s[Math.floor(s.length / 2)].toFixed(0)} / ${s[s.length - 1].toFixed(0)}`;
    };
    const lines = [`${guests.toLocaleString("en-US")} guests, ${runs} cold runs of each form in turns; ms as min / median / max`, "", "| form | JSON text built | serializeProperties | Struct.fromJavaScript | binary encoding (real engine only) | total | bytes on the wire |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"];
    for (const form of ["map", "text"] as const) {
        const r = results[form];
        lines.push(`| ${form} | ${span(r.map((x) => x.build))} | ${span(r.map((x) => x.serialize))} | ${span(r.map((x) => x.protobuf))} | ${span(r.map((x) => x.binary))} | ${span(r.map((x) => x.build + x.serialize + x.protobuf + x.binary))} | ${r[0].bytes.toLocaleString("en-US")} |`);
    }
    process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((err) => {
    process.stderr.write(`${String((err as Error)?.message ?? err)}\n`);
    process.exit(1);
});
