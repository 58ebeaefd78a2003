import { strict as assert } from "assert";
import { brokenDomainRule, domainMatches } from "../roster/rules/policy";
import { lines, OPTIONS, rosterOf } from "./helpers/roster";

const GUEST = "guests:\n  - email: ann@fabrikam.com\n    expires: 2026-12-01\n  - email: bo@fabrikam.com\n    expires: 2026-12-01\n    onRemove: retain\n";

describe("guardrails in the roster", () => {
    it("keeps a guest until the day before `expires`, warning within expiryWarningDays", async () => {
        const early = rosterOf({ "e.yaml": GUEST }, { ...OPTIONS, asOf: "2026-11-16" });
        assert.deepEqual(early.guests.map((g) => g.email), ["ann@fabrikam.com", "bo@fabrikam.com"]);
        assert.deepEqual(early.warnings, [], "15 days ahead is outside the 14-day warning");

        const soon = rosterOf({ "e.yaml": GUEST }, { ...OPTIONS, asOf: "2026-11-30" });
        assert.deepEqual(soon.guests.length, 2);
        assert.deepEqual(soon.expired, []);
        assert.deepEqual(lines(soon.warnings), [
            "e.yaml:3:14: ann@fabrikam.com expires on 2026-12-01, in 1 day; move `expires` later if the access should go on",
            "e.yaml:5:14: bo@fabrikam.com expires on 2026-12-01, in 1 day; move `expires` later if the access should go on",
        ]);

        const due = rosterOf({ "e.yaml": GUEST }, { ...OPTIONS, asOf: "2026-12-01" });
        assert.deepEqual(due.guests, []);
        assert.deepEqual(due.expired.map((g) => g.email), ["ann@fabrikam.com", "bo@fabrikam.com"]);
        assert.deepEqual(due.errors, []);
        assert.deepEqual(lines(due.warnings), [
            "e.yaml:3:14: ann@fabrikam.com expired on 2026-12-01: it is left out, so the next `pulumi up` deletes the guest user, its memberships and app assignments; delete the entry, or move `expires` later to keep access",
            "e.yaml:5:14: bo@fabrikam.com expired on 2026-12-01: it is left out, so the next `pulumi up` stops managing the user (onRemove: retain) and removes its memberships and app assignments; delete the entry, or move `expires` later to keep access",
        ]);

        const wide = rosterOf({ "e.yaml": GUEST }, { ...OPTIONS, asOf: "2026-11-01", expiryWarningDays: 30 });
        assert.equal(wide.warnings.length, 2, "30 days ahead warns with expiryWarningDays 30");
    });

    it("applies a file's policy to its own guests, naming the rule and the file", async () => {
        const roster = rosterOf({
            "fabrikam.yaml": "policy:\n  allowedDomains: [fabrikam.com, '*.fabrikam.com']\nguests:\n  - email: ann@fabrikam.com\n  - email: bo@eu.fabrikam.com\n  - email: mallory@gmail.com\n  - email: eve@notfabrikam.com\n",
            "other.csv": "email\nmallory2@gmail.com\n",
        });
        assert.deepEqual(lines(roster.errors), [
            "fabrikam.yaml:6:12: mallory@gmail.com is not allowed by `allowedDomains` [fabrikam.com, *.fabrikam.com] set by the `policy` of fabrikam.yaml; invite this guest from a file whose policy allows the domain, or correct the address",
            "fabrikam.yaml:7:12: eve@notfabrikam.com is not allowed by `allowedDomains` [fabrikam.com, *.fabrikam.com] set by the `policy` of fabrikam.yaml; invite this guest from a file whose policy allows the domain, or correct the address",
        ]);
    });

    it("applies the stack's allowed and blocked domains to every file", async () => {
        const roster = rosterOf(
            { "a.csv": "email\nann@fabrikam.com\nbo@gmail.com\ncy@contoso.com\n", "b.yaml": "policy:\n  blockedDomains: [contoso.com]\nguests:\n  - email: dee@fabrikam.com\n" },
            { ...OPTIONS, allowedDomains: ["fabrikam.com", "contoso.com"], blockedDomains: ["gmail.com"] },
        );
        assert.deepEqual(lines(roster.errors), [
            "a.csv:3:1: bo@gmail.com is blocked by `blockedDomains` [gmail.com] set by the stack's config `entra-guests:blockedDomains`; invite this guest from a file whose policy allows the domain, or correct the address",
        ]);
    });

    it("refuses a malformed policy", async () => {
        const roster = rosterOf({ "p.yaml": "policy:\n  allowDomains: [fabrikam.com]\n  blockedDomains: gmail.com\nguests: []\n", "q.yaml": "policy:\n  allowedDomains: ['fabrikam com']\n" });
        assert.deepEqual(lines(roster.errors), [
            "p.yaml:2:3: unknown key `allowDomains` in `policy`; did you mean `allowedDomains`? a policy has `allowedDomains` and `blockedDomains`",
            'p.yaml:3:19: `policy.blockedDomains` must be a list of domains (got "gmail.com"); write [fabrikam.com, *.fabrikam.com]',
            'q.yaml:2:20: `policy.allowedDomains` is not a domain (got "fabrikam com"); write fabrikam.com, or *.fabrikam.com for its subdomains',
        ]);
    });

    it("matches *.domain to subdomains only", async () => {
        assert.equal(domainMatches("eu.fabrikam.com", "*.fabrikam.com"), true);
        assert.equal(domainMatches("fabrikam.com", "*.fabrikam.com"), false);
        assert.equal(domainMatches("notfabrikam.com", "*.fabrikam.com"), false);
        assert.equal(brokenDomainRule("a@x.com", []), undefined);
    });

    it("refuses Member invites unless allowMemberInvites is on", async () => {
        const files = { "m.csv": "email,userType\nann@fabrikam.com,member\nbo@fabrikam.com,Guest\n" };
        assert.deepEqual(lines(rosterOf(files).errors), [
            '`userType` Member invites ann@fabrikam.com as a member of the tenant, which `entra-guests:allowMemberInvites` does not allow (got "Member"); write Guest, or have an administrator set allowMemberInvites to true',
        ].map((m) => `m.csv:2:18: ${m}`));
        const allowed = rosterOf(files, { ...OPTIONS, allowMemberInvites: true });
        assert.deepEqual(allowed.errors, []);
        assert.deepEqual(allowed.guests.map((g) => g.userType), ["Member", "Guest"]);
    });

    const CATALOG = "catalog:\n  groups:\n    partners: 0A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9\n    falcon: Project Falcon\n  apps:\n    portal: Contoso Partner Portal\n";

    it("resolves catalog aliases in any file, case-insensitively", async () => {
        const roster = rosterOf({
            "catalog.yaml": CATALOG,
            "a.csv": "email,groups,apps\nann@fabrikam.com,Partners;falcon,portal:Partner.Read\n",
            "b.yaml": "guests:\n  - email: bo@fabrikam.com\n    groups: [Some Other Group, partners, 0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9]\n",
        });
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(roster.files.map((f) => f.file), ["a.csv", "b.yaml"], "a catalog-only file declares no guests");
        assert.deepEqual(
            roster.guests.map((g) => [g.email, g.groups, g.apps]),
            [
                ["ann@fabrikam.com", ["0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9", "Project Falcon"], [{ app: "Contoso Partner Portal", role: "Partner.Read" }]],
                ["bo@fabrikam.com", ["Some Other Group", "0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9"], []],
            ],
        );
    });

    it("with restrictToCatalog, refuses any reference that is not an alias", async () => {
        const roster = rosterOf(
            {
                "catalog.yaml": CATALOG,
                "a.yaml": "guests:\n  - email: ann@fabrikam.com\n    groups: [partners, 9a8b7c6d-1111-4222-8333-444455556666, falcn]\n    apps: [portal, Payroll]\n",
            },
            { ...OPTIONS, restrictToCatalog: true },
        );
        assert.deepEqual(lines(roster.errors), [
            'a.yaml:3:13: group "falcn" of ann@fabrikam.com is not in the catalog, and `entra-guests:restrictToCatalog` is on; did you mean `falcon`? use a catalog alias (partners, falcon), or add it to catalog.yaml',
            'a.yaml:3:13: group ID "9a8b7c6d-1111-4222-8333-444455556666" of ann@fabrikam.com is not in the catalog, and `entra-guests:restrictToCatalog` is on; use a catalog alias (partners, falcon), or add it to catalog.yaml',
            'a.yaml:4:11: app "Payroll" of ann@fabrikam.com is not in the catalog, and `entra-guests:restrictToCatalog` is on; use a catalog alias (portal), or add it to catalog.yaml',
        ]);
    });

    it("refuses an alias defined twice and a malformed catalog", async () => {
        const roster = rosterOf({
            "c1.yaml": CATALOG,
            "c2.yaml": "catalog:\n  groups:\n    Partners: Partners - Fabrikam\n",
            "c3.yaml": "catalog:\n  apps:\n    portal: [a, b]\n",
            "c4.yaml": "catalog:\n  roles: {}\n",
        });
        assert.deepEqual(lines(roster.errors), [
            "c2.yaml:3:5: catalog alias `Partners` for groups is defined twice (c1.yaml:3:5 and c2.yaml:3:5); rename or delete one",
            'c3.yaml:3:13: `catalog.apps.portal` must map aliases to a name or object ID (got "[\\"a\\",\\"b\\"]"); write "alias: <display name or ID>"',
            "c4.yaml:2:3: unknown key `roles` in `catalog`; a catalog has `groups` and `apps`",
        ]);
    });
});
