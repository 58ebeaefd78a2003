import { strict as assert } from "assert";
import { createHash } from "crypto";
import { TenantSeed } from "../tools/sim/tenant/format";
import { promises as fs } from "fs";
import * as pulumi from "@pulumi/pulumi";
import { checkRemovals, fingerprint, inviteTimeEdits, ManagedGuests, serializeManagedGuests } from "../plan";
import { selfReference } from "../components/previous-deployment";
import { runCli, tempProject } from "./helpers/cli";
import { DirectoryFixture, isGuestResource, managedGuestsOf, ProgramRun, runProgram } from "./helpers/pulumi";
import { AS_OF } from "./helpers/roster";

const GUEST_USER = "entraguests:index:GuestUser";
const MEMBER = "azuread:index/groupMember:GroupMember";
const PARTNERS = "11111111-1111-4111-8111-111111111111";
const DIRECTORY: DirectoryFixture = { groups: { Partners: [PARTNERS] }, servicePrincipals: [] };

const emails = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `guest${String(i + from).padStart(2, "0")}@fabrikam.com`);
const csv = (list: string[]) => `email,groups\n${list.map((e) => `${e},Partners`).join("\n")}\n`;
/** A user object ID per address, stable across calls. */
const userIdOf = (email: string) => `cccccccc-0000-4000-8000-${createHash("sha256").update(email).digest("hex").slice(0, 12)}`;
/** What a completed deployment published: each guest with the user ID it settled. */
const deployed = (list: string[], onRemove: "delete" | "retain" = "delete"): ManagedGuests =>
    Object.fromEntries(list.map((e) => [e, { onRemove, invite: "0000000000000000", userId: userIdOf(e), owner: "stack" as const }]));
/** The tenant behind a previous deployment: every user it manages exists. */
const tenantOf = (previous: ManagedGuests | undefined): TenantSeed => ({
    users: Object.entries(previous ?? {}).map(([mail, e]) => ({ id: e.userId ?? userIdOf(mail), mail, userType: "Guest" as const })),
    groups: [{ id: PARTNERS, displayName: "Partners" }],
});
const registered = (run: ProgramRun, type: string) => run.resources.filter((r) => r.type === type).length;

