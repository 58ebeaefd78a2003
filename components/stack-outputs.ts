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
 */
export async function publishStackOutputs(outputs: Record<string, unknown>): Promise<void> {
    const monitor = pulumi.runtime.getMonitor();
    if (!monitor) return;
    const stack = pulumi.runtime.getStackResource();
    if (!stack) return;
    const urn = await new Promise<string>((resolve) => stack.urn.apply((u) => void resolve(u)));
    const serialized = await pulumi.runtime.serializeProperties("stack outputs", outputs);
    const req = new resproto.RegisterResourceOutputsRequest();
    req.setUrn(urn);
    req.setOutputs(gstruct.Struct.fromJavaScript(serialized));
    await new Promise<void>((resolve, reject) => {
        (monitor as unknown as { registerResourceOutputs(r: unknown, cb: (err: Error | null) => void): void }).registerResourceOutputs(req, (err) => (err ? reject(err) : resolve()));
    });
}
