// The program's failed group and app lookups with their hints, under mocks: the azuread data sources
// mocked, the hint reads served by the simulated Graph, every Graph request counted.
import { strict as assert } from "assert";
import * as path from "path";
import { TenantSeed } from "../tools/sim/tenant/format";
import { tempProjects } from "./helpers/cli";
import { lookupPath } from "./helpers/graph-fixtures";
import { DirectoryFixture, runProgram } from "./helpers/pulumi";
import { AS_OF } from "./helpers/roster";

const PARTNERS = "11111111-1111-4111-8111-111111111111";
const EVERYONE_1 = "22222222-2222-4222-8222-222222222221";
const EVERYONE_2 = "22222222-2222-4222-8222-222222222222";
const WIKI_SP = "66666666-6666-4666-8666-666666666666";
const WIKI_CLIENT = "77777777-7777-4777-8777-777777777777";

/** The provider's view (the mocked data sources) and Graph's (the simulated tenant) agree. */
const DIRECTORY: DirectoryFixture = {
    groups: { "Partners - Fabrikam": [PARTNERS], Everyone: [EVERYONE_2, EVERYONE_1] },
    servicePrincipals: [{ objectId: WIKI_SP, clientId: WIKI_CLIENT, displayName: "Wiki Portal", appRoleIds: {} }],
};
const TENANT: TenantSeed = {
    groups: [
        { id: PARTNERS, displayName: "Partners - Fabrikam" },
        { id: EVERYONE_2, displayName: "Everyone" },
        { id: EVERYONE_1, displayName: "Everyone", description: "All staff", createdDateTime: "2024-01-15T08:00:00Z" },
    ],
    servicePrincipals: [{ id: WIKI_SP, appId: WIKI_CLIENT, displayName: "Wiki Portal" }],
};

const TYPO = "Partners - Fabrikm";
const NOT_FOUND = (file: string, name: string, fix: string) =>
    `${file}:2: directory lookup of group "${name}" failed: no group has this display name (provider: "No group found matching specified filter (displayName eq '${name}')"); used by ${file}:2; ${fix}`;
const SEARCH_PARTNERS = `GET /groups?$search="displayName:par" OR "displayName:fab"&$select=displayName&$top=999&$count=true`;

describe("program: a failed lookup's hint costs one Graph read per failed name, and nothing otherwise", () => {
    const project = tempProjects();
    const run = async (csv: string, tenant: TenantSeed = TENANT) => {
        const dir = await project({ "g.csv": csv });
        const result = await runProgram({ guests: [dir], asOf: AS_OF }, DIRECTORY, { tenant });
        return { result, file: path.join(dir, "g.csv").split(path.sep).join("/") };
    };

    it("a run whose lookups succeed makes no Graph read but who the guest is", async () => {
        const { result } = await run("email,groups,apps\nann@fabrikam.com,Partners - Fabrikam,Wiki Portal\n");
        assert.equal(result.error, undefined);
        assert.deepEqual(result.graph, [`GET ${lookupPath("ann@fabrikam.com")}`]);
    });

    it("several groups, a group typo and an app typo: the IDs, two suggestions, and exactly one read each", async () => {
        const { result, file } = await run("email,groups,apps\nann@fabrikam.com,Partners - Fabrikm;Everyone,Wiki Portl\nbo@fabrikam.com,everyone;Partners - Fabrikm,\n");
        assert.equal(result.error?.constructor.name, "RunError");
        assert.deepEqual(result.error?.message.split("\n"), [
            `${file}:2: directory lookup of app "Wiki Portl" failed: no service principal has this display name (provider: "Service principal not found: no service principals found matching filter: \\"displayName eq 'Wiki Portl'\\""); used by ${file}:2; did you mean "Wiki Portal"? check the app's name, and that it has an enterprise application in this tenant`,
            `${file}:2: directory lookup of group "Everyone" failed: several groups have this display name (provider: "More than one group found matching specified filter (displayName eq 'Everyone')"); used by ${file}:2, ${file}:3; write one of these object IDs: ${EVERYONE_1} ("All staff", created 2024-01-15), ${EVERYONE_2} (no description)`,
            NOT_FOUND(file, TYPO, `did you mean "Partners - Fabrikam"? check the name, or write the group's object ID`).replace(`used by ${file}:2;`, `used by ${file}:2, ${file}:3;`),
            "3 errors in the guest files; nothing was changed",
        ]);
        assert.deepEqual(result.graph.sort(), [
            "GET /groups?$filter=displayName eq 'Everyone'&$select=id,displayName,description,createdDateTime&$top=999",
            SEARCH_PARTNERS,
            `GET /servicePrincipals?$search="displayName:wik" OR "displayName:por"&$select=displayName&$top=999&$count=true`,
        ]);
        assert.deepEqual(result.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
    });

    it("shows a hostile name from the file and text from Graph escaped, each on its one line", async () => {
        const tenant: TenantSeed = {
            groups: [
                { id: PARTNERS, displayName: 'Partners - Fabrikam"\u202e\n' },
                { id: EVERYONE_1, displayName: "Everyone", description: "\u001b[31mAll\u202e staff\n" },
                { id: EVERYONE_2, displayName: "Everyone" },
            ],
        };
        const hostile = "Partners - Fabrikm\\e[2J";
        const dir = await project({ "h.yaml": `guests:\n  - email: ann@fabrikam.com\n    groups: ["${hostile}", Everyone]\n` });
        const result = await runProgram({ guests: [dir], asOf: AS_OF }, DIRECTORY, { tenant });
        const file = path.join(dir, "h.yaml").split(path.sep).join("/");
        assert.deepEqual(result.error?.message.split("\n"), [
            `${file}:2: directory lookup of group "Everyone" failed: several groups have this display name (provider: "More than one group found matching specified filter (displayName eq 'Everyone')"); used by ${file}:2; write one of these object IDs: ${EVERYONE_1} ("\\u001b[31mAll\\u202e staff\\n"), ${EVERYONE_2} (no description)`,
            NOT_FOUND(file, "Partners - Fabrikm\\x1b[2J", `did you mean "Partners - Fabrikam\\"\\u202e\\n"? check the name, or write the group's object ID`),
            "2 errors in the guest files; nothing was changed",
        ]);
    });

    it("a hint read Graph refuses (403) or throttles past the wait limit leaves today's message, and the run fails as before", async () => {
        const today = (file: string) => [NOT_FOUND(file, TYPO, "check the name, or write the group's object ID"), "1 error in the guest files; nothing was changed"];
        const denied = await run(`email,groups\nann@fabrikam.com,${TYPO}\n`, { ...TENANT, faults: { deny: { status: 403, code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation.", pathPrefix: "/groups" } } });
        assert.equal(denied.result.error?.constructor.name, "RunError");
        assert.deepEqual(denied.result.error?.message.split("\n"), today(denied.file));
        assert.deepEqual(denied.result.graph, [SEARCH_PARTNERS]);
        const throttled = await run(`email,groups\nann@fabrikam.com,${TYPO}\n`, { ...TENANT, faults: { throttle: { requests: 1, retryAfterSeconds: 86400 } } });
        assert.deepEqual(throttled.result.error?.message.split("\n"), today(throttled.file));
        assert.deepEqual(throttled.result.graph, [SEARCH_PARTNERS], "a Retry-After of a day is not waited for, nor retried");
    });
});