describe("removal guard: a bad pull request cannot delete many guests", () => {
    let dirs: string[] = [];
    /** `published`: the output as this version publishes it (JSON text), or as earlier versions did (the map). */
    const run = async (files: Record<string, string>, previous: ManagedGuests | undefined, config: Record<string, unknown> = {}, published: "text" | "map" = "text") => {
        const dir = await tempProject(files);
        dirs.push(dir);
        const managedGuests = previous === undefined ? undefined : published === "text" ? serializeManagedGuests(previous) : previous;
        return runProgram({ guests: [dir], asOf: AS_OF, ...config }, DIRECTORY, { previousOutputs: managedGuests === undefined ? undefined : { managedGuests, runComplete: true }, tenant: tenantOf(previous) });
    };
    afterEach(async () => {
        await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
        dirs = [];
    });

    it("has nothing to compare on the first deployment, and publishes what it manages", async () => {
        const first = await run({ "g.csv": csv(emails(3)) }, undefined);
        assert.equal(first.error, undefined);
        assert.equal(registered(first, GUEST_USER), 3);
        const managed = managedGuestsOf(first.outputs);
        assert.deepEqual(Object.keys(managed), emails(3));
        assert.deepEqual(managed[emails(1)[0]].onRemove, "delete");
        assert.match(managed[emails(1)[0]].invite, /^[0-9a-f]{16}$/);
        // Read by the engine's built-in invoke, which keeps no copy in the checkpoint; no StackReference resource.
        assert.deepEqual(first.resources.filter((r) => r.type === "pulumi:pulumi:StackReference"), []);
        // A DIY backend (organization "organization"): the bare name, which both of its layouts accept.
        assert.deepEqual(first.calls.filter((c) => c.token === "pulumi:pulumi:readStackOutputs").map((c) => c.args), [{ name: "test" }]);
    });

    it("names its own stack fully on Pulumi Cloud and by its bare name on a DIY backend", () => {
        assert.equal(selfReference("contoso", "entra-guests", "prod"), "contoso/entra-guests/prod");
        assert.equal(selfReference("organization", "entra-guests", "prod"), "prod");
    });

    it("reads a baseline an earlier version published (the map, not its JSON text) the same way, and publishes the text", async () => {
        const previous = { ...deployed(emails(17)), [emails(1, 17)[0]]: { onRemove: "retain" as const, invite: "0000000000000000", userId: userIdOf(emails(1, 17)[0]), owner: "adopted" as const } };
        const [text, map] = [await run({ "g.csv": csv(emails(5)) }, previous), await run({ "g.csv": csv(emails(5)) }, previous, {}, "map")];
        assert.match(String(map.error?.message), /^this run would delete 12 guest users, more than `entra-guests:maxRemovals` \(10\) allows/);
        assert.equal(map.error?.message, text.error?.message);
        const allowed = [await run({ "g.csv": csv(emails(16)) }, previous), await run({ "g.csv": csv(emails(16)) }, previous, {}, "map")];
        for (const r of allowed) assert.equal(r.error, undefined);
        assert.deepEqual(allowed[1].resources, allowed[0].resources);
        assert.deepEqual(managedGuestsOf(allowed[1].outputs), managedGuestsOf(allowed[0].outputs));
        assert.equal(typeof allowed[1].outputs?.managedGuests, "string", "the next run publishes the text");
    });

    it("lets a small removal through", async () => {
        const result = await run({ "g.csv": csv(emails(20)) }, deployed(emails(22)));
        assert.equal(result.error, undefined);
        assert.equal(registered(result, GUEST_USER), 20);
    });

    it("refuses a large removal before registering anything, listing the emails", async () => {
        const result = await run({ "g.csv": csv(emails(5)) }, deployed(emails(17)));
        assert.equal(result.error?.constructor.name, "RunError");
        assert.equal(
            result.error?.message,
            `this run would delete 12 guest users, more than \`entra-guests:maxRemovals\` (10) allows: ${emails(12, 5).join(", ")}. Nothing was changed. ` +
                "If the pull request really removes them, confirm the exact number once: `pulumi config set entra-guests:confirmRemovals 12`, run again, then `pulumi config rm entra-guests:confirmRemovals`; " +
                "otherwise restore the removed entries (or set `onRemove: retain` on a deployed guest first to keep its user)",
        );
        assert.equal(registered(result, GUEST_USER), 0);
        assert.equal(registered(result, MEMBER), 0);
    });

    it("accepts the exact confirmation and refuses any other number", async () => {
        const ok = await run({ "g.csv": csv(emails(5)) }, deployed(emails(17)), { confirmRemovals: "12" });
        assert.equal(ok.error, undefined);
        assert.equal(registered(ok, GUEST_USER), 5);
        const wrong = await run({ "g.csv": csv(emails(5)) }, deployed(emails(55)), { confirmRemovals: 12 });
        assert.match(wrong.error?.message ?? "", /^this run would delete 50 guest users, but `entra-guests:confirmRemovals` is 12: guest05@fabrikam\.com, /);
        assert.equal(registered(wrong, GUEST_USER), 0);
        const lowered = await run({ "g.csv": csv(emails(5)) }, deployed(emails(17)), { maxRemovals: 20 });
        assert.equal(lowered.error, undefined, "maxRemovals raises the bar");
    });

    it("counts expired guests as removals, retained guests not", async () => {
        const previous = { ...deployed(emails(8)), ...deployed(emails(10, 8), "retain") };
        const expiring = `email,groups,expires\n${emails(8).map((e) => `${e},Partners,2026-11-01`).join("\n")}\n`;
        const report = checkRemovals(previous, { invitations: [] }, { maxRemovals: 10, confirmRemovals: 0 });
        assert.deepEqual([report.deleted.length, report.retained.length, report.error], [8, 10, undefined]);
        const result = await run({ "g.csv": expiring }, { ...previous, ...deployed(emails(3, 30)) });
        assert.equal(registered(result, GUEST_USER), 0);
        assert.match(result.error?.message ?? "", /^this run would delete 11 guest users, more than `entra-guests:maxRemovals` \(10\) allows: guest00@fabrikam\.com, /);
    });

    it("warns when a confirmation is left behind, and finds edited invite-time fields", async () => {
        const report = checkRemovals(deployed(emails(3)), { invitations: [] }, { maxRemovals: 10, confirmRemovals: 12 });
        assert.deepEqual(report.warnings, ["`entra-guests:confirmRemovals` is 12 but this run deletes 3 guest users; remove the setting with `pulumi config rm entra-guests:confirmRemovals`"]);
        const inputs = { userEmailAddress: "a@fabrikam.com", redirectUrl: "https://myapps.microsoft.com", userType: "Guest" as const };
        const spec = (displayName?: string) => ({ name: "a@fabrikam.com", email: "a@fabrikam.com", inputs: { ...inputs, userDisplayName: displayName }, retainOnDelete: false, protect: false, existingMember: false, source: { file: "a.csv", line: 2 } });
        const previous = { "a@fabrikam.com": { onRemove: "delete" as const, invite: "fd0510db1bc89e4a" } };
        assert.deepEqual(inviteTimeEdits(previous, [spec("Ann")]), []);
        assert.deepEqual(inviteTimeEdits(previous, [spec("Ann Lee")]), ["a@fabrikam.com"]);
        assert.deepEqual(inviteTimeEdits(undefined, [spec("Ann Lee")]), []);
    });

    it("fingerprints every invite-time input, the message too: each edit gives another, written-out digest", () => {
        const inputs = { userEmailAddress: "a@fabrikam.com", redirectUrl: "https://myapps.microsoft.com", userType: "Guest" as const };
        const withAnn = { ...inputs, userDisplayName: "Ann" };
        assert.deepEqual(
            [
                fingerprint(inputs),
                fingerprint(withAnn),
                fingerprint({ ...withAnn, message: { language: "en-US" } }),
                fingerprint({ ...withAnn, message: { language: "en-US", body: "Welcome" } }),
                fingerprint({ ...withAnn, message: { language: "de-DE", body: "Welcome" } }),
                fingerprint({ ...inputs, redirectUrl: "https://contoso.example" }),
                fingerprint({ ...inputs, userType: "Member" }),
                fingerprint({ ...inputs, userEmailAddress: "b@fabrikam.com" }),
            ],
            ["573d45493432e701", "fd0510db1bc89e4a", "333ebce0429474df", "65db077aa34bc9e4", "e278f9b8b7483559", "9f24636ec31a58c6", "82a4cce1871b0d14", "9e633068a7f934f9"],
        );
    });

    it("warns, in the program, that edited invite-time fields do not reach existing guests", async () => {
        const first = await run({ "g.csv": "email,displayName\nann@fabrikam.com,Ann\nbo@fabrikam.com,Bo\n" }, undefined);
        // The users the mocked provider made, as GUIDs the simulated tenant holds.
        const managed = Object.fromEntries(Object.entries(managedGuestsOf(first.outputs)).map(([e, m]) => [e, { ...m, userId: userIdOf(e) }]));
        const warnings: string[] = [];
        const original = pulumi.log.warn;
        pulumi.log.warn = async (message: string) => void warnings.push(message);
        try {
            const second = await run({ "g.csv": "email,displayName\nann@fabrikam.com,Ann Lee\nbo@fabrikam.com,Bo\n" }, managed);
            assert.equal(second.error, undefined);
            assert.deepEqual(second.resources.filter((r) => r.type === GUEST_USER).map((r) => r.inputs.displayName), ["Ann Lee", "Bo"]);
        } finally {
            pulumi.log.warn = original;
        }
        assert.deepEqual(warnings, [
            "invite-time fields (displayName, redirectUrl, message, language, cc, sendEmail, userType) changed for 1 existing guest: ann@fabrikam.com; they apply to new invitations only, change existing guests in Entra itself",
        ]);
    });

    it("applies the same guard in `entra-guests plan --previous`", async () => {
        const dir = await tempProject({ "guests/g.csv": csv(emails(5)), "prev.json": JSON.stringify(deployed(emails(17))), "small.json": JSON.stringify(deployed(emails(6))) });
        dirs.push(dir);
        const refused = await runCli(["plan", "--previous", "prev.json", "--format", "json"], dir);
        const report = JSON.parse(refused.stdout);
        assert.equal(refused.code, 1);
        assert.equal(report.errors.length, 1);
        assert.match(report.errors[0].message, /^this run would delete 12 guest users/);
        const small = await runCli(["plan", "--previous", "small.json"], dir);
        assert.equal(small.code, 0);
        assert.match(small.stdout, /^small\.json: warning: guest05@fabrikam\.com is no longer declared; `pulumi up` deletes the guest user, its memberships and app assignments\n/);
        const missing = await runCli(["plan", "--previous", "nope.json"], dir);
        assert.deepEqual([missing.code, missing.stderr.split("\n")[0]], [2, "entra-guests: --previous: cannot read nope.json; save it with `pulumi stack output managedGuests --json > nope.json`"]);
    });

    it("stops, registering nothing, when the last deployment's managedGuests output is malformed", async () => {
        const result = await run({ "g.csv": "email\nann@fabrikam.com\n" }, { "ann@fabrikam.com": { onRemove: "keep" } } as unknown as ManagedGuests);
        assert.ok(result.error);
        assert.strictEqual(result.error.constructor.name, "RunError");
        assert.match(result.error.message, /^the last deployment's stack output `managedGuests` has an entry for ann@fabrikam\.com that is not/);
        assert.deepStrictEqual(result.resources.filter((r) => isGuestResource(r.type)), []);
    });

    it("stops the same way when the output is a truncated JSON text, quoting only its start", async () => {
        const dir = await tempProject({ "g.csv": "email\nann@fabrikam.com\n" });
        dirs.push(dir);
        const text = serializeManagedGuests(deployed(emails(20)));
        const result = await runProgram({ guests: [dir], asOf: AS_OF }, DIRECTORY, { previousOutputs: { managedGuests: text.slice(0, -10) }, tenant: {} });
        assert.strictEqual(result.error?.constructor.name, "RunError");
        assert.match(
            String(result.error?.message),
            /^the last deployment's stack output `managedGuests` holds a string that is not JSON \(got "\{\\"guest00@fabrikam\.com\\":.{20,120}\.\.\."\), so the removal guard cannot tell what this run deletes; nothing was changed\./,
        );
        assert.deepStrictEqual(result.resources.filter((r) => isGuestResource(r.type)), []);
    });
});
