// `adopt --format csv` writes a file that a spreadsheet opens without running anything and that
// the guest-file reader reads back as the directory holds it.
import { strict as assert } from "assert";
import { promises as fs } from "fs";
import * as path from "path";
import { TenantSeed } from "../tools/sim/tenant/format";
import { adoptProjects } from "./helpers/adopt";
import { runCli } from "./helpers/cli";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const HEADER = "email,displayName,groups,apps,sendEmail";

/** What `validate --format json` reads from the project: email -> the fields asked for. */
async function readBack(dir: string, fields: string[]): Promise<Record<string, unknown>[]> {
    const run = await runCli(["validate", "--format", "json"], dir);
    const report = JSON.parse(run.stdout) as { errors: unknown[]; guests: Record<string, unknown>[] };
    assert.deepEqual(report.errors, []);
    return report.guests.map((g) => Object.fromEntries(["email", ...fields].map((f) => [f, g[f]])));
}

describe("adopt --format csv: safe in a spreadsheet, read back as written", () => {
    const { setup, adopt } = adoptProjects();

    it("writes display names and group names that start like a formula with a ' before them, and reads them back without it", async () => {
        const names = ['=HYPERLINK("http://x","y")', "+1", "-2", "@sum", "'=already guarded", "'plain apostrophe"];
        const seed: TenantSeed = {
            users: names.map((displayName, i) => ({ id: id(i + 1), mail: `g${i + 1}@fabrikam.com`, displayName, userType: "Guest" as const })),
            groups: [{ id: id(100), displayName: "-Sales", members: names.map((_, i) => id(i + 1)) }],
        };
        const project = await setup({}, seed);
        const run = await adopt(["--group=-Sales", "--format", "csv"], project);
        assert.equal(run.stderr, "");
        assert.equal(run.stdout.split("\n")[0], "guests/adopted.csv: 6 users written (1 group, 0 apps)");
        assert.equal(
            await fs.readFile(path.join(project.dir, "guests/adopted.csv"), "utf8"),
            [
                HEADER,
                `g1@fabrikam.com,"'=HYPERLINK(""http://x"",""y"")",'-Sales,,false`,
                "g2@fabrikam.com,'+1,'-Sales,,false",
                "g3@fabrikam.com,'-2,'-Sales,,false",
                "g4@fabrikam.com,'@sum,'-Sales,,false",
                "g5@fabrikam.com,''=already guarded,'-Sales,,false",
                "g6@fabrikam.com,'plain apostrophe,'-Sales,,false",
                "",
            ].join("\n"),
        );
        assert.deepEqual(
            await readBack(project.dir, ["displayName", "groups"]),
            names.map((displayName, i) => ({ email: `g${i + 1}@fabrikam.com`, displayName, groups: ["-Sales"] })),
        );
    });

    it("writes groups, apps and roles holding ;, |, : and \\ escaped, and reads them back as the directory names them", async () => {
        const ZERO = "00000000-0000-0000-0000-000000000000";
        const seed: TenantSeed = {
            users: [
                { id: id(1), mail: "ann@fabrikam.com", displayName: "Ann", userType: "Guest" },
                { id: id(2), mail: "bo@fabrikam.com", displayName: "Bo", userType: "Guest" },
            ],
            groups: [
                { id: id(10), displayName: "Sales; EMEA", members: [id(1), id(2)] },
                { id: id(11), displayName: "Ops|Dev\\", members: [id(1)] },
            ],
            servicePrincipals: [
                { id: id(20), appId: id(21), displayName: "Portal: EU", appRoles: [{ id: id(22), value: "api:read" }] },
                { id: id(30), appId: id(31), displayName: "Wiki;Docs" },
            ],
            appRoleAssignments: [
                { id: "a1", appRoleId: id(22), principalId: id(1), resourceId: id(20) },
                { id: "a2", appRoleId: ZERO, principalId: id(1), resourceId: id(30) },
                { id: "a3", appRoleId: ZERO, principalId: id(2), resourceId: id(20) },
            ],
        };
        const project = await setup({}, seed);
        const run = await adopt(["--group", "Sales; EMEA", "--group", "Ops|Dev\\", "--app", "Portal: EU", "--app", "Wiki;Docs", "--format", "csv"], project);
        assert.equal(run.stderr, "");
        assert.deepEqual(run.stdout.split("\n").slice(0, 3), ["guests/adopted.csv: 2 users written (2 groups, 2 apps)", "0 users already declared in the guest files, left out", "0 users skipped"]);
        assert.equal(
            await fs.readFile(path.join(project.dir, "guests/adopted.csv"), "utf8"),
            [
                HEADER,
                "ann@fabrikam.com,Ann,Sales\\; EMEA;Ops\\|Dev\\\\,Portal\\: EU:api\\:read;Wiki\\;Docs,false",
                "bo@fabrikam.com,Bo,Sales\\; EMEA,Portal\\: EU,false",
                "",
            ].join("\n"),
        );
        assert.deepEqual(await readBack(project.dir, ["groups", "apps"]), [
            { email: "ann@fabrikam.com", groups: ["Sales; EMEA", "Ops|Dev\\"], apps: [{ app: "Portal: EU", role: "api:read" }, { app: "Wiki;Docs" }] },
            { email: "bo@fabrikam.com", groups: ["Sales; EMEA"], apps: [{ app: "Portal: EU" }] },
        ]);
    });
});
