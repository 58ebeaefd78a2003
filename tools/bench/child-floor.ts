// The SDK floor: the same invitations and memberships registered by a bare script, with no
// files, validation, lookups or outputs: `node <nodeargs> child-floor.js <guests> <groups>`.
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { generateGuests } from "./generate";
import { benchMocks, groupId } from "./mocks";

async function run(): Promise<void> {
    const [guests, groupsPerGuest] = process.argv.slice(2).map(Number);
    const roster = generateGuests({ guests, groupsPerGuest, formats: ["native", "yaml"] });
    await pulumi.runtime.setMocks(benchMocks, "entra-guests", "bench", false, "organization");
    await pulumi.runtime.runInPulumiStack(async () => {
        for (const g of roster) {
            const user = new azuread.Invitation(g.email, { userEmailAddress: g.email, redirectUrl: "https://myapps.microsoft.com", userDisplayName: g.name, userType: "Guest" });
            for (const group of g.groups) {
                new azuread.GroupMember(`${g.email}/${groupId(group)}`, { groupObjectId: groupId(group), memberObjectId: user.userId });
            }
        }
        return {};
    });
    process.stdout.write(`guests: ${roster.length}\n`);
}

run().catch((err) => {
    process.stderr.write(`${String(err?.message ?? err)}\n`);
    process.exit(1);
});
