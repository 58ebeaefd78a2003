import { readFileSync } from "fs";
import * as path from "path";
import { TenantSeed } from "../../tools/sim/tenant/format";

const ROOT = path.resolve(__dirname, "../../..");

/** The repository's sample guest files, as a newcomer deploys them. */
export const SAMPLES: Record<string, string> = {
    "fabrikam.yaml": readFileSync(path.join(ROOT, "guests", "fabrikam.yaml"), "utf8"),
    "northwind-portal.csv": readFileSync(path.join(ROOT, "guests", "northwind-portal.csv"), "utf8"),
};

export const IDS = {
    partners: "0a1b2c3d-0000-4000-8000-000000000001",
    falcon: "0a1b2c3d-0000-4000-8000-000000000002",
    portal: "0a1b2c3d-0000-4000-8000-000000000003",
    portalApp: "0a1b2c3d-0000-4000-8000-000000000004",
    partnerRead: "0a1b2c3d-0000-4000-8000-000000000005",
    admin: "0a1b2c3d-0000-4000-8000-000000000006",
};

/**
 * What the samples refer to, plus objects the stack did not create: an administrator who is a
 * member of "Partners - Fabrikam" and holds the portal role. Nothing may ever touch them.
 */
export function sampleTenant(): TenantSeed {
    return {
        users: [{ id: IDS.admin, mail: "admin@contoso.com", displayName: "Tenant Admin", userType: "Member" }],
        groups: [
            { id: IDS.partners, displayName: "Partners - Fabrikam", members: [IDS.admin] },
            { id: IDS.falcon, displayName: "Project Falcon" },
        ],
        servicePrincipals: [{ id: IDS.portal, appId: IDS.portalApp, displayName: "Contoso Partner Portal", appRoles: [{ id: IDS.partnerRead, value: "Partner.Read" }] }],
        appRoleAssignments: [{ appRoleId: IDS.partnerRead, principalId: IDS.admin, resourceId: IDS.portal }],
    };
}

export const GUESTS = ["ann.lee@fabrikam.example", "bo.chen@fabrikam.example", "dev.patel@fabrikam.example", "lena.schmidt@northwind.example", "omar.haddad@northwind.example", "yuki.tanaka@northwind.example"];

/** Every guest resource the samples declare (GuestUser and azuread's), by type and logical name. */
export const SAMPLE_RESOURCES = [
    ...GUESTS.map((g) => `GuestUser guests/${g}`),
    `GroupMember guests/ann.lee@fabrikam.example/${IDS.partners}`,
    `GroupMember guests/ann.lee@fabrikam.example/${IDS.falcon}`,
    `GroupMember guests/bo.chen@fabrikam.example/${IDS.partners}`,
    `GroupMember guests/dev.patel@fabrikam.example/${IDS.partners}`,
    `AppRoleAssignment guests/ann.lee@fabrikam.example/${IDS.portal}`,
].sort();

/** A small native CSV and YAML pair used by the identity tests. */
export const PAIR: Record<string, string> = {
    "a.csv": "email,displayName,groups\nann@fabrikam.com,Ann,Partners - Fabrikam;Project Falcon\nbo@fabrikam.com,Bo,Partners - Fabrikam\n",
    "b.yaml": "guests:\n  - email: cy@fabrikam.com\n    displayName: Cy\n    groups: [Project Falcon]\n",
};
