// The Graph client's bounds (graph/waiting.ts, graph/paging.ts) against the simulated Graph: a
// Retry-After past the cap fails at once, the waits of one client add up to a budget, every
// wait is announced before it is slept, and a list whose next link repeats or never ends stops.
import { strict as assert } from "assert";
import { createServer } from "http";
import { AddressInfo } from "net";
import { GraphClient, MAX_PAGES, MAX_TOTAL_WAIT_SECONDS, MAX_WAIT_SECONDS, WaitInfo, waitLine } from "../graph";
import { usersByAddress } from "../graph/identity";
import { readCalls } from "../tools/sim/tenant/store";
import { failure, guests, lookupPath, mails, useSimulatedGraph } from "./helpers/graph-fixtures";

describe("Graph client bounds: waits that Graph asks for", () => {
    const sim = useSimulatedGraph("graph-limits-");
    let waits: WaitInfo[] = [];
    /** Waits announced and sleeps taken, in order: each announcement must come before its sleep. */
    let events: string[] = [];
    beforeEach(() => {
        waits = [];
        events = [];
    });
    const start = (seed: Parameters<typeof sim.start>[0], options: Parameters<typeof sim.start>[1] = {}) =>
        sim.start(seed, {
            onWait: (w) => void (waits.push(w), events.push(`wait ${w.seconds}`)),
            sleep: async (s) => void (sim.sleeps.push(s), events.push(`sleep ${s}`)),
            ...options,
        });
    const statuses = () => readCalls(sim.file).flatMap((c) => (c.kind === "request" ? [c.status] : []));

    it("defaults: at most 300 s a wait and 900 s in all", () => {
        assert.deepEqual([MAX_WAIT_SECONDS, MAX_TOTAL_WAIT_SECONDS], [300, 900]);
    });

    it("a Retry-After of a day fails the request at once, saying what Graph asked, with no sleep", async () => {
        const { graph } = await start({ users: guests(2), faults: { throttle: { requests: 1, retryAfterSeconds: 86400 } } });
        const started = Date.now();
        const err = await failure(graph.getAll("/users", { $select: "id" }));
        assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
        assert.equal(err.message, "Graph asked to wait 86400 s (Retry-After) before GET /users?$select=id; entra-guests waits at most 300 s at a time; try again later");
        assert.deepEqual([err.status, err.code, err.graphMessage, err.method, err.path], [429, "RetryAfterTooLong", "Too many requests.", "GET", "/users?$select=id"]);
        assert.deepEqual([sim.sleeps, waits, statuses()], [[], [], [429]]);
    });

    it("waits a Retry-After of exactly the cap; a cap set lower refuses it", async () => {
        const { graph } = await start({ users: guests(2), faults: { throttle: { requests: 1, retryAfterSeconds: 300 } } });
        assert.equal((await graph.getAll("/users", { $select: "id" })).length, 2);
        assert.deepEqual(sim.sleeps, [300]);
        await sim.stop();
        const low = await start({ users: guests(2), faults: { throttle: { requests: 1, retryAfterSeconds: 300 } } }, { maxWaitSeconds: 120 });
        const err = await failure(low.graph.get("/users", { $select: "id" }));
        assert.equal(err.message, "Graph asked to wait 300 s (Retry-After) before GET /users?$select=id; entra-guests waits at most 120 s at a time; try again later");
        assert.deepEqual(sim.sleeps, [300], "no second sleep");
    });

    it("one client waits at most 900 s in all, over every request; past it a retry fails naming the total", async () => {
        const { graph } = await start({ users: guests(2), faults: { throttle: { requests: 10, retryAfterSeconds: 300 } } });
        const err = await failure(graph.getAll("/users", { $select: "id" }));
        assert.equal(err.message, "Graph asked to wait 300 s (Retry-After) before GET /users?$select=id; entra-guests has waited 900 s for Graph already and waits at most 900 s in all; try again later");
        assert.deepEqual([err.status, err.code], [429, "WaitBudgetSpent"]);
        assert.deepEqual(sim.sleeps, [300, 300, 300]);
        // The budget is the client's: another request's first wait is refused too.
        const next = await failure(graph.get("/users", { $select: "id" }));
        assert.equal(next.code, "WaitBudgetSpent");
        assert.deepEqual(sim.sleeps, [300, 300, 300]);
    });

    it("a configured budget counts each wait: 100 + 100 of 250, then refused", async () => {
        const { graph } = await start({ users: guests(2), faults: { throttle: { requests: 5, retryAfterSeconds: 100 } } }, { maxTotalWaitSeconds: 250 });
        const err = await failure(graph.getAll("/users", { $select: "id" }));
        assert.equal(err.message, "Graph asked to wait 100 s (Retry-After) before GET /users?$select=id; entra-guests has waited 200 s for Graph already and waits at most 250 s in all; try again later");
        assert.deepEqual(events, ["wait 100", "sleep 100", "wait 100", "sleep 100"]);
    });

    it("onWait is called before each sleep with the seconds, the request, the retry number and why", async () => {
        const { graph } = await start({ users: guests(2), faults: { throttle: { requests: 2, retryAfterSeconds: 7 } } });
        await graph.getAll("/users", { $select: "id" });
        const one = { seconds: 7, from: "Retry-After", status: 429, method: "GET", path: "/users?$select=id", maxRetries: 6, alongside: 0 };
        assert.deepEqual(waits, [{ ...one, attempt: 1 }, { ...one, attempt: 2 }]);
        assert.deepEqual(events, ["wait 7", "sleep 7", "wait 7", "sleep 7"]);
        assert.deepEqual(waits.map(waitLine), ["waiting 7 s: Graph throttled GET /users?$select=id (retry 1 of 6)", "waiting 7 s: Graph throttled GET /users?$select=id (retry 2 of 6)"]);
    });

    it("throttled lookups of a batch wait once together, announced with their number; a long path is cut in the line", async () => {
        const { graph } = await start({ users: guests(20), faults: { throttle: { requests: 3, retryAfterSeconds: 7 } } });
        const found = await usersByAddress(graph, mails(20));
        assert.deepEqual([...found.values()].map((id) => id.kind), mails(20).map(() => "one"));
        const path = lookupPath(mails(1)[0]);
        assert.deepEqual(waits, [{ seconds: 7, from: "Retry-After", status: 429, method: "GET", path, attempt: 1, maxRetries: 6, alongside: 2 }]);
        assert.equal(waitLine(waits[0]), `waiting 7 s: Graph throttled GET ${path.slice(0, 100)}… and 2 other requests of its batch (retry 1 of 6)`);
        assert.deepEqual(sim.sleeps, [7]);
        assert.deepEqual(readCalls(sim.file).flatMap((c) => (c.kind === "batch" ? [c.requests] : [])), [20, 3], "the three sent again together");
    });

    it("a lookup of a batch throttled past the cap fails at once, naming that lookup; its siblings are not sent again", async () => {
        const { graph } = await start({ users: guests(20), faults: { throttle: { requests: 1, retryAfterSeconds: 86400 } } });
        const err = await failure(usersByAddress(graph, mails(20)));
        assert.equal(err.message, `Graph asked to wait 86400 s (Retry-After) before GET ${lookupPath(mails(1)[0])}; entra-guests waits at most 300 s at a time; try again later`);
        assert.deepEqual([err.status, err.code, err.method], [429, "RetryAfterTooLong", "GET"]);
        assert.deepEqual([sim.sleeps, waits], [[], []]);
        assert.deepEqual(readCalls(sim.file).flatMap((c) => (c.kind === "batch" ? [c.requests] : [])), [20], "one batch, no retry");
    });
});

