import * as pulumi from "@pulumi/pulumi";
import { ManagedGuests } from "../plan";

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
    return value !== null && typeof value === "object" ? (value as ManagedGuests) : undefined;
}
