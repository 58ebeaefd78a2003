// Graph's bounds where the program and `adopt` read Graph (graph/waiting.ts, graph/paging.ts),
// against the simulated Graph: a Retry-After of a day and a next link that repeats stop the run at
// once with one line, and a short throttle is waited out with one line per wait.
import { strict as assert } from "assert";
import { rm } from "fs/promises";
import * as pulumi from "@pulumi/pulumi";
import { TenantSeed } from "../tools/sim/tenant/format";
import { tempProject } from "./helpers/cli";
import { graphProject, GraphProject } from "./helpers/graph-cli";
import { runProgram } from "./helpers/pulumi";
import { AS_OF } from "./helpers/roster";

const PARTNERS = "11111111-1111-4111-8111-111111111111";
const ANN = "aaaaaaaa-0000-4000-8000-000000000001";
/** The identity lookup of one address (graph/identity.ts). */
const LOOKUP = "/users?$filter=userPrincipalName eq 'ann@fabrikam.com' or mail eq 'ann@fabrikam.com' or proxyAddresses/any(p:p eq 'smtp:ann@fabrikam.com') or otherMails/any(m:m eq 'ann@fabrikam.com')&$select=id,mail,userPrincipalName,otherMails,proxyAddresses,userType,displayName,createdDateTime,externalUserState,externalUserStateChangeDateTime&$count=true";
const FAILED = "looking up who the guests are in the tenant failed";
const END = "nothing was changed; the directory lookups failed";

describe("Graph's bounds in the program's adoption lookups (mocked engine, simulated Graph)", () => {
    const DIRECTORY = { groups: { Partners: [PARTNERS] }, servicePrincipals: [] };
    let dirs: string[] = [];
    let infos: string[] = [];
    const original = pulumi.log.info;
    beforeEach(() => {
        infos = [];
        pulumi.log.info = async (message: string) => void infos.push(message);
    });
    afterEach(async () => {
        pulumi.log.info = original;
        await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
        dirs = [];
    });
    const run = async (csv: string, tenant: TenantSeed) => {
        const dir = await tempProject({ "g.csv": csv });
        dirs.push(dir);
        return runProgram({ guests: [dir], asOf: AS_OF }, DIRECTORY, { tenant });
    };

    it("a Retry-After of a day stops the run at once, saying what Graph asked; nothing is registered", async () => {
        const started = Date.now();
        const result = await run("email\nann@fabrikam.com\n", { faults: { throttle: { requests: 1, retryAfterSeconds: 86400 } } });
        assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
        assert.equal(result.error?.constructor.name, "RunError");
        assert.deepEqual(result.error?.message.split("\n"), [`${FAILED}: Graph asked to wait 86400 s (Retry-After) before GET ${LOOKUP}; entra-guests waits at most 300 s at a time; try again later`, END]);
        assert.deepEqual(result.graph, [`GET ${LOOKUP}`]);
        assert.deepEqual(result.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
        assert.deepEqual(infos.filter((i) => i.startsWith("waiting")), []);
    });

    it("a group's member list whose next link repeats stops the run after one page of it", async () => {
        const tenant: TenantSeed = {
            users: [{ id: ANN, mail: "ann@fabrikam.com", userType: "Guest" }],
            groups: [{ id: PARTNERS, displayName: "Partners", members: [ANN] }],
            faults: { loopingNextLink: { pathPrefix: `/groups/${PARTNERS}/members` } },
        };
        const result = await run("email,groups\nann@fabrikam.com,Partners\n", tenant);
        const members = `/groups/${PARTNERS}/members?$select=id&$top=999`;
        assert.deepEqual(result.error?.message.split("\n"), [`${FAILED}: Graph returned the same next page twice for GET ${members}; stopping rather than looping`, END]);
        assert.deepEqual(result.graph, [`GET ${LOOKUP}`, `GET ${members}`]);
        assert.deepEqual(result.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
    });

    it("a throttle of 1 s is waited out, logged once with what it waited for, and the run goes on", async () => {
        const result = await run("email\nann@fabrikam.com\n", { faults: { throttle: { requests: 1, retryAfterSeconds: 1 } } });
        assert.equal(result.error, undefined);
        assert.deepEqual(infos.filter((i) => i.startsWith("waiting")), [`waiting 1 s: Graph throttled GET ${LOOKUP.slice(0, 100)}… (retry 1 of 6)`]);
        assert.deepEqual(result.graph, [`GET ${LOOKUP}`, `GET ${LOOKUP}`]);
        assert.deepEqual(result.resources.filter((r) => r.type === "entraguests:index:GuestUser").map((r) => r.name), ["guests/ann@fabrikam.com"]);
    });
});

describe("Graph's bounds in `entra-guests adopt`", () => {
    let p: GraphProject | undefined;
    afterEach(async () => {
        await p?.close();
        p = undefined;
    });
    const TENANT: TenantSeed = { users: [{ id: ANN, mail: "ann@fabrikam.com", userType: "Guest" }], groups: [{ id: PARTNERS, displayName: "Partners", members: [ANN] }] };
    const GROUP = "/groups?$filter=displayName eq 'Partners'&$select=id,displayName";

    it("a Retry-After of a day is one line saying what Graph asked, exit 1, nothing written", async () => {
        const s = (p = await graphProject({}, { ...TENANT, faults: { throttle: { requests: 1, retryAfterSeconds: 86400 } } }));
        const run = await s.run(["adopt", "--group", "Partners"]);
        assert.deepEqual([run.code, run.stdout, s.sleeps], [1, "", []]);
        assert.equal(run.stderr, `entra-guests: Graph asked to wait 86400 s (Retry-After) before GET ${GROUP}; entra-guests waits at most 300 s at a time; try again later; nothing was written\n`);
    });

    it("a short throttle is one line on stderr per wait, and the file is written", async () => {
        const s = (p = await graphProject({}, { ...TENANT, faults: { throttle: { requests: 2, retryAfterSeconds: 3 } } }));
        const run = await s.run(["adopt", "--group", "Partners"]);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stderr, [1, 2].map((n) => `entra-guests: waiting 3 s: Graph throttled GET ${GROUP} (retry ${n} of 6)\n`).join(""));
        assert.deepEqual(s.sleeps, [3, 3]);
        assert.match(run.stdout, /^guests\/adopted\.yaml: 1 user written/);
    });

    it("a member list whose next link repeats is one line, exit 1", async () => {
        const s = (p = await graphProject({}, { ...TENANT, faults: { loopingNextLink: { pathPrefix: `/groups/${PARTNERS}/members` } } }));
        const run = await s.run(["adopt", "--group", "Partners"]);
        assert.equal(run.code, 1);
        assert.equal(run.stderr, `entra-guests: Graph returned the same next page twice for GET /groups/${PARTNERS}/members/microsoft.graph.user?$select=id,mail,displayName,userType,userPrincipalName,otherMails,proxyAddresses&$top=999; stopping rather than looping; nothing was written\n`);
    });
});
