/**
 * Runs `register` from a fresh call stack (a `setImmediate` callback), for registrations that
 * happen many thousand times.
 *
 * The engine keeps every resource's call stack at registration in the checkpoint: the Node.js
 * SDK sends all frames of `new Error().stack`, with no limit (`Resource.callsites` and
 * `Resource.stackTrace`, @pulumi/pulumi 3.248.0 resource.js), and the engine stores them as the
 * resource's `stackTrace` (pkg/resource/deploy/source_eval.go:1295-1307, 1822-1835 at v3.248.0).
 * Registered from the program's own continuation, a guest's resources carried seven frames,
 * four of them the SDK's async frames that run the program (`cmd/run/run.ts`,
 * `runtime/stack.ts`, `resource.ts`): about 485 bytes a resource, the same for every guest and
 * worth nothing to a reader, whose source is a guest file. From a fresh stack only our frames
 * remain, the first of which is the resource's `sourcePosition` (kept whole); Node's internal
 * frames have no file and are stored as `{}`. Measured in docs/performance.md ("State size").
 *
 * An exception thrown by `register` rejects the returned promise, as if thrown here.
 */
export function onFreshStack<T>(register: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        setImmediate(() => {
            try {
                resolve(register());
            } catch (err) {
                reject(err);
            }
        });
    });
}
