import * as pulumi from "@pulumi/pulumi";

// The SDK's own protobuf modules, resolved from @pulumi/pulumi so they are the copies it uses.
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [require.resolve("@pulumi/pulumi")] })) as Record<string, unknown>;
const resproto = fromPulumi("@pulumi/pulumi/proto/resource_pb") as { RegisterResourceOutputsRequest: new () => { setUrn(u: string): void; setOutputs(o: unknown): void } };
const gstruct = fromPulumi("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: Record<string, unknown>): unknown } };

/**
 * Records the stack's outputs now, before any guest resource is registered, and waits until the
 * engine has them. The engine keeps the stack outputs it received even when the deployment then
 * fails ("if there was an error, we only replace outputs that have new outputs",
 * pkg/resource/deploy/step_executor.go:214-222, 254-260 at v3.248.0), but a step that fails
 * stops its event loop (deployment_executor.go, the `ctx.Done()` case), so outputs sent after
 * the first failure are lost. The SDK sends the program's returned outputs only after every
 * registration: too late for a run that fails half way. The values must be plain (no Outputs).
 * The SDK registers the same values again when the program returns, which changes nothing.
 *
 * Plain values go on the wire as they are, so they are checked and handed to protobuf directly,
 * without the SDK's `serializeProperties`, which awaits once per value (for Outputs and promises
 * these values cannot hold): 0.03 to 0.05 s for the baseline as a map at 10,000 guests, and next
 * to nothing since it is one JSON text (docs/performance.md, "The baseline as one JSON text").
 */
export async function publishStackOutputs(outputs: Record<string, unknown>): Promise<void> {
    const monitor = pulumi.runtime.getMonitor();
    if (!monitor) return;
    const stack = pulumi.runtime.getStackResource();
    if (!stack) return;
    const urn = await new Promise<string>((resolve) => stack.urn.apply((u) => void resolve(u)));
    const req = new resproto.RegisterResourceOutputsRequest();
    req.setUrn(urn);
    req.setOutputs(gstruct.Struct.fromJavaScript(plainOutputs(outputs)));
    await new Promise<void>((resolve, reject) => {
        (monitor as unknown as { registerResourceOutputs(r: unknown, cb: (err: Error | null) => void): void }).registerResourceOutputs(req, (err) => (err ? reject(err) : resolve()));
    });
}

/**
 * `outputs` as `serializeProperties` (rpc.js, @pulumi/pulumi 3.248) sends plain values, undefined
 * keys left out and undefined array elements made null, and the same object when it has none, which is
 * the usual case: nothing is copied. Anything that is not plain data (an Output, a promise, a
 * resource, a class instance, a function, a non-finite number) is a programming error.
 */
export function plainOutputs(outputs: Record<string, unknown>): Record<string, unknown> {
    return plain(outputs, "outputs") as Record<string, unknown>;
}

function plain(value: unknown, at: string): unknown {
    if (value === null || typeof value === "string" || typeof value === "boolean") return value;
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (Array.isArray(value)) {
        let copy: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
            // An undefined element is sent as null, as the SDK does ("This matches JSON semantics").
            const v = value[i] === undefined ? null : plain(value[i], `${at}[${i}]`);
            if (v !== value[i]) (copy ??= value.slice())[i] = v;
        }
        return copy ?? value;
    }
    const proto = typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
    if (proto === Object.prototype || proto === null) {
        const object = value as Record<string, unknown>;
        let copy: Record<string, unknown> | undefined;
        for (const k of Object.keys(object)) {
            const v = object[k];
            const p = v === undefined ? undefined : plain(v, `${at}.${k}`);
            if (p === v && v !== undefined && copy === undefined) continue;
            // The first difference: copy what came before it, then keep copying.
            if (copy === undefined) {
                copy = {};
                for (const before of Object.keys(object)) {
                    if (before === k) break;
                    copy[before] = object[before];
                }
            }
            if (p !== undefined) copy[k] = p;
        }
        return copy ?? value;
    }
    throw new Error(`stack output ${at} is not plain data (${Object.prototype.toString.call(value)})`);
}