describe("Graph client bounds: lists that end", () => {
    const sim = useSimulatedGraph("graph-pages-");
    const requests = () => readCalls(sim.file).flatMap((c) => (c.kind === "request" ? [`${c.path} ${c.status}${c.note ? ` (${c.note})` : ""}`] : []));

    it("a first page whose next link is itself is refused before it is read again", async () => {
        const { graph } = await sim.start({ users: guests(3), faults: { loopingNextLink: { pathPrefix: "/users" } } });
        const err = await failure(graph.getAll("/users", { $select: "id" }));
        assert.equal(err.message, "Graph returned the same next page twice for GET /users?$select=id; stopping rather than looping");
        assert.deepEqual([err.status, err.code, err.method, err.path], [200, "RepeatedNextLink", "GET", "/users?$select=id"]);
        assert.deepEqual(requests(), ["/users?$select=id 200 (fault: looping next link)"]);
    });

    it("a later page that links to itself is refused after it is read once, the list named by its first request", async () => {
        const { graph } = await sim.start({ users: guests(12), faults: { loopingNextLink: { pathPrefix: "/users?$select=id&$top=5&$skiptoken" } } });
        const err = await failure(graph.getAll("/users", { $select: "id", $top: "5" }));
        assert.equal(err.message, "Graph returned the same next page twice for GET /users?$select=id&$top=5; stopping rather than looping");
        assert.equal(requests().length, 2);
    });

    it("a batched list whose first page links to itself is refused as getAll refuses it", async () => {
        const { graph } = await sim.start({ users: guests(3), faults: { loopingNextLink: { pathPrefix: "/users" } } });
        const err = await failure(graph.getAllBatched([{ path: "/users", query: { $filter: "userType eq 'Guest'", $select: "id" } }]));
        assert.equal(err.message, "Graph returned the same next page twice for GET /users?$filter=userType eq 'Guest'&$select=id; stopping rather than looping");
        assert.equal(requests().length, 1);
    });

    it("a list past the page cap is refused before the page past it is asked for", async () => {
        assert.equal(MAX_PAGES, 3000);
        const { graph } = await sim.start({ users: guests(12) }, { maxPages: 2 });
        const err = await failure(graph.getAll("/users", { $select: "id", $top: "5" }));
        assert.equal(err.message, "Graph returned more than 2 pages for GET /users?$select=id&$top=5; stopping: no list of a tenant's directory objects is that long");
        assert.deepEqual([err.code, requests().length], ["TooManyPages", 2]);
        await sim.stop();
        const three = await sim.start({ users: guests(12) }, { maxPages: 3 });
        assert.equal((await three.graph.getAll("/users", { $select: "id", $top: "5" })).length, 12, "exactly the cap is read");
    });
});

