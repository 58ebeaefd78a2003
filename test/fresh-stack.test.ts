import { strict as assert } from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { each, registerEach } from "../components/fresh-stack";

/** The frames the SDK would send with a registration made here: a file's name, or "-" for a frame it stores as `{}`. */
function framesOfARegistration(): string[] {
    // 2: skip this function's own frame, as the SDK skips its constructors' (resource.js).
    const frames = (pulumi.Resource as unknown as { stackTrace(skip: number): ({ uri: string; line: number } | undefined)[] }).stackTrace(2);
    return frames.map((f) => (f ? path.basename(new URL(f.uri).pathname) : "-"));
}

describe("registration from a call stack of its own, so the state keeps one frame a resource", () => {
    // Nested async callers, as the SDK runs the program: each awaits the next.
    async function program(register: () => string[]): Promise<string[]> {
        await Promise.resolve();
        return register();
    }
    async function sdk(register: () => string[]): Promise<string[]> {
        const frames = await program(register);
        return frames;
    }

    it("leaves out every caller: only the registering function's own frame remains", async () => {
        const direct = await sdk(function register() {
            return framesOfARegistration();
        });
        assert.deepEqual(direct, ["fresh-stack.test.js", "fresh-stack.test.js", "fresh-stack.test.js", "fresh-stack.test.js"], "without it: register, program, and the async frames of sdk and of this test");
        const seen: string[][] = [];
        function register(item: number) {
            seen[item] = framesOfARegistration();
        }
        // Awaited by async functions, as the program awaits it, called by the SDK's async functions.
        async function awaiting(): Promise<string[]> {
            await registerEach(each(register, [0, 1, 2]));
            return [];
        }
        await sdk(() => []).then(() => sdk(() => []).then(() => awaiting()));
        await (async () => await awaiting())();
        // register's frame, and at most Node's microtask runner below it (no file: stored as {}),
        // depending on what ran the microtask queue; no frame of the awaiting callers.
        assert.strictEqual(seen.length, 3);
        for (const frames of seen) assert.ok(frames[0] === "fresh-stack.test.js" && frames.length <= 2 && frames.slice(1).every((f) => f === "-"), JSON.stringify(frames));
    });

    it("runs the registrations in the order given, every kind after the one before", async () => {
        const order: string[] = [];
        await registerEach(
            each((e: string) => void order.push(`invite ${e}`), ["a", "b"]),
            each((e: string) => void order.push(`member ${e}`), ["a", "b", "c"]),
        );
        assert.deepEqual(order, ["invite a", "invite b", "member a", "member b", "member c"]);
        await registerEach(each(() => assert.fail("nothing to register"), []));
    });

    it("rejects with the exception a registration threw, after every registration ran", async () => {
        const ran: number[] = [];
        await assert.rejects(
            registerEach(
                each((n: number) => {
                    ran.push(n);
                    if (n === 1) throw new pulumi.RunError('group "X" was not resolved');
                }, [0, 1, 2]),
            ),
            (err: Error) => err instanceof pulumi.RunError && err.message === 'group "X" was not resolved',
        );
        assert.deepEqual(ran, [0, 1, 2]);
    });
});
