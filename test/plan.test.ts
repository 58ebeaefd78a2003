import { strict as assert } from "assert";
import { buildPlan, DEFAULT_ACCESS, Directory, ServicePrincipalInfo } from "../plan";
import { lines, rosterOf } from "./helpers/roster";

const PARTNERS = "11111111-1111-4111-8111-111111111111";
const PORTAL_SP = "33333333-3333-4333-8333-333333333333";
const PORTAL_CLIENT = "44444444-4444-4444-8444-444444444444";

/** A directory that knows one group and two apps, and counts its lookups. */
function directory(): Directory & { lookups: string[] } {
    const lookups: string[] = [];
    return {
        lookups,
        async groupByName(name) {
            lookups.push(`group ${name}`);
            if (name.toLowerCase() === "partners") return PARTNERS;
            throw new Error("");
        },
        async servicePrincipal(ref): Promise<ServicePrincipalInfo> {
            lookups.push("clientId" in ref ? `app ${ref.clientId}` : `app ${ref.displayName}`);
            if ("clientId" in ref ? ref.clientId === PORTAL_CLIENT : ref.displayName === "Contoso Portal") return { objectId: PORTAL_SP, appRoleIds: { Reader: "55555555-5555-4555-8555-555555555555" } };
            if ("displayName" in ref && ref.displayName === "Wiki") return { objectId: "66666666-6666-4666-8666-666666666666", appRoleIds: {} };
            throw new Error("");
        },
    };
}

describe("plan: references resolved once, before anything is registered", () => {
    it("keeps one membership for a group named both by name and by object ID, and says so", async () => {
        const roster = rosterOf({ "g.yaml": `guests:\n  - email: ann@fabrikam.com\n    groups: [Partners, ${PARTNERS}]\n` });
        const dir = directory();
        const plan = await buildPlan(roster.guests, dir);
        assert.deepEqual(plan.errors, []);
        assert.deepEqual(lines(plan.warnings), [`g.yaml:2: \`groups\` of ann@fabrikam.com names group ${PARTNERS} twice (as "Partners" and "${PARTNERS}"); delete one`]);
        assert.deepEqual(plan.memberships, [{ name: `ann@fabrikam.com/${PARTNERS}`, email: "ann@fabrikam.com", group: "Partners", groupObjectId: PARTNERS }]);
        assert.deepEqual(dir.lookups, ["group Partners"]);
    });

    it("refuses one app named twice, a role an app does not have, and a role for an app without roles", async () => {
        const roster = rosterOf({
            "a.csv": `email,apps\nann@fabrikam.com,Contoso Portal:Reader;${PORTAL_CLIENT}:Reader\nbo@fabrikam.com,Contoso Portal:Admin\ncy@fabrikam.com,Wiki:Editor\nde@fabrikam.com,Wiki\n`,
        });
        const dir = directory();
        const plan = await buildPlan(roster.guests, dir);
        assert.deepEqual(lines(plan.errors), [
            `a.csv:2: \`apps\` of ann@fabrikam.com names the same app twice (as "Contoso Portal" and "${PORTAL_CLIENT}"); a guest gets one role per app, keep one`,
            'a.csv:3: app "Contoso Portal" has no role "Admin" (for bo@fabrikam.com); its roles are Reader',
            'a.csv:4: app "Wiki" has no role "Editor" (for cy@fabrikam.com); it defines no roles, leave `role` out for default access',
        ]);
        assert.deepEqual(plan.assignments.find((a) => a.email === "de@fabrikam.com")?.appRoleId, DEFAULT_ACCESS);
        assert.deepEqual(dir.lookups.sort(), [`app ${PORTAL_CLIENT}`, "app Contoso Portal", "app Wiki"]);
    });

    it("offline, keeps references that need a lookup as written", async () => {
        const roster = rosterOf({ "o.csv": `email,groups,apps\nann@fabrikam.com,Partners;${PARTNERS},Contoso Portal:Reader\n` });
        const plan = await buildPlan(roster.guests);
        assert.deepEqual([plan.errors, plan.warnings], [[], []]);
        assert.deepEqual(plan.memberships.map((m) => [m.name, m.groupObjectId]), [
            ["ann@fabrikam.com/Partners", undefined],
            [`ann@fabrikam.com/${PARTNERS}`, PARTNERS],
        ]);
        assert.deepEqual(plan.assignments, [{ name: "ann@fabrikam.com/Contoso Portal", email: "ann@fabrikam.com", app: "Contoso Portal", role: "Reader" }]);
    });
});
