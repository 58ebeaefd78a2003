// `entra-guests resend` against the simulated Graph: a dry run lists exactly the
// pending guests the filters pick and writes nothing; --yes makes exactly those POST /invitations.
import { strict as assert } from "assert";
import { GraphClient } from "../graph";
import { readTenant } from "../tools/sim/tenant/store";
import { TenantSeed } from "../tools/sim/tenant/format";
import { GraphProject, graphProject, TOKEN } from "./helpers/graph-cli";

const AS_OF = "2026-07-15";
/** The listing resend reads first: every guest, without sign-in activity. */
const GUESTS = "/users?$filter=userType eq 'Guest'&$select=id,mail,userType,displayName,createdDateTime,externalUserState,externalUserStateChangeDateTime,userPrincipalName,otherMails,proxyAddresses&$top=999";
const ANN = "aaaaaaaa-0000-4000-8000-000000000001";
const BO = "aaaaaaaa-0000-4000-8000-000000000002";
const pending = (mail: string, since: string, id?: string) => ({ ...(id ? { id } : {}), mail, userType: "Guest" as const, createdDateTime: since, externalUserState: "PendingAcceptance" as const, externalUserStateChangeDateTime: since });
const SEED: TenantSeed = {
    users: [
        pending("ann@fabrikam.com", "2026-07-01T09:00:00Z", ANN),
        { id: BO, mail: "bo@fabrikam.com", userType: "Guest", createdDateTime: "2026-05-01T00:00:00Z", externalUserState: "Accepted", externalUserStateChangeDateTime: "2026-05-02T00:00:00Z" },
        pending("cy@fabrikam.com", "2026-07-02T23:59:00Z"),
        pending("di@fabrikam.com", "2026-03-01T00:00:00Z"),
        pending("eve@contoso.com", "2026-06-01T00:00:00Z"),
    ],
};
const FILES = {
    "guests/partners.yaml": [
        "guests:",
        "  - email: ann@fabrikam.com",
        "    redirectUrl: https://portal.fabrikam.example/welcome",
        "    message: Welcome back, Ann",
        "  - email: bo@fabrikam.com",
        "  - email: cy@fabrikam.com",
        "  - email: di@fabrikam.com",
        "  - email: dee@fabrikam.com",
        "",
    ].join("\n"),
};

