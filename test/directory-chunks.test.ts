import { strict as assert } from "assert";
import { Directory } from "../graph/directory";
import type { GraphClient } from "../graph/client";

/** A Graph client that records each getByIds request and answers every ID as a guest but those named gone. */
function recordingClient(gone: Set<string>) {
    const requests: { path: string; ids: string[]; types: string[] }[] = [];
    const client = {
        async post(path: string, body: { ids: string[]; types: string[] }) {
            requests.push({ path, ids: body.ids, types: body.types });
            return { value: body.ids.filter((id) => !gone.has(id)).map((id) => ({ id, userType: "Guest" })) };
        },
    };
    return { client: client as unknown as GraphClient, requests };
}

describe("directory: the existence check of recorded users", () => {
    it("sends 1,000 distinct IDs a request: 2,001 IDs (one repeated) are requests of 1,000, 1,000 and 1", async () => {
        const ids = Array.from({ length: 2001 }, (_, i) => `u${i}`);
        const { client, requests } = recordingClient(new Set(["u5", "u2000"]));
        const found = await new Directory(client).existingUsers([...ids, "u7"]);
        assert.deepEqual(requests.map((r) => [r.path, r.ids.length, r.types]), [
            ["/directoryObjects/getByIds", 1000, ["user"]],
            ["/directoryObjects/getByIds", 1000, ["user"]],
            ["/directoryObjects/getByIds", 1, ["user"]],
        ]);
        assert.deepEqual([requests[0].ids[0], requests[1].ids[0], requests[2].ids[0]], ["u0", "u1000", "u2000"]);
        assert.equal(found.size, 1999);
        assert.equal(found.has("u5"), false);
        assert.equal(found.has("u2000"), false);
        assert.deepEqual(found.get("u1999"), { userType: "Guest" });
    });

    it("sends nothing for no IDs, and one request for exactly 1,000", async () => {
        const none = recordingClient(new Set());
        assert.equal((await new Directory(none.client).existingUsers([])).size, 0);
        assert.deepEqual(none.requests, []);
        const full = recordingClient(new Set());
        await new Directory(full.client).existingUsers(Array.from({ length: 1000 }, (_, i) => `u${i}`));
        assert.deepEqual(full.requests.map((r) => r.ids.length), [1000]);
    });
});
