// Graph JSON batching (learn.microsoft.com/graph/json-batching): the client's `batch` and
// `getAllBatched`, `usersByAddress` 20 lookups a batch, and the simulated Graph's `POST /$batch`.
import { strict as assert } from "assert";
import { createServer, IncomingMessage, ServerResponse } from "http";
import { AddressInfo } from "net";
import { GraphClient, GraphClientOptions, GraphProgress, waitLine } from "../graph";
import { usersByAddress, usersForAddress } from "../graph/identity";
import { TenantSeed } from "../tools/sim/tenant/format";
import { readCalls } from "../tools/sim/tenant/store";
import { DENIED, failure, guest, guests, lookupPath, mails, TOKEN, useSimulatedGraph } from "./helpers/graph-fixtures";

const lookup = (a: string) => `GET ${lookupPath(a)}`;

describe("Graph JSON batching against the simulated Graph", () => {
    const sim = useSimulatedGraph("graph-batch-");
    let progress: GraphProgress[] = [];
    beforeEach(() => {
        progress = [];
    });
    const start = (seed: TenantSeed, options: Partial<GraphClientOptions> = {}) => sim.start(seed, { onProgress: (p) => progress.push(p), ...options });
    /** The call log as lines: "batch of N status" for a $batch, "METHOD path status" for a Graph request. */
    const log = () => readCalls(sim.file).flatMap((c) => (c.kind === "batch" ? [`batch of ${c.requests} ${c.status}`] : c.kind === "request" ? [`${c.method} ${c.path} ${c.status}`] : []));
    const batchSizes = () => readCalls(sim.file).flatMap((c) => (c.kind === "batch" ? [c.requests] : []));
    const requestCount = () => readCalls(sim.file).filter((c) => c.kind === "request").length;
    const post = async (body: unknown, token = TOKEN) => {
        const res = await fetch(`${sim.server?.url}/$batch`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as { responses?: { id: string; status: number; headers: Record<string, string>; body?: unknown }[]; error?: { code: string; message: string } } };
    };

    const sizes: [number, number[]][] = [
        [0, []],
        [1, [1]],
        [20, [20]],
        [21, [20, 1]],
        [40, [20, 20]],
        [41, [20, 20, 1]],
    ];
    for (const [n, batches] of sizes) {
        it(`looks ${n} addresses up one request each, in batches of ${JSON.stringify(batches)}: ${n} Graph requests, ${batches.length} round trips`, async () => {
            // Every other address has a user; the others name nobody.
            const { graph } = await start({ users: guests(n).filter((_, i) => i % 2 === 0) });
            const found = await usersByAddress(graph, mails(n));
            assert.deepEqual([...found.keys()].sort(), mails(n).sort());
            assert.deepEqual(
                [...found].filter(([, id]) => id.kind === "one").map(([a]) => a).sort(),
                mails(n).filter((_, i) => i % 2 === 0).sort(),
            );
            assert.deepEqual([...found].filter(([, id]) => id.kind === "none").map(([a]) => a).sort(), mails(n).filter((_, i) => i % 2 === 1).sort());
            const first = found.get("guest1@fabrikam.com");
            assert.equal(first?.kind === "one" ? first.user.id : "none", n > 0 ? guest(1).id : "none");
            assert.deepEqual(batchSizes(), batches);
            assert.equal(requestCount(), n);
            assert.deepEqual(log().filter((l) => !l.startsWith("batch ")).sort(), mails(n).map((a) => `${lookup(a)} 200`).sort());
            assert.deepEqual(progress.at(-1) ?? { requests: 0, batches: 0, pages: 0, retries: 0 }, { requests: n, batches: batches.length, pages: n, retries: 0 });
        });
    }

    it("batch arithmetic at scale: 2,010 addresses are 2,010 lookups in 101 batches, the last of 10", async () => {
        const { graph } = await start({ users: [guest(1999)] });
        const found = await usersByAddress(graph, mails(2010));
        assert.equal(found.size, 2010);
        assert.deepEqual([...found].filter(([, id]) => id.kind !== "none").map(([a]) => a), ["guest1999@fabrikam.com"]);
        const batches = batchSizes();
        assert.deepEqual([batches.length, batches.filter((b) => b === 20).length, batches.filter((b) => b === 10).length], [101, 100, 1]);
        assert.equal(requestCount(), 2010);
        assert.deepEqual(progress.at(-1), { requests: 2010, batches: 101, pages: 2010, retries: 0 });
    });

    it("the simulated Graph answers in reverse order, and the client matches the answers by id, each lookup to its address", async () => {
        const { graph } = await start({ users: guests(3) });
        const raw = await post({ requests: [1, 2, 3].map((i) => ({ id: `r${i}`, method: "GET", url: `/users?$filter=mail eq 'guest${i}@fabrikam.com'&$select=id` })) });
        assert.equal(raw.status, 200);
        assert.deepEqual(raw.body.responses?.map((r) => [r.id, r.status, r.headers, r.body]), [3, 2, 1].map((i) => [`r${i}`, 200, { "Content-Type": "application/json" }, { "@odata.context": `${sim.server?.url}/$metadata#users`, value: [{ id: guest(i).id }] }]));
        const lists = await graph.getAllBatched<{ id: string }>([1, 2, 3].map((i) => ({ path: "/users", query: { $filter: `mail eq 'guest${i}@fabrikam.com'`, $select: "id" } })));
        assert.deepEqual(lists, [[{ id: guest(1).id }], [{ id: guest(2).id }], [{ id: guest(3).id }]]);
        const found = await usersByAddress(graph, mails(3));
        assert.deepEqual([...found].map(([a, id]) => [a, id.kind === "one" ? id.user.id : id.kind]), [1, 2, 3].map((i) => [guest(i).mail, guest(i).id]));
        assert.deepEqual(log().slice(-4), ["batch of 3 200", ...mails(3).map((a) => `${lookup(a)} 200`)], "asked in order, answered in reverse");
    });

    it("retries a throttled lookup alone after its Retry-After, keeping its 19 siblings' answers", async () => {
        const { graph } = await start({ users: guests(20), faults: { throttle: { requests: 1, retryAfterSeconds: 7 } } });
        const found = await usersByAddress(graph, mails(20));
        assert.deepEqual([...found].map(([a, id]) => [a, id.kind === "one" ? id.user.id : id.kind]), guests(20).map((g) => [g.mail, g.id]));
        assert.deepEqual(sim.sleeps, [7]);
        const first = lookup(guest(1).mail);
        assert.deepEqual(log(), [
            "batch of 20 200",
            `${first} 429`,
            ...mails(20).slice(1).map((a) => `${lookup(a)} 200`),
            "batch of 1 200",
            `${first} 200`,
        ], "the siblings answered at once; only the throttled lookup is sent again");
        assert.deepEqual(progress.at(-1), { requests: 21, batches: 2, pages: 20, retries: 1 });
    });

    it("gives up on a lookup throttled past maxRetries with the 429 it would have thrown alone", async () => {
        const { graph } = await start({ faults: { throttle: { requests: 10, retryAfterSeconds: 2 } } }, { maxRetries: 2 });
        const batched = await failure(usersByAddress(graph, ["ann@fabrikam.com"]));
        assert.deepEqual([batched.status, batched.code, batched.method, batched.path], [429, "TooManyRequests", "GET", lookupPath("ann@fabrikam.com")]);
        assert.deepEqual(sim.sleeps, [2, 2]);
        assert.deepEqual(batchSizes(), [1, 1, 1]);
        assert.deepEqual(log(), [1, 2, 3].flatMap(() => ["batch of 1 200", `${lookup("ann@fabrikam.com")} 429`]));
        const alone = await failure(usersForAddress(graph, "ann@fabrikam.com"));
        assert.deepEqual([batched.message, batched.status, batched.code, batched.graphMessage, batched.hint], [alone.message, alone.status, alone.code, alone.graphMessage, alone.hint]);
    });

    it("a lookup refused with 403 throws the same error, word for word, as the request sent alone", async () => {
        const { graph } = await start({ users: guests(40), faults: { deny: { status: 403, code: "Authorization_RequestDenied", message: DENIED, pathPrefix: "/users" } } });
        const batched = await failure(usersByAddress(graph, ["ann@fabrikam.com"]));
        const alone = await failure(usersForAddress(graph, "ann@fabrikam.com"));
        assert.equal(batched.message, alone.message);
        assert.equal(
            batched.message,
            `Graph GET ${lookupPath("ann@fabrikam.com")} failed with 403 Authorization_RequestDenied: ${DENIED}; the identity running this needs the Microsoft Graph permission \`User.Read.All\` (an application permission with admin consent, or a user's directory role that allows it)`,
        );
        assert.deepEqual([batched.status, batched.code, batched.graphMessage, batched.hint], [alone.status, alone.code, alone.graphMessage, alone.hint]);
        assert.deepEqual(sim.sleeps, [], "a 403 is not retried");
        assert.deepEqual(log(), ["batch of 1 200", `${lookup("ann@fabrikam.com")} 403`, `${lookup("ann@fabrikam.com")} 403`]);
    });

    it("follows a batched list's @odata.nextLink to its last page, as getAll does", async () => {
        const { graph } = await start({ users: guests(12) });
        const [all, one] = await graph.getAllBatched<{ id: string }>([
            { path: "/users", query: { $filter: "userType eq 'Guest'", $select: "id", $top: "5" } },
            { path: "/users", query: { $filter: "mail in ('guest3@fabrikam.com')", $select: "id" } },
        ]);
        assert.deepEqual(all.map((u) => u.id), guests(12).map((g) => g.id));
        assert.deepEqual(one, [{ id: guest(3).id }]);
        const lines = log();
        assert.deepEqual(lines.slice(0, 3), ["batch of 2 200", "GET /users?$filter=userType eq 'Guest'&$select=id&$top=5 200", "GET /users?$filter=mail in ('guest3@fabrikam.com')&$select=id 200"]);
        assert.equal(lines.length, 5);
        for (const l of lines.slice(3)) assert.match(l, /^GET \/users\?\$filter=userType eq 'Guest'&\$select=id&\$top=5&\$skiptoken=\S+ 200$/);
        assert.deepEqual(progress.at(-1), { requests: 4, batches: 1, pages: 4, retries: 0 });
    });

    it("refuses a batch of 21 requests with 400, answering none of them; the client will not send one", async () => {
        const { graph } = await start({ users: guests(1) });
        const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: "GET", url: "/users?$select=id" }));
        const raw = await post({ requests });
        assert.deepEqual([raw.status, raw.body.error?.code, raw.body.error?.message], [400, "BadRequest", "Invalid batch request: a batch holds at most 20 requests (got 21)."]);
        assert.deepEqual(log(), ["batch of 21 400"]);
        await assert.rejects(graph.batch(requests.map(() => ({ method: "GET" as const, path: "/users" }))), /^Error: GraphClient\.batch: at most 20 requests a batch \(got 21\)$/);
    });

    it("refuses a batch whose ids repeat (case aside) or whose body has no Content-Type, as Graph documents", async () => {
        await start({});
        const twice = await post({ requests: [{ id: "a", method: "GET", url: "/users" }, { id: "A", method: "GET", url: "/users" }] });
        assert.deepEqual([twice.status, twice.body.error?.message], [400, 'Invalid batch request: the id "A" is used twice.']);
        const untyped = await post({ requests: [{ id: "1", method: "POST", url: "/directoryObjects/getByIds", body: { ids: ["x"] } }] });
        assert.deepEqual([untyped.status, untyped.body.error?.message], [400, 'Invalid batch request: request "1" has a body but no Content-Type header.']);
        assert.equal(requestCount(), 0);
    });

    it("dispatches each request of a batch as if alone: a POST with its body, and an unsupported path's own 400", async () => {
        await start({ users: guests(2) });
        const raw = await post({
            requests: [
                { id: "ids", method: "POST", url: "/directoryObjects/getByIds", headers: { "Content-Type": "application/json" }, body: { ids: [guest(2).id, "gone"], types: ["user"] } },
                { id: "apps", method: "GET", url: "applications" },
            ],
        });
        assert.equal(raw.status, 200);
        const [apps, ids] = raw.body.responses ?? [];
        assert.deepEqual([apps.id, apps.status, (apps.body as { error: { message: string } }).error.message], ["apps", 400, "GET /applications is not supported by the simulated Graph (tools/sim/graph-server)."]);
        assert.deepEqual([ids.id, ids.status, (ids.body as { value: { id: string }[] }).value.map((u) => u.id)], ["ids", 200, [guest(2).id]]);
        assert.deepEqual(log(), ["batch of 2 200", "POST /directoryObjects/getByIds 200", "GET /applications 400"]);
    });

    it("a throttled request in a batch answers 429 with its own Retry-After header, the batch itself 200", async () => {
        await start({ users: guests(2), faults: { throttle: { requests: 1, retryAfterSeconds: 9 } } });
        const raw = await post({ requests: [1, 2].map((i) => ({ id: String(i), method: "GET", url: `/users?$filter=mail eq 'guest${i}@fabrikam.com'&$select=id` })) });
        assert.equal(raw.status, 200);
        assert.deepEqual(raw.body.responses?.map((r) => [r.id, r.status, r.headers["Retry-After"] ?? null]), [["2", 200, null], ["1", 429, "9"]]);
    });

    it("an expired token refuses the whole batch with 401, before any of its requests", async () => {
        const { graph } = await start({ users: guests(1), faults: { expiredToken: 1 } });
        const err = await failure(usersByAddress(graph, mails(1)));
        assert.deepEqual([err.status, err.code, err.method, err.path], [401, "InvalidAuthenticationToken", "POST", "/$batch"]);
        assert.match(err.hint, /^Graph refused the access token/);
        assert.deepEqual(log(), ["batch of 0 401"]);
    });
});

