// `entra-guests access` reads each guest's IDs and redeem URL from the stack's state. A stand-in
// `pulumi` on PATH answers `stack export` with a recorded export (test/fixtures/access), shaped as
// pulumi v3.248 prints it: a version 3 deployment whose redeem URLs are secrets, `ciphertext`
// without --show-secrets and `plaintext` with it.
import { strict as assert } from "assert";
import { promises as fs } from "fs";
import * as path from "path";
import { runCli, tempProjects } from "./helpers/cli";
import { FIXTURES } from "./helpers/roster";

const RECORDED = path.join(FIXTURES, "access");
const ANN = "11111111-2222-4333-8444-555555555555";
const BO = "66666666-7777-4888-9999-aaaaaaaaaaaa";
const PARTNERS = "5b8a3c1e-2f4d-4e6a-9b7c-1d2e3f4a5b6c";
const FALCON = "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4";
const PORTAL = "3f2e1d0c-b9a8-4765-8432-10fedcba9876";
const ROLE = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const redeem = (user: string) =>
    `https://login.microsoftonline.com/redeem?rd=https%3a%2f%2finvitations.microsoft.com%2fredeem%2f%3ftenant%3d72f988bf-86f1-41af-91ab-2d7cd011db47%26user%3d${user}%26ticket%3dQ2x5ZGUgc2F5cyBoZWxsbw%253d%253d%26ver%3d2.0`;

const ANN_TEXT = [
    "ann.lee@fabrikam.com (Ann Lee)",
    `  user ID     ${ANN}`,
    `  groups      ${PARTNERS}, ${FALCON}`,
    `  apps        ${PORTAL} role ${ROLE}`,
];
const BO_TEXT = ["bo@fabrikam.com", `  user ID     ${BO}`, `  groups      ${FALCON}`, "  apps        (none)"];

type Export = { version: unknown; deployment: { resources: Record<string, unknown>[] } };

