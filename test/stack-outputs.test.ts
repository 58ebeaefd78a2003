import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { plainOutputs } from "../components/stack-outputs";

// The protobuf Struct the early publish sends, built from the SDK's own copy of google-protobuf.
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [require.resolve("@pulumi/pulumi")] })) as Record<string, unknown>;
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: Record<string, unknown>): { toJavaScript(): unknown } } };

describe("stack outputs published before registration (issue 14)", () => {
    it("puts on the wire exactly what the SDK's serializeProperties would, undefined keys left out", async () => {
        const outputs = {
            guestCount: 3,
            managedGuests: {
                "ann@fabrikam.com": { onRemove: "delete", invite: "abc", userId: "0a1b", provisional: true },
                "bo@fabrikam.com": { onRemove: "retain", invite: "def", userId: undefined, adopted: true },
                "o'neil@fabrikam.com": { onRemove: "delete", invite: "", reinvite: "prepared" },
            },
            pendingRepairs: ["bo@fabrikam.com"],
            nested: [null, false, 0, -1.5, [], {}, [{ a: undefined, b: [undefined] }]],
        };
        const sdk = await pulumi.runtime.serializeProperties("stack outputs", outputs);
        const ours = plainOutputs(outputs);
        assert.deepStrictEqual(Struct.fromJavaScript(ours).toJavaScript(), Struct.fromJavaScript(sdk).toJavaScript());
        assert.deepStrictEqual(Object.keys((ours.managedGuests as Record<string, object>)["bo@fabrikam.com"]), ["onRemove", "invite", "adopted"]);
        assert.ok("userId" in outputs.managedGuests["bo@fabrikam.com"], "the caller's object is not changed");
    });

    it("copies nothing when there is nothing to leave out: 10,000 guests are checked, not copied", () => {
        const managedGuests: Record<string, object> = {};
        for (let i = 0; i < 10_000; i++) managedGuests[`g${i}@x.com`] = { onRemove: "delete", invite: "f", userId: `id-${i}` };
        const outputs = { guestCount: 10_000, managedGuests, pendingRepairs: [] };
        assert.equal(plainOutputs(outputs), outputs);
        const withHole = { ...outputs, managedGuests: { ...managedGuests, "z@x.com": { onRemove: "delete", invite: "f", userId: undefined } } };
        const copied = plainOutputs(withHole);
        assert.notEqual(copied, withHole);
        const guests = copied.managedGuests as Record<string, object>;
        assert.equal(Object.keys(guests).length, 10_001);
        assert.equal(guests["g7@x.com"], managedGuests["g7@x.com"], "unchanged entries are shared, not copied");
        assert.deepStrictEqual(guests["z@x.com"], { onRemove: "delete", invite: "f" });
    });

    it("refuses what is not plain data, naming where it sits", () => {
        const cases: [unknown, RegExp][] = [
            [pulumi.output("x"), /stack output outputs\.v is not plain data \(\[object Object\]\)/],
            [Promise.resolve(1), /stack output outputs\.v is not plain data \(\[object Promise\]\)/],
            [() => 1, /outputs\.v is not plain data \(\[object Function\]\)/],
            [[1, Number.NaN], /outputs\.v\[1\] is not plain data \(\[object Number\]\)/],
            [{ a: { b: new Date(0) } }, /outputs\.v\.a\.b is not plain data \(\[object Date\]\)/],
            [{ a: Number.POSITIVE_INFINITY }, /outputs\.v\.a is not plain data/],
        ];
        for (const [v, message] of cases) assert.throws(() => plainOutputs({ v }), (err: Error) => message.test(err.message));
    });
});