describe("GraphClient.batch against a scripted Graph", () => {
    /** Answers each `POST /$batch` with the next of `answers`, given the requests' ids; records what was sent. */
    const scripted = async (answers: ((ids: string[]) => { status: number; headers?: Record<string, string>; body: unknown })[]) => {
        const sent: { auth: string | undefined; type: string | undefined; body: { requests: { id: string; method: string; url: string }[] } }[] = [];
        const srv = createServer((req: IncomingMessage, res: ServerResponse) => {
            let text = "";
            req.on("data", (d: Buffer) => (text += d.toString()));
            req.on("end", () => {
                const body = JSON.parse(text) as (typeof sent)[number]["body"];
                sent.push({ auth: req.headers.authorization, type: req.headers["content-type"], body });
                const a = answers[sent.length - 1](body.requests.map((r) => r.id));
                res.writeHead(a.status, { "Content-Type": "application/json", ...a.headers });
                res.end(JSON.stringify(a.body));
            });
        });
        await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", () => resolve()));
        const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1.0`;
        const sleeps: number[] = [];
        const progress: GraphProgress[] = [];
        const waits: string[] = [];
        const graph = new GraphClient({ baseUrl: url, token: async () => "t", sleep: async (s) => void sleeps.push(s), onProgress: (p) => progress.push(p), onWait: (w) => void waits.push(waitLine(w)) });
        const close = () =>
            new Promise<void>((resolve) => {
                srv.close(() => resolve());
                srv.closeAllConnections();
            });
        return { graph, sent, sleeps, progress, waits, close };
    };
    const ok = (id: string, value: unknown[]) => ({ id, status: 200, headers: { "Content-Type": "application/json" }, body: { value } });
    const three = [1, 2, 3].map((i) => ({ method: "GET" as const, path: "/users", query: { $filter: `mail eq 'u${i}@x.com'` } }));

    it("sends relative, encoded URLs with ids, and matches answers given in any order", async () => {
        const s = await scripted([() => ({ status: 200, body: { responses: [ok("2", ["two"]), ok("3", ["three"]), ok("1", ["one"])] } })]);
        try {
            assert.deepEqual(await s.graph.batch(three), [{ value: ["one"] }, { value: ["two"] }, { value: ["three"] }]);
            assert.deepEqual(s.sent, [{ auth: "Bearer t", type: "application/json", body: { requests: [1, 2, 3].map((i) => ({ id: String(i), method: "GET", url: `/users?$filter=mail%20eq%20'u${i}%40x.com'` })) } }]);
        } finally {
            await s.close();
        }
    });

    it("retries a whole batch answered 429 after its Retry-After, and a sub-request's 503 without one after the backoff", async () => {
        const s = await scripted([
            () => ({ status: 429, headers: { "Retry-After": "3" }, body: { error: { code: "TooManyRequests", message: "Too many requests." } } }),
            () => ({ status: 200, body: { responses: [ok("1", [1]), { id: "2", status: 503, headers: {}, body: { error: { code: "ServiceUnavailable", message: "Try later." } } }, ok("3", [3])] } }),
            (ids) => ({ status: 200, body: { responses: ids.map((id) => ok(id, [Number(id)])) } }),
        ]);
        try {
            assert.deepEqual(await s.graph.batch(three), [{ value: [1] }, { value: [2] }, { value: [3] }]);
            assert.deepEqual(s.sleeps, [3, 1]);
            assert.deepEqual(s.waits, ["waiting 3 s: Graph throttled POST /$batch (retry 1 of 6)", "waiting 1 s: Graph was unavailable (503) for GET /users?$filter=mail eq 'u2@x.com' (retry 1 of 6)"]);
            assert.deepEqual(s.sent.map((b) => b.body.requests.map((r) => r.id)), [["1", "2", "3"], ["1", "2", "3"], ["2"]]);
            assert.deepEqual(s.progress.at(-1), { requests: 4, batches: 3, pages: 0, retries: 2 });
        } finally {
            await s.close();
        }
    });

    it("refuses an answer that leaves a request out or answers one never sent, rather than guess", async () => {
        const s = await scripted([() => ({ status: 200, body: { responses: [ok("1", []), ok("3", [])] } }), () => ({ status: 200, body: { responses: [ok("1", []), ok("2", []), ok("3", []), ok("9", [])] } })]);
        try {
            const missing = await failure(s.graph.batch(three));
            assert.equal(missing.message, 'Graph POST /$batch failed with 200 UnexpectedResponse: the answer has no response for request "2"');
            const extra = await failure(s.graph.batch(three));
            assert.equal(extra.graphMessage, 'the answer has a response for request "9", which was not sent');
        } finally {
            await s.close();
        }
    });

    it("refuses a batched list's next link that leaves this Graph, as getAll does", async () => {
        const s = await scripted([() => ({ status: 200, body: { responses: [{ id: "1", status: 200, body: { value: [], "@odata.nextLink": "https://elsewhere.example/v1.0/users?$skiptoken=x" } }] } })]);
        try {
            const err = await failure(s.graph.getAllBatched([{ path: "/users", query: { $select: "id" } }]));
            assert.deepEqual([err.code, err.path], ["UnexpectedNextLink", "/users?$select=id"]);
        } finally {
            await s.close();
        }
    });
});