describe("Graph client bounds: a 503 without Retry-After", () => {
    it("backs off 1, 2 ... s, announced as unavailable, and the budget counts those waits too", async () => {
        const srv = createServer((_req, res) => {
            res.writeHead(503, { "Content-Type": "application/json" });
            res.end(JSON.stringify({ error: { code: "ServiceUnavailable", message: "Try later." } }));
        });
        await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", () => resolve()));
        try {
            const lines: string[] = [];
            const sleeps: number[] = [];
            const baseUrl = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1.0`;
            const graph = new GraphClient({ baseUrl, token: async () => "t", sleep: async (s) => void sleeps.push(s), onWait: (w) => void lines.push(waitLine(w)), maxTotalWaitSeconds: 5 });
            const err = await failure(graph.get("/users"));
            assert.equal(err.message, "Graph answered 503 to GET /users and the next retry would wait 4 s; entra-guests has waited 3 s for Graph already and waits at most 5 s in all; try again later");
            assert.deepEqual([err.status, err.code, err.graphMessage], [503, "WaitBudgetSpent", "Try later."]);
            assert.deepEqual(sleeps, [1, 2]);
            assert.deepEqual(lines, ["waiting 1 s: Graph was unavailable (503) for GET /users (retry 1 of 6)", "waiting 2 s: Graph was unavailable (503) for GET /users (retry 2 of 6)"]);
        } finally {
            srv.closeAllConnections();
            await new Promise<void>((resolve) => srv.close(() => resolve()));
        }
    });
});
