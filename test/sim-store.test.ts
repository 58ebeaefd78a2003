import { strict as assert } from "assert";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Graph } from "../tools/sim/tenant/graph";
import { readTenant, TenantStore, writeTenant } from "../tools/sim/tenant/store";

const GROUP = "11111111-1111-4111-8111-111111111111";
const guid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
const invite = (email: string) => ({ email, redirectUrl: "https://myapps.microsoft.com", userType: "Guest", sendMessage: true });

/** The simulated tenant's store: a snapshot and a journal of changes, shared by processes (tools/sim/tenant/store.ts). */
describe("simulated tenant store", () => {
    let dir = "";
    let file = "";
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "sim-store-"));
        file = join(dir, "tenant.json");
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const journals = () => readdirSync(dir).filter((n) => n.startsWith("tenant.journal-")).sort();

    it("journals a request's changes without rewriting the snapshot, and another store applies them", async () => {
        writeTenant(file, { groups: [{ id: GROUP, displayName: "G" }] });
        const snapshot = readFileSync(file, "utf8");
        const stamp = statSync(file).mtimeMs;
        const a = new Graph(new TenantStore(file));
        const b = new TenantStore(file);
        const inv = a.createInvitation(invite("ann@x.com"));
        a.addMember(GROUP, inv.invitedUserId);
        assert.equal(readFileSync(file, "utf8"), snapshot, "the snapshot is untouched");
        assert.equal(statSync(file).mtimeMs, stamp);
        assert.equal(journals().length, 1);
        const t = b.current();
        assert.deepEqual(t.users.map((u) => u.mail), ["ann@x.com"]);
        assert.deepEqual(t.groups[0].members, [inv.invitedUserId]);
        assert.deepEqual(t.invitations.map((i) => i.invitedUserId), [inv.invitedUserId]);
        assert.deepEqual(t.mail.map((m) => m.to), ["ann@x.com"]);
        // And back: b's delete reaches a, which then refuses to read the user.
        new Graph(b).deleteUser(inv.invitedUserId);
        assert.throws(() => a.getUser(inv.invitedUserId), /does not exist/);
        assert.deepEqual(readTenant(file).groups[0].members, []);
        assert.deepEqual(readTenant(file).users, []);
    });

    it("costs a request what it changes: one line of a few hundred bytes on a 10,000-user tenant", async () => {
        const users = Array.from({ length: 10_000 }, (_, i) => ({ id: guid(i), mail: `g${i}@x.com`, userType: "Guest" as const }));
        writeTenant(file, { users, groups: [{ id: GROUP, displayName: "G", members: users.map((u) => u.id) }] });
        const g = new Graph(new TenantStore(file));
        g.patchUser(guid(9_999), { companyName: "Contoso" });
        g.removeMember(GROUP, guid(5));
        const journal = readFileSync(join(dir, journals()[0]), "utf8").split("\n").filter((l) => l !== "");
        assert.equal(journal.length, 2);
        assert.ok(journal.every((l) => Buffer.byteLength(l) < 1_000), journal.map((l) => l.length).join(", "));
        const t = readTenant(file);
        assert.equal(t.users.find((u) => u.id === guid(9_999))!.companyName, "Contoso");
        assert.equal(t.groups[0].members.length, 9_999);
        assert.ok(!t.groups[0].members.includes(guid(5)));
    });

    it("keeps a spent fault counter when the request fails (a 429 is journaled)", async () => {
        writeTenant(file, { faults: { throttle: { requests: 1, retryAfterSeconds: 3 } } });
        const g = new Graph(new TenantStore(file));
        assert.throws(() => g.createInvitation(invite("ann@x.com")), /Too many requests/);
        assert.deepEqual(readTenant(file).faults.throttle, { requests: 0, retryAfterSeconds: 3 });
        assert.equal(g.createInvitation(invite("ann@x.com")).invitedUserEmailAddress, "ann@x.com");
        assert.equal(readTenant(file).users.length, 1);
    });

    it("ignores a torn last line until it is whole (a writer killed mid-append, or still writing)", async () => {
        writeTenant(file, {});
        const a = new Graph(new TenantStore(file));
        a.createInvitation(invite("ann@x.com"));
        const journal = join(dir, journals()[0]);
        const whole = JSON.stringify({ w: "other", c: { op: "faults", faults: { invisibleAfterInvite: {}, memberReadBackMisses: {}, failInvitation: {}, expiredToken: 2 } } });
        appendFileSync(journal, whole.slice(0, 40));
        const b = new TenantStore(file);
        assert.equal(b.current().faults.expiredToken, undefined);
        assert.equal(b.current().users.length, 1);
        appendFileSync(journal, `${whole.slice(40)}\n`);
        assert.equal(b.current().faults.expiredToken, 2);
    });

    it("edit and writeTenant start a new journal; a store that saw the old one reloads, even for the same snapshot text", async () => {
        writeTenant(file, {});
        const live = new TenantStore(file);
        new Graph(live).createInvitation(invite("ann@x.com"));
        assert.equal(journals().length, 1);
        // The same seed again: the same snapshot text, so the same digest, and yet the old journal is gone.
        writeTenant(file, {});
        assert.deepEqual(journals(), []);
        assert.deepEqual(readTenant(file).users, []);
        assert.deepEqual(live.current().users, []);
        new Graph(live).createInvitation(invite("bo@x.com"));
        new TenantStore(file).edit((t) => void (t.faults.expiredToken = 1));
        assert.deepEqual(journals(), [], "edit folds the journal into the snapshot");
        const snapshot = JSON.parse(readFileSync(file, "utf8")) as { users: { mail: string }[]; faults: { expiredToken: number } };
        assert.deepEqual(snapshot.users.map((u) => u.mail), ["bo@x.com"]);
        assert.equal(snapshot.faults.expiredToken, 1);
        assert.equal(live.current().faults.expiredToken, 1);
        assert.deepEqual(live.current().users.map((u) => u.mail), ["bo@x.com"]);
    });

    it("compact folds the journal into tenant.json, which then shows the tenant alone", async () => {
        writeTenant(file, {});
        new Graph(new TenantStore(file)).createInvitation(invite("ann@x.com"));
        new TenantStore(file).compact();
        assert.deepEqual(journals(), []);
        assert.deepEqual((JSON.parse(readFileSync(file, "utf8")) as { users: { mail: string }[] }).users.map((u) => u.mail), ["ann@x.com"]);
        assert.deepEqual(readTenant(file).users.map((u) => u.mail), ["ann@x.com"]);
    });

    it("refuses, under ENTRA_GUESTS_SIM_VERIFY, a handler that changes the tenant without committing", async () => {
        assert.equal(process.env.ENTRA_GUESTS_SIM_VERIFY, "1", "set by test/helpers/verify-sim.ts");
        writeTenant(file, { users: [{ id: guid(1), mail: "ann@x.com" }] });
        const store = new TenantStore(file);
        assert.throws(() => store.mutate((t) => void (t.users[0].companyName = "lost")), /without committing the change/);
        assert.equal(store.mutate((t, commit) => commit({ op: "user", user: { ...t.users[0], companyName: "kept" } })), undefined);
        assert.equal(readTenant(file).users[0].companyName, "kept");
    });

    it("checks each kind of request its first 20 times and every 50th after, so a bug on a later call is still found", async () => {
        writeTenant(file, { users: [{ id: guid(1), mail: "ann@x.com" }] });
        const store = new TenantStore(file);
        const lose = (kind: string) => {
            try {
                store.mutate((t) => void (t.users[0].companyName = `lost ${Math.random()}`), kind);
                return "unchecked";
            } catch {
                return "checked";
            }
        };
        const outcomes = Array.from({ length: 100 }, () => lose("GET /users"));
        const checked = outcomes.flatMap((o, i) => (o === "checked" ? [i + 1] : []));
        assert.deepEqual(checked, [...Array.from({ length: 20 }, (_, i) => i + 1), 50, 100]);
        // Another kind is counted on its own.
        assert.equal(lose("POST /invitations"), "checked");
    });
});
