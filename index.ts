// The Pulumi program: read the stack's settings, load and validate the guest files, resolve
// directory references, then register every guest's resources. Nothing is registered unless
// all of that succeeded, so a bad pull request cannot half-apply.
import * as pulumi from "@pulumi/pulumi";
import { azureDirectory, EntraGuests, readStackSettings } from "./components";
import { buildPlan, COMPONENT_NAME } from "./plan";
import { formatLocation, loadRoster, MissingPathError, Problem } from "./roster";
import { projectRoot } from "./roster/project";

export = async () => {
    const settings = readStackSettings();
    const cwd = projectRoot();
    const roster = await loadRoster(settings.guests, { ...settings, cwd }).catch(missingPaths);
    report(roster.warnings);
    failOn(roster.errors);
    const plan = await buildPlan(roster.guests, azureDirectory());
    report(plan.warnings);
    failOn(plan.errors);

    const guests = new EntraGuests(COMPONENT_NAME, { plan });
    return {
        guestCount: guests.guestCount,
        guests: guests.guests,
        redeemUrls: guests.redeemUrls,
    };
};

function failOn(errors: Problem[]): void {
    if (errors.length === 0) return;
    const lines = errors.map((p) => `${formatLocation(p)}: ${p.message}`);
    // RunError: Pulumi prints the message alone, without a stack trace.
    throw new pulumi.RunError(`${lines.join("\n")}\n${errors.length} error${errors.length === 1 ? "" : "s"} in the guest files; nothing was changed`);
}

function report(warnings: Problem[]): void {
    for (const p of warnings) void pulumi.log.warn(`${formatLocation(p)}: ${p.message}`);
}

function missingPaths(err: unknown): never {
    if (err instanceof MissingPathError) {
        throw new pulumi.RunError(`${err.message}; set \`entra-guests:guests\` to existing guest files or folders`);
    }
    throw err;
}
