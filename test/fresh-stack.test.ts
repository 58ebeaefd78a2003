import { strict as assert } from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { onFreshStack } from "../components/fresh-stack";

/** The files of the frames the SDK would send with a registration made here (frames without a file are left out). */
function framesOfARegistration(): string[] {
    // 2: skip this function's own frame, as the SDK skips its constructors' (resource.js).
    const frames = (pulumi.Resource as unknown as { stackTrace(skip: number): ({ uri: string; line: number } | undefined)[] }).stackTrace(2);
    return frames.flatMap((f) => (f ? [path.basename(new URL(f.uri).pathname)] : []));
}

describe("registration from a fresh call stack (issue 14: state size)", () => {
    // Nested async callers, as the SDK runs the program: each awaits the next.
    async function program(register: () => string[]): Promise<string[]> {
        await Promise.resolve();
        return register();
    }
    async function sdk(register: () => string[]): Promise<string[]> {
        const frames = await program(register);
        return frames;
    }

    it("leaves out the async frames of the callers: only the frames below the fresh stack remain", async () => {
        const direct = await sdk(function register() {
            return framesOfARegistration();
        });
        assert.deepEqual(direct, ["fresh-stack.test.js", "fresh-stack.test.js", "fresh-stack.test.js", "fresh-stack.test.js"], "without it: register, program, and the async frames of sdk and of this test");
        const fresh = await sdk(() => [] as string[]).then(() => onFreshStack(() => framesOfARegistration()));
        assert.deepEqual(fresh, ["fresh-stack.js"], "the setImmediate callback's frame only; Node's own frames have no file");
        const nested = await sdk(() => []).then(() => sdk(() => []).then(() => onFreshStack(() => framesOfARegistration())));
        assert.deepEqual(nested, ["fresh-stack.js"]);
    });

    it("hands back the value, and an exception as a rejection", async () => {
        assert.equal(await onFreshStack(() => 42), 42);
        await assert.rejects(
            onFreshStack(() => {
                throw new pulumi.RunError('group "X" was not resolved');
            }),
            (err: Error) => err instanceof pulumi.RunError && err.message === 'group "X" was not resolved',
        );
    });
});
