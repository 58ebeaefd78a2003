import { strict as assert } from "assert";
import { execFile } from "child_process";
import { promises as fs } from "fs";
import * as path from "path";
import { promisify } from "util";
import { parse } from "yaml";
import { Settings } from "../roster/rules/settings";
import { runCli, tempProject, tempProjects } from "./helpers/cli";
import { AS_OF, ROOT } from "./helpers/roster";

const BAD = {
    "guests/a.csv": "email,sendEmail\nann@fabrikam.com,maybe\n",
    "guests/b.yaml": "guests:\n  - email: bo@fabrikam.com\n    language: de\n    message: Hallo\n",
};

/** What validate prints for the shipped guests/ example: who is mailed per file, then the count. */
const SHIPPED_VALID = [
    "guests/fabrikam.yaml: 0 of 3 guests mailed when invited (1 not, by their own sendEmail; 2 not, by default: no sendEmail value and no message)",
    'guests/northwind-portal.csv: 0 of 3 guests mailed when invited (3 not, by its "Send invitation message (true or false) [sendEmail]" column)',
    "6 guests in 2 files valid",
    "",
].join("\n");

describe("entra-guests validate", () => {
    const project = tempProjects();

    it("accepts the shipped guests/ example with no warning", async () => {
        const run = await runCli(["validate", "--as-of", AS_OF], ROOT);
        assert.equal(run.code, 0);
        assert.equal(run.stdout, SHIPPED_VALID);
        assert.equal(run.stderr, "");
    });

    it("prints every problem as file:line:col, then a summary, and exits 1", async () => {
        const dir = await project(BAD);
        const run = await runCli(["validate"], dir);
        assert.equal(run.code, 1);
        assert.equal(
            run.stdout,
            [
                'guests/a.csv:2:18: `sendEmail` must be true or false (got "maybe"); write true, false, yes, no, 1 or 0',
                'guests/b.yaml:3:15: warning: `language` is ignored for bo@fabrikam.com because a custom `message` is given (got "de"); delete one of the two',
                "1 error, 1 warning in 1 of 2 files; nothing was changed, fix the errors and run again",
                "",
            ].join("\n"),
        );
    });

    it("prints the JSON contract: ok, guests, errors and warnings", async () => {
        const dir = await project({ "guests/g.yaml": "guests:\n  - email: Ann@Fabrikam.com\n    groups: [Partners]\n" });
        const run = await runCli(["validate", "--format", "json"], dir);
        assert.equal(run.code, 0);
        assert.deepEqual(JSON.parse(run.stdout), {
            ok: true,
            guests: [
                {
                    email: "ann@fabrikam.com",
                    redirectUrl: "https://myapps.microsoft.com",
                    sendEmail: false,
                    userType: "Guest",
                    groups: ["Partners"],
                    apps: [],
                    onRemove: "delete",
                    protect: false,
                    source: { file: "guests/g.yaml", line: 2 },
                },
            ],
            errors: [],
            warnings: [],
            expired: [],
            files: [{ file: "guests/g.yaml", format: "yaml", guests: 1, mail: { mailed: 0, notMailed: 1, decidedBy: [{ reason: "unsaid", mailed: 0, notMailed: 1 }] } }],
        });
        const bad = await runCli(["validate", "--format", "json"], await project(BAD));
        const report = JSON.parse(bad.stdout);
        assert.equal(bad.code, 1);
        assert.equal(report.ok, false);
        assert.deepEqual(report.guests, []);
        assert.deepEqual(report.errors, [
            { file: "guests/a.csv", line: 2, column: 18, message: '`sendEmail` must be true or false (got "maybe"); write true, false, yes, no, 1 or 0' },
        ]);
        assert.equal(report.warnings.length, 1);
    });

    it("prints GitHub annotations, escaping what GitHub would misread", async () => {
        const dir = await project({ "guests/x,y.csv": "email\nann@fabrikam\n" });
        const run = await runCli(["validate", "--format", "github"], dir);
        assert.equal(run.code, 1);
        assert.equal(
            run.stdout,
            '::error file=guests/x%2Cy.csv,line=2,col=1::`email` has an invalid domain "fabrikam" (got "ann@fabrikam"); write a full domain, like fabrikam.com\n' +
                "1 error in 1 file; nothing was changed, fix the errors and run again\n",
        );
    });

    it("takes files and folders as paths, and the stack's settings from Pulumi.yaml and Pulumi.<stack>.yaml", async () => {
        const dir = await project({
            "Pulumi.yaml": "name: entra-guests\nruntime: nodejs\nconfig:\n  guests:\n    type: array\n    default: [partners]\n  defaultRedirectUrl:\n    type: string\n    default: https://project.contoso.com\n",
            "Pulumi.prod.yaml": "config:\n  entra-guests:defaultRedirectUrl: https://prod.contoso.com\n  azuread:tenantId: 00000000-0000-0000-0000-000000000001\n",
            "partners/a.csv": "email\nann@fabrikam.com\n",
            "partners/deep/b.yml": "guests:\n  - email: bo@fabrikam.com\n",
            "partners/notes.txt": "not a guest file",
            "other/c.csv": "email\ncy@fabrikam.com\n",
        });
        const json = async (...args: string[]) => JSON.parse((await runCli(["validate", "--format", "json", ...args], dir)).stdout);
        assert.deepEqual(
            (await json()).guests.map((g: { email: string; redirectUrl: string }) => [g.email, g.redirectUrl]),
            [
                ["ann@fabrikam.com", "https://project.contoso.com"],
                ["bo@fabrikam.com", "https://project.contoso.com"],
            ],
        );
        assert.deepEqual(
            (await json("--stack", "prod", "other/c.csv", "partners/deep")).guests.map((g: { email: string; redirectUrl: string }) => [g.email, g.redirectUrl]),
            [
                ["bo@fabrikam.com", "https://prod.contoso.com"],
                ["cy@fabrikam.com", "https://prod.contoso.com"],
            ],
        );
    });

    it("exits 2 for usage errors: an unknown flag or format, a missing path, a bad setting", async () => {
        const dir = await project({ "guests/a.csv": "email\nann@fabrikam.com\n", "Pulumi.bad.yaml": "config:\n  entra-guests:defaultRedirectUrl: portal\n  entra-guests:guestz: x\n" });
        const format = await runCli(["validate", "--format", "xml"], dir);
        assert.equal(format.code, 2);
        assert.match(format.stderr, /^entra-guests: --format must be one of text, json, github \(got "xml"\); run `entra-guests --help` for the commands and their options\n$/);
        const flag = await runCli(["validate", "--fast"], dir);
        assert.equal(flag.code, 2);
        assert.match(flag.stderr, /^entra-guests: Unknown option '--fast'/);
        const missing = await runCli(["validate", "guests", "nope.csv"], dir);
        assert.deepEqual([missing.code, missing.stdout, missing.stderr], [2, "", "entra-guests: no such file or directory: nope.csv; name existing guest files or folders\n"]);
        const setting = await runCli(["validate", "--stack", "bad"], dir);
        assert.equal(setting.code, 2);
        assert.equal(
            setting.stderr,
            'Pulumi.bad.yaml: config `entra-guests:defaultRedirectUrl` must be an absolute http(s) URL, like https://myapps.microsoft.com (got "portal"); set it with `pulumi config set entra-guests:defaultRedirectUrl <value>`\n' +
                "Pulumi.bad.yaml: unknown config key `entra-guests:guestz`; did you mean `entra-guests:guests`? the keys are entra-guests:guests, entra-guests:defaultRedirectUrl, " +
                "entra-guests:expiryWarningDays, entra-guests:asOf, entra-guests:allowedDomains, entra-guests:blockedDomains, entra-guests:restrictToCatalog, " +
                "entra-guests:allowMemberInvites, entra-guests:maxRemovals, entra-guests:deleteAdoptedUsers, entra-guests:confirmRemovals\n",
        );
        const command = await runCli(["valdate"], dir);
        assert.equal(command.code, 2);
        assert.match(command.stderr, /^entra-guests: unknown command "valdate"/);
    });

    it("declares in Pulumi.yaml exactly the settings the program knows, with the same defaults", async () => {
        const project = parse(await fs.readFile(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, { default: unknown; description: string }> };
        const defaults = Settings.parse({});
        assert.deepEqual(Object.keys(project.config).sort(), Object.keys(defaults).sort());
        for (const [key, decl] of Object.entries(project.config)) {
            assert.deepEqual(decl.default, defaults[key as keyof typeof defaults], key);
            assert.ok(decl.description.length > 20, `${key} needs a description`);
        }
    });

    it("runs as `npx entra-guests` from the built bin", async () => {
        const run = await promisify(execFile)(process.execPath, [path.join(ROOT, "bin", "entra-guests.js"), "validate", "guests", "--as-of", AS_OF], { cwd: ROOT });
        assert.equal(run.stdout, SHIPPED_VALID);
    });

    it("refuses an address outside ASCII in CSV and YAML, as the azuread provider does, and still reports every other error", async () => {
        const dir = await project({
            "guests/a.csv": "email,displayName,sendEmail\nrené@fabrikam.com,René,false\nann@bücher.de,Ann,false\nbo@fabrikam.com,Bo,maybe\ncy@fabrikam.com,Cy,false\n",
            "guests/b.yaml": "guests:\n  - email: dee@bücher.de\n  - email: ÉMILE@fabrikam.com\n    language: German\n  - email: fay@fabrikam.com\n",
        });
        const run = await runCli(["validate"], dir);
        assert.equal(run.code, 1);
        const ascii = "and the azuread provider takes ASCII addresses only";
        const punycode = "write the internationalised domain in its ASCII (punycode) form";
        const noForm = "a name part has no ASCII form: ask the guest for another address, or retype the character if it is a typo";
        assert.deepEqual(run.stdout.split("\n"), [
            `guests/a.csv:2:1: \`email\` contains "é" (U+00E9) at position 4, in the name part, ${ascii} (got "rené@fabrikam.com"); ${noForm}`,
            `guests/a.csv:3:1: \`email\` contains "ü" (U+00FC) at position 6, in the domain, ${ascii} (got "ann@bücher.de"); ${punycode}, ann@xn--bcher-kva.de, or retype the character if it is a typo`,
            'guests/a.csv:4:20: `sendEmail` must be true or false (got "maybe"); write true, false, yes, no, 1 or 0',
            `guests/b.yaml:2:12: \`email\` contains "ü" (U+00FC) at position 6, in the domain, ${ascii} (got "dee@bücher.de"); ${punycode}, dee@xn--bcher-kva.de, or retype the character if it is a typo`,
            `guests/b.yaml:3:12: \`email\` contains "É" (U+00C9) at position 1, in the name part, ${ascii} (got "ÉMILE@fabrikam.com"); ${noForm}`,
            'guests/b.yaml:4:15: `language` is not a language code (got "German"); write an ISO 639 code like en-US, de or pt-BR',
            "6 errors in 2 files; nothing was changed, fix the errors and run again",
            "",
        ]);
    });

    it("refuses what plan and the program refuse offline: a group name the provider cannot look up", async () => {
        const dir = await project({
            "guests/o.csv": "email,groups\nann@fabrikam.com,O'Brien Partners\n",
        });
        const run = await runCli(["validate", "--as-of", AS_OF], dir);
        assert.equal(run.code, 1);
        assert.deepEqual(run.stdout.split("\n"), [
            "guests/o.csv:2: group \"O'Brien Partners\" cannot be looked up by name: the azuread provider puts the name in a Graph filter without escaping its apostrophe, so the lookup always fails; used by guests/o.csv:2; write the group's object ID instead",
            "1 error in 1 file; nothing was changed, fix the errors and run again",
            "",
        ]);
    });
});

describe("entra-guests template", () => {
    it("prints starter files that validate as they are, on a reserved .example domain that mails no one", async () => {
        for (const format of ["yaml", "native", "portal"] as const) {
            const run = await runCli(["template", "--format", format], ROOT);
            assert.equal(run.code, 0);
            const dir = await tempProject({ [`guests/starter.${format === "yaml" ? "yaml" : "csv"}`]: run.stdout });
            try {
                const check = await runCli(["validate", "--format", "json", "--as-of", AS_OF], dir);
                const report = JSON.parse(check.stdout);
                assert.deepEqual(report.errors, [], format);
                assert.deepEqual(report.guests.map((g: { email: string }) => g.email), format === "portal" ? [] : ["ann.lee@fabrikam.example", "bo.chen@fabrikam.example"], format);
            } finally {
                await fs.rm(dir, { recursive: true, force: true });
            }
        }
    });

    it("prints the portal's own template: version row, bracketed English header and its example row", async () => {
        const run = await runCli(["template", "--format", "portal"], ROOT);
        assert.deepEqual(run.stdout.split("\r\n"), [
            "version:v1.0",
            "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]",
            "Example:    someone@fabrikam.com,https://myapplications.microsoft.com,TRUE,Welcome to Contoso",
            "",
        ]);
    });
});

describe("guest paths", () => {
    it("takes globs, so one repository can feed several stacks, and refuses a glob that matches nothing", async () => {
        const dir = await tempProject({
            "guests/partners-fabrikam.yaml": "guests:\n  - email: ann@fabrikam.com\n",
            "guests/partners-northwind.csv": "email\nbo@northwind.de\n",
            "guests/staff/contractors.csv": "email\ncy@litware.com\n",
            "guests/deep/partners-x.yaml": "guests:\n  - email: de@x.com\n",
        });
        try {
            const emails = async (...paths: string[]) => JSON.parse((await runCli(["validate", "--format", "json", ...paths], dir)).stdout).guests.map((g: { email: string }) => g.email);
            assert.deepEqual(await emails("guests/partners-*"), ["ann@fabrikam.com", "bo@northwind.de"]);
            assert.deepEqual(await emails("guests/**/partners-*.yaml"), ["ann@fabrikam.com", "de@x.com"]);
            assert.deepEqual(await emails("guests/staff", "guests/*.csv"), ["bo@northwind.de", "cy@litware.com"]);
            const none = await runCli(["validate", "guests/partner-*.yaml", "missing.csv"], dir);
            assert.deepEqual([none.code, none.stderr], [2, "entra-guests: no such file or directory: missing.csv; no guest file matches: guests/partner-*.yaml; name existing guest files or folders\n"]);
        } finally {
            await fs.rm(dir, { recursive: true, force: true });
        }
    });
});