describe("resend: the invitation again for pending guests", () => {
    let p: GraphProject | undefined;
    afterEach(async () => {
        await p?.close();
        p = undefined;
    });
    const writes = (s: GraphProject) => s.calls().flatMap((c) => (c.kind === "request" && c.write ? [`${c.method} ${c.path} ${c.status}`] : []));

    it("sends nothing to an address that names two users, and says why", async () => {
        const twins: TenantSeed = { users: [...(SEED.users ?? []), pending("ANN@fabrikam.com", "2026-06-20T00:00:00Z", "aaaaaaaa-0000-4000-8000-000000000009")] };
        const s = (p = await graphProject(FILES, twins));
        const run = await s.run(["resend", "--yes", "--as-of", AS_OF]);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stderr, `entra-guests: ann@fabrikam.com names 2 users (${ANN}, aaaaaaaa-0000-4000-8000-000000000009); no invitation is sent to it until one user has the address (docs/identity.md)\n`);
        assert.deepEqual(readTenant(s.tenantFile).invitations.map((i) => i.invitedUserEmailAddress).sort(), ["cy@fabrikam.com", "di@fabrikam.com"], "the other pending guests only");
    });

    it("a dry run lists exactly the declared guests pending for 14 days and writes nothing", async () => {
        const s = (p = await graphProject(FILES, SEED));
        const run = await s.run(["resend", "--pending-for", "14d", "--as-of", AS_OF]);
        assert.deepEqual([run.code, run.stderr], [0, ""]);
        // Not cy (13 days), bo (accepted), dee (not in the tenant), eve (in no file).
        assert.equal(run.stdout, [
            "would send: ann@fabrikam.com (pending 14 days)",
            "would send: di@fabrikam.com (pending 136 days)",
            "would send the invitation again to 2 pending guests (--pending-for 14d, as of 2026-07-15); nothing was sent, add --yes to send",
            "",
        ].join("\n"));
        assert.deepEqual(writes(s), []);
        assert.deepEqual(readTenant(s.tenantFile).invitations, []);
    });

    it("--yes sends exactly those invitations, with the file's redirect URL and message, one line each", async () => {
        const s = (p = await graphProject(FILES, SEED));
        const run = await s.run(["resend", "--pending-for", "14d", "--as-of", AS_OF, "--yes"]);
        assert.deepEqual([run.code, run.stderr], [0, ""]);
        assert.equal(run.stdout, "sent: ann@fabrikam.com\nsent: di@fabrikam.com\nsent 2 of 2 invitations\n");
        assert.deepEqual(writes(s), ["POST /invitations 201", "POST /invitations 201"]);
        const t = readTenant(s.tenantFile);
        assert.deepEqual(t.invitations.map((i) => [i.invitedUserEmailAddress, i.invitedUserId === t.users.find((u) => u.mail === i.invitedUserEmailAddress)?.id, i.sendInvitationMessage]), [["ann@fabrikam.com", true, true], ["di@fabrikam.com", true, true]]);
        assert.deepEqual(t.mail.map((m) => [m.to, m.body]), [["ann@fabrikam.com", "Welcome back, Ann"], ["di@fabrikam.com", null]]);
        assert.equal(t.users.length, 5, "no user created");
    });

    it("--reset --yes resets the redemption of the same guests, naming each user", async () => {
        const s = (p = await graphProject(FILES, SEED));
        const dry = await s.run(["resend", "--pending-for", "100d", "--as-of", AS_OF, "--reset"]);
        assert.equal(dry.stdout, "would reset and send: di@fabrikam.com (pending 136 days)\nwould reset the redemption and send the invitation again to 1 pending guest (--pending-for 100d, as of 2026-07-15); nothing was sent, add --yes to send\n");
        const run = await s.run(["resend", "--pending-for", "100d", "--as-of", AS_OF, "--reset", "--yes"]);
        assert.deepEqual([run.code, run.stdout], [0, "sent: di@fabrikam.com\nreset and sent 1 of 1 invitation\n"]);
        const di = readTenant(s.tenantFile).users.find((u) => u.mail === "di@fabrikam.com")!;
        assert.equal(di.externalUserState, "PendingAcceptance");
        assert.notEqual(di.externalUserStateChangeDateTime, "2026-03-01T00:00:00Z", "the reset changed the state anew");
    });

    it("--reset --email reaches a guest who accepted and lost their home account; without --reset only pending guests", async () => {
        const s = (p = await graphProject(FILES, SEED));
        const plain = await s.run(["resend", "--email", "BO@fabrikam.com", "--as-of", AS_OF]);
        assert.deepEqual([plain.code, plain.stdout], [0, "no pending guest matches (as of 2026-07-15); nothing was sent\n"], "bo accepted: a plain resend is not for him");
        const run = await s.run(["resend", "--email", "BO@fabrikam.com", "--reset", "--yes", "--as-of", AS_OF]);
        assert.deepEqual([run.code, run.stdout], [0, "sent: bo@fabrikam.com\nreset and sent 1 of 1 invitation\n"]);
        assert.deepEqual(writes(s), ["POST /invitations 201"], "exactly one invitation, for bo");
        assert.equal(readTenant(s.tenantFile).users.find((u) => u.id === BO)!.externalUserState, "PendingAcceptance");
        const unknown = await s.run(["resend", "--email", "zed@fabrikam.com", "--reset", "--as-of", AS_OF]);
        assert.deepEqual([unknown.code, unknown.stderr], [1, "entra-guests: --email zed@fabrikam.com: not declared in the guest files read; resend only reaches declared guests\n"]);
    });

    it("a failed invitation is its own line with Graph's message; the others are sent; exit 1", async () => {
        const s = (p = await graphProject(FILES, { ...SEED, faults: { failInvitation: { "ann@fabrikam.com": { status: 400, code: "BadRequest", message: "The invited user's domain is blocked." } } } }));
        const run = await s.run(["resend", "--pending-for", "14d", "--as-of", AS_OF, "--yes"]);
        assert.equal(run.code, 1);
        assert.equal(run.stdout, "failed: ann@fabrikam.com: Graph POST /invitations failed with 400 BadRequest: The invited user's domain is blocked.\nsent: di@fabrikam.com\nsent 1 of 2 invitations, 1 failed\n");
    });

    it("a refused permission names User.Invite.All and stops at the first guest", async () => {
        const s = (p = await graphProject(FILES, { ...SEED, faults: { deny: { status: 403, code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation.", pathPrefix: "/invitations" } } }));
        const run = await s.run(["resend", "--pending-for", "14d", "--as-of", AS_OF, "--yes"]);
        assert.equal(run.code, 1);
        assert.equal(
            run.stdout,
            "failed: ann@fabrikam.com: Graph POST /invitations failed with 403 Authorization_RequestDenied: Insufficient privileges to complete the operation.; the identity running this needs the Microsoft Graph permission `User.Invite.All` (an application permission with admin consent, or a user's directory role that allows it)\n" +
                "stopped: 1 guest not tried after this refusal\nsent 0 of 2 invitations, 1 failed\n",
        );
        assert.deepEqual(writes(s), ["POST /invitations 403"]);
    });

    it("a Retry-After of a day stops it at once with one line saying what Graph asked, exit 1, nothing sent", async () => {
        const s = (p = await graphProject(FILES, { ...SEED, faults: { throttle: { requests: 1, retryAfterSeconds: 86400 } } }));
        const started = Date.now();
        const run = await s.run(["resend", "--pending-for", "14d", "--as-of", AS_OF, "--yes"]);
        assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
        assert.deepEqual([run.code, run.stdout, s.sleeps], [1, "", []]);
        assert.equal(run.stderr, `entra-guests: Graph asked to wait 86400 s (Retry-After) before GET ${GUESTS}; entra-guests waits at most 300 s at a time; try again later\n`);
        assert.deepEqual(writes(s), []);
    });

    it("a next link that repeats stops it with one line, exit 1, nothing sent", async () => {
        const s = (p = await graphProject(FILES, { ...SEED, faults: { loopingNextLink: { pathPrefix: "/users" } } }));
        const run = await s.run(["resend", "--pending-for", "14d", "--as-of", AS_OF, "--yes"]);
        assert.deepEqual([run.code, run.stdout], [1, ""]);
        assert.equal(run.stderr, `entra-guests: Graph returned the same next page twice for GET ${GUESTS}; stopping rather than looping\n`);
        assert.deepEqual([s.requests().length, writes(s)], [1, []]);
    });

    it("a short throttle is waited out with one line on stderr, and the invitations are sent", async () => {
        const s = (p = await graphProject(FILES, { ...SEED, faults: { throttle: { requests: 1, retryAfterSeconds: 1 } } }));
        const run = await s.run(["resend", "--pending-for", "14d", "--as-of", AS_OF, "--yes"]);
        assert.deepEqual([run.code, run.stdout], [0, "sent: ann@fabrikam.com\nsent: di@fabrikam.com\nsent 2 of 2 invitations\n"]);
        assert.equal(run.stderr, `entra-guests: waiting 1 s: Graph throttled GET ${GUESTS.slice(0, 100)}… (retry 1 of 6)\n`);
        assert.deepEqual(s.sleeps, [1]);
    });

    it("the simulated Graph resets an accepted guest as Graph does: invitedUser.id required, state back to PendingAcceptance", async () => {
        const s = (p = await graphProject(FILES, SEED));
        const graph = new GraphClient({ baseUrl: s.env.ENTRA_GUESTS_GRAPH_URL, token: async () => TOKEN });
        await assert.rejects(graph.post("/invitations", { invitedUserEmailAddress: "bo@fabrikam.com", inviteRedirectUrl: "https://x.example", resetRedemption: true }), /400 BadRequest: Invalid invitation: `invitedUser`: is required when resetRedemption is true\./);
        const answer = await graph.post<{ invitedUser: { id: string }; resetRedemption: boolean }>("/invitations", { invitedUserEmailAddress: "bo@fabrikam.com", inviteRedirectUrl: "https://x.example", sendInvitationMessage: true, resetRedemption: true, invitedUser: { id: BO } });
        assert.deepEqual([answer.invitedUser.id, answer.resetRedemption], [BO, true]);
        const t = readTenant(s.tenantFile);
        const bo = t.users.find((u) => u.id === BO)!;
        assert.equal(bo.externalUserState, "PendingAcceptance");
        assert.deepEqual(t.mail.map((m) => m.to), ["bo@fabrikam.com"]);
        // Without resetRedemption, an invitation of an existing address is what it was: the user back, state untouched.
        await graph.post("/invitations", { invitedUserEmailAddress: "cy@fabrikam.com", inviteRedirectUrl: "https://x.example" });
        assert.equal(readTenant(s.tenantFile).users.find((u) => u.mail === "cy@fabrikam.com")?.externalUserStateChangeDateTime, "2026-07-02T23:59:00Z");
    });
});
