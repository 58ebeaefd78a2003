import * as pulumi from "@pulumi/pulumi";
import { ManagedGuests, parseManagedGuests } from "../plan";

/** The stack output through which each deployment tells the next what it manages. */
export const MANAGED_GUESTS_OUTPUT = "managedGuests";

/**
 * The guests the last deployment of this very stack managed, read through a StackReference to
 * itself; undefined on the first deployment. Awaited before any guest resource is registered.
 */
export async function readPreviousDeployment(): Promise<ManagedGuests | undefined> {
    const name = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
    const self = new pulumi.StackReference("previous-deployment", { name });
    const details = await self.getOutputDetails(MANAGED_GUESTS_OUTPUT);
    const value = details.value ?? details.secretValue;
    if (value === undefined || value === null) return undefined;
    // The removal guard trusts this value: a malformed one (a hand-edited state) stops the run.
    const parsed = parseManagedGuests(value);
    if (!parsed.ok) {
        throw new pulumi.RunError(`the last deployment's stack output \`${MANAGED_GUESTS_OUTPUT}\` ${parsed.problem}, so the removal guard cannot tell what this run deletes; nothing was changed. Restore the output from a good checkpoint (\`pulumi stack history\`, \`pulumi stack export\`)`);
    }
    return parsed.guests;
}
