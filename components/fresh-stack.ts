/**
 * Registers each item from a call stack of its own: `register(item)` runs as a promise reaction
 * (`Promise.resolve(item).then(register)`), in the order given, so that the checkpoint keeps one
 * frame per resource.
 *
 * The engine keeps every resource's call stack at registration in the checkpoint: the Node.js
 * SDK sends all frames of `new Error().stack`, with no limit (`Resource.callsites` and
 * `Resource.stackTrace`, @pulumi/pulumi 3.248.0 resource.js), and the engine stores them as the
 * resource's `stackTrace` (pkg/resource/deploy/source_eval.go:1295-1307, 1822-1835 at v3.248.0).
 * Registered from the program's own continuation, a guest's resources carried seven frames, four
 * of them the SDK's async frames that run the program (`cmd/run/run.ts`, `runtime/stack.ts`,
 * `resource.ts`): about 485 bytes a resource. From a `setImmediate` callback that built the
 * component, five remained (the component's constructor, its helper, our callback and Node's
 * frames, stored as `{}`): about 205 bytes. A promise reaction is called by Node's microtask
 * runner (`processTicksAndRejections`, stored as `{}`), so only `register`'s own frame remains,
 * which is the resource's `sourcePosition` (kept whole): 83 bytes. Measured with `npm run
 * bench:baseline`, which prints the checkpoint's bytes a guest by resource type and field.
 *
 * Settles once every item is registered; rejects with the first exception a `register` threw,
 * after all have run.
 */
export function registerEach(...runs: Registrations[]): Promise<void> {
    const queued = runs.flat();
    // Counted by plain reactions, not Promise.all or an await: V8 follows those from a running
    // reaction to its awaiting callers and adds their frames to the stack ("async" frames: the
    // program's own, and the SDK's that run it), which is what this function is here to leave out.
    return new Promise<void>((resolve, reject) => {
        let left = queued.length;
        let failure: { error: unknown } | undefined;
        const settled = () => {
            if (--left > 0) return;
            if (failure) reject(failure.error);
            else resolve();
        };
        if (left === 0) resolve();
        for (const p of queued) {
            p.then(settled, (error: unknown) => {
                failure ??= { error };
                settled();
            });
        }
    });
}

/** One kind of registration, queued now: call `registerEach` with these in the order they must run. */
export type Registrations = Promise<void>[];

/** Queues `register(item)` for each item, in order, each on a call stack of its own (see `registerEach`). */
export function each<T>(register: (item: T) => void, items: readonly T[]): Registrations {
    return items.map((item) => Promise.resolve(item).then(register));
}