describe("access: each guest's IDs and redeem URL from the stack's state", () => {
    const project = tempProjects();

    interface Setup {
        /** The folder the CLI runs in: a subfolder of the project. */
        cwd: string;
        env: NodeJS.ProcessEnv;
        /** "<folder>: <arguments>" of each pulumi run. */
        calls(): Promise<string[]>;
        root: string;
    }

    /** A project, a stand-in pulumi on PATH, and the export it answers (edited by `edit`, both variants). */
    async function setup(edit?: (e: Export) => void, failure?: { stderr: string; code: number }): Promise<Setup> {
        const root = await project({ "Pulumi.yaml": "name: entra-guests\nruntime: nodejs\n", "guests/a.csv": "email\nann.lee@fabrikam.com\n" });
        const exportDir = path.join(root, ".export");
        await fs.mkdir(path.join(root, "bin"));
        await fs.mkdir(exportDir);
        await fs.symlink(path.join(RECORDED, "fake-pulumi.sh"), path.join(root, "bin", "pulumi"));
        for (const file of ["export.json", "export-secrets.json"]) {
            const recorded = JSON.parse(await fs.readFile(path.join(RECORDED, file), "utf8")) as Export;
            edit?.(recorded);
            await fs.writeFile(path.join(exportDir, file), JSON.stringify(recorded, null, 4));
        }
        if (failure) {
            await fs.writeFile(path.join(exportDir, "stderr"), failure.stderr);
            await fs.writeFile(path.join(exportDir, "code"), String(failure.code));
        }
        const log = path.join(root, "pulumi.log");
        return {
            root,
            cwd: path.join(root, "guests"),
            env: { ...process.env, PATH: `${path.join(root, "bin")}${path.delimiter}${process.env.PATH}`, FAKE_LOG: log, FAKE_EXPORT: exportDir },
            calls: async () => (await fs.readFile(log, "utf8").catch(() => "")).split("\n").filter((l) => l !== ""),
        };
    }

    const invitationOf = (e: Export, email: string) => e.deployment.resources.find((r) => String(r.urn).endsWith(`Invitation::guests/${email}`))!;

    it("prints every guest's user ID, groups and apps, and never a redeem URL without --show-secrets", async () => {
        const s = await setup();
        const run = await runCli(["access", "--stack", "dev"], s.cwd, s.env);
        assert.deepEqual([run.code, run.stderr], [0, ""]);
        assert.equal(run.stdout, [...ANN_TEXT, "  redeem URL  [secret]", ...BO_TEXT, "  redeem URL  [secret]", "2 guests in stack dev; redeem URLs are secret, --show-secrets shows them", ""].join("\n"));
        assert.ok(!run.stdout.includes("login.microsoftonline.com") && !run.stdout.includes("v1:"), "no URL and no ciphertext");
        // Run in the project's folder, found from a subfolder, so a file backend finds the stack.
        assert.deepEqual(await s.calls(), [`${s.root}: stack export --stack dev`]);
    });

    it("--show-secrets prints the redeem URL of the guest asked for, found by the roster's normalisation", async () => {
        const s = await setup();
        const run = await runCli(["access", " Ann.Lee@FABRIKAM.com", "--stack", "dev", "--show-secrets"], s.cwd, s.env);
        assert.deepEqual([run.code, run.stderr], [0, ""]);
        assert.equal(run.stdout, [...ANN_TEXT, `  redeem URL  ${redeem(ANN)}`, "1 guest in stack dev", ""].join("\n"));
        assert.ok(!run.stdout.includes(BO) && !run.stdout.includes(redeem(BO)), "nothing of the other guest");
        assert.deepEqual(await s.calls(), [`${s.root}: stack export --stack dev --show-secrets`]);
    });

    it("reads a GuestUser's user, and says whose it is: invited by the stack, adopted, or an existing member", async () => {
        // The recorded export's Invitations as GuestUsers: ann invited by the stack, bo adopted; a member beside them.
        const s = await setup((e) => {
            for (const r of e.deployment.resources) {
                if (r.type !== "azuread:index/invitation:Invitation") continue;
                const outputs = r.outputs as Record<string, unknown>;
                const email = String(outputs.userEmailAddress);
                r.type = "entraguests:index:GuestUser";
                r.urn = String(r.urn).replace("azuread:index/invitation:Invitation", "entraguests:index:GuestUser");
                r.outputs = { email, displayName: outputs.userDisplayName, userId: outputs.userId, createdByStack: email.startsWith("ann"), existingMember: false, ...(email.startsWith("ann") ? { redeemUrl: outputs.redeemUrl } : {}) };
            }
            const member = { ...e.deployment.resources.find((r) => r.type === "entraguests:index:GuestUser")! };
            member.urn = String(member.urn).replace("guests/ann.lee@fabrikam.com", "guests/lena@contoso.com");
            member.outputs = { email: "lena@contoso.com", userId: "77777777-0000-4000-8000-000000000001", createdByStack: false, existingMember: true };
            e.deployment.resources.push(member);
        });
        const run = await runCli(["access", "--stack", "dev"], s.cwd, s.env);
        assert.deepEqual([run.code, run.stderr], [0, ""]);
        assert.equal(
            run.stdout,
            [
                ...ANN_TEXT.slice(0, 2),
                "  user        invited by this stack (removing the guest deletes the user unless onRemove: retain)",
                ...ANN_TEXT.slice(2),
                "  redeem URL  [secret]",
                BO_TEXT[0],
                BO_TEXT[1],
                "  user        adopted: it existed before the stack (kept when the guest is removed, unless deleteAdoptedUsers)",
                ...BO_TEXT.slice(2),
                "  redeem URL  (none)",
                "lena@contoso.com",
                "  user ID     77777777-0000-4000-8000-000000000001",
                "  user        an existing member whose access the files manage (never deleted)",
                "  groups      (none)",
                "  apps        (none)",
                "  redeem URL  (none)",
                "3 guests in stack dev; redeem URLs are secret, --show-secrets shows them",
                "",
            ].join("\n"),
        );
        const json = JSON.parse((await runCli(["access", "--stack", "dev", "--format", "json"], s.cwd, s.env)).stdout) as { guests: Record<string, { ownership: string }> };
        assert.deepEqual(Object.fromEntries(Object.entries(json.guests).map(([e, g]) => [e, g.ownership])), { "ann.lee@fabrikam.com": "invited", "bo@fabrikam.com": "adopted", "lena@contoso.com": "member" });
    });

    it("--format json keeps values as read: the old outputs' shape per guest, the URL only with --show-secrets", async () => {
        const s = await setup();
        const hidden = await runCli(["access", "--stack", "dev", "--format", "json"], s.cwd, s.env);
        assert.deepEqual([hidden.code, hidden.stderr], [0, ""]);
        assert.deepEqual(JSON.parse(hidden.stdout), {
            stack: "dev",
            guests: {
                "ann.lee@fabrikam.com": { displayName: "Ann Lee", userId: ANN, ownership: null, groups: [PARTNERS, FALCON], apps: [{ app: PORTAL, role: ROLE }], redeemUrl: "[secret]" },
                "bo@fabrikam.com": { userId: BO, ownership: null, groups: [FALCON], apps: [], redeemUrl: "[secret]" },
            },
            unknown: [],
            problems: [],
        });
        assert.ok(!hidden.stdout.includes("login.microsoftonline.com"));
        const shown = await runCli(["access", "bo@fabrikam.com", "--format", "json", "--show-secrets"], s.cwd, s.env);
        assert.deepEqual(JSON.parse(shown.stdout), { stack: null, guests: { "bo@fabrikam.com": { userId: BO, ownership: null, groups: [FALCON], apps: [], redeemUrl: redeem(BO) } }, unknown: [], problems: [] });
        // No --stack: pulumi's selected stack.
        assert.deepEqual((await s.calls())[1], `${s.root}: stack export --show-secrets`);
    });

    it("escapes text from the state for the terminal: a display name cannot move the cursor or fake a line", async () => {
        const name = "Eve\u001b[2J\u001b[31m Admin\nbo@fabrikam.com\u202e";
        const s = await setup((e) => {
            const outputs = invitationOf(e, "ann.lee@fabrikam.com").outputs as Record<string, unknown>;
            outputs.userDisplayName = name;
        });
        const text = await runCli(["access", "ann.lee@fabrikam.com", "--stack", "dev"], s.cwd, s.env);
        assert.equal(text.stdout.split("\n")[0], "ann.lee@fabrikam.com (Eve\\x1b[2J\\x1b[31m Admin\\nbo@fabrikam.com\\u202e)");
        assert.ok(!/[\u001b\u202e]/.test(text.stdout), "no control character reaches the terminal");
        assert.equal(text.stdout.split("\n").length, 7, "five lines for the guest, the summary, the end");
        const json = await runCli(["access", "ann.lee@fabrikam.com", "--stack", "dev", "--format", "json"], s.cwd, s.env);
        assert.equal(JSON.parse(json.stdout).guests["ann.lee@fabrikam.com"].displayName, name);
    });

    it("an address the stack does not have is said, exit 1, after the guests it has", async () => {
        const s = await setup();
        const run = await runCli(["access", "bo@fabrikam.com", "cy@fabrikam.com", "--stack", "dev"], s.cwd, s.env);
        assert.equal(run.code, 1);
        assert.equal(run.stdout, [...BO_TEXT, "  redeem URL  [secret]", "1 guest in stack dev; redeem URLs are secret, --show-secrets shows them", ""].join("\n"));
        assert.equal(run.stderr, "entra-guests: stack dev has no guest cy@fabrikam.com (it has 2 guests); check the address, or name the stack with --stack\n");
        const json = await runCli(["access", "cy@fabrikam.com", "--format", "json"], s.cwd, s.env);
        assert.deepEqual([json.code, json.stderr, JSON.parse(json.stdout)], [1, "", { stack: null, guests: {}, unknown: ["cy@fabrikam.com"], problems: [] }]);
    });

    it("a malformed resource in the export is reported, the others shown, exit 1", async () => {
        const s = await setup((e) => {
            (invitationOf(e, "bo@fabrikam.com").outputs as Record<string, unknown>).userId = 42;
            const member = e.deployment.resources.find((r) => String(r.urn).endsWith(`GroupMember::guests/ann.lee@fabrikam.com/${FALCON}`))!;
            delete (member.outputs as Record<string, unknown>).groupObjectId;
            delete (member.inputs as Record<string, unknown>).groupObjectId;
            e.deployment.resources.push("not a resource" as unknown as Record<string, unknown>);
        });
        const run = await runCli(["access", "--stack", "dev"], s.cwd, s.env);
        assert.equal(run.code, 1);
        assert.equal(
            run.stdout,
            [
                "ann.lee@fabrikam.com (Ann Lee)",
                `  user ID     ${ANN}`,
                `  groups      ${PARTNERS}`,
                `  apps        ${PORTAL} role ${ROLE}`,
                "  redeem URL  [secret]",
                "bo@fabrikam.com",
                "  user ID     (no guest user in the state)",
                `  groups      ${FALCON}`,
                "  apps        (none)",
                "  redeem URL  (none)",
                "2 guests in stack dev; redeem URLs are secret, --show-secrets shows them",
                "",
            ].join("\n"),
        );
        assert.equal(
            run.stderr,
            [
                "entra-guests: guests/bo@fabrikam.com has no text `userId` in the state (got \"42\"); it was left out, run `pulumi refresh` and try again",
                `entra-guests: guests/ann.lee@fabrikam.com/${FALCON} has no text \`groupObjectId\` in the state (got "undefined"); it was left out, run \`pulumi refresh\` and try again`,
                'entra-guests: resource 12 of the export has no `urn` or `type` (got "not a resource"); it was left out',
                "entra-guests: guests/bo@fabrikam.com has memberships or app assignments in the state but no guest user; `pulumi up` registers it again (adopting the user that has the address, or inviting it)",
                "",
            ].join("\n"),
        );
        // Asked about one guest: its own problems and those of no known guest, not the others'.
        const ann = await runCli(["access", "ann.lee@fabrikam.com", "--format", "json"], s.cwd, s.env);
        assert.equal(ann.code, 1);
        assert.deepEqual(JSON.parse(ann.stdout).problems, [
            `guests/ann.lee@fabrikam.com/${FALCON} has no text \`groupObjectId\` in the state (got "undefined"); it was left out, run \`pulumi refresh\` and try again`,
            'resource 12 of the export has no `urn` or `type` (got "not a resource"); it was left out',
        ]);
    });

    it("a secret that --show-secrets did not decrypt, and an export that is not a deployment, are said in one line", async () => {
        const encrypted = await setup((e) => {
            const outputs = invitationOf(e, "bo@fabrikam.com").outputs as Record<string, unknown>;
            outputs.redeemUrl = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc:def" };
        });
        const run = await runCli(["access", "bo@fabrikam.com", "--show-secrets", "--format", "json"], encrypted.cwd, encrypted.env);
        assert.equal(run.code, 1);
        assert.deepEqual(JSON.parse(run.stdout).problems, ["guests/bo@fabrikam.com has a redeem URL that cannot be read (it is still encrypted: the export was made without --show-secrets); the others are shown"]);
        assert.equal(JSON.parse(run.stdout).guests["bo@fabrikam.com"].redeemUrl, null);

        const future = await setup((e) => (e.version = 9));
        const v9 = await runCli(["access", "--stack", "dev"], future.cwd, future.env);
        assert.deepEqual([v9.code, v9.stdout, v9.stderr], [1, "", 'entra-guests: cannot read stack dev: the export is deployment version "9", this command reads versions 3 and 4; update entra-guests or the pulumi CLI\n']);
    });

    it("a stack pulumi cannot export gives pulumi's error line, exit 1; no pulumi on PATH, exit 2", async () => {
        const missing = await setup(undefined, { stderr: "warning: A new version of Pulumi is available.\nerror: no stack named 'prod' found\n", code: 255 });
        const run = await runCli(["access", "--stack", "prod"], missing.cwd, missing.env);
        assert.deepEqual([run.code, run.stdout, run.stderr], [1, "", "entra-guests: `pulumi stack export --stack prod` failed: error: no stack named 'prod' found\n"]);

        const s = await setup();
        const none = await runCli(["access"], s.cwd, { ...s.env, PATH: path.join(s.root, "guests") });
        assert.deepEqual(
            [none.code, none.stdout, none.stderr],
            [2, "", "entra-guests: access reads the stack's state with the pulumi CLI, and there is no `pulumi` on PATH; install it (https://www.pulumi.com/docs/install/) and log in to the stack's backend\n"],
        );
    });

    it("usage errors exit 2 before pulumi runs: a bad --format, an EMAIL that is no address", async () => {
        const s = await setup();
        const format = await runCli(["access", "--format", "yaml"], s.cwd, s.env);
        assert.equal(format.code, 2);
        assert.match(format.stderr, /^entra-guests: --format must be one of text, json \(got "yaml"\); run `entra-guests --help` for the commands and their options\n$/);
        const email = await runCli(["access", "ann\u001b[31m@fabrikam.com"], s.cwd, s.env);
        assert.equal(email.code, 2);
        assert.equal(email.stderr.split("\n")[0], 'entra-guests: `EMAIL` contains U+001B ESCAPE at position 4 (got "ann\\u001B[31m@fabrikam.com"); retype the address; run `entra-guests --help` for the commands and their options');
        assert.deepEqual(await s.calls(), []);
    });
});
