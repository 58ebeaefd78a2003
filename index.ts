// The Pulumi program: read the stack's settings, load and validate the guest files, resolve
// directory references, then register every guest's resources. Nothing is registered unless
// all of that succeeded, so a bad pull request cannot half-apply.
import * as pulumi from "@pulumi/pulumi";
import { azureDirectory, EntraGuests, MANAGED_GUESTS_OUTPUT, PENDING_REPAIRS_OUTPUT, PreviousDeployment, providerArgsFromConfig, publishStackOutputs, readPreviousDeployment, readStackSettings, RUN_COMPLETE_OUTPUT, tenantReads } from "./components";
import { buildPlan, checkRemovals, COMPONENT_NAME, GuestPlan, IdentityPlan, IdentitySettings, inviteTimeEdits, planIdentity, serializeManagedGuests, TenantReads } from "./plan";
import { formatLocation, loadRoster, MissingPathError, plural, Problem, sortProblems } from "./roster";
import { projectRoot } from "./roster/read/project";
import { locateEmail } from "./roster/read/locate-email";
import { forTerminal } from "./text/escape";

export = async () => {
    const settings = readStackSettings();
    const cwd = projectRoot();
    const roster = await loadRoster(settings.guests, { ...settings, cwd }).catch(missingPaths);
    report(roster.warnings);
    failOn(roster.errors);
    // One Graph client for every read the program makes itself: a failed lookup's hint (one read
    // per failed name) and who each guest is.
    const reads = tenantReads();
    const plan = await buildPlan(roster.guests, azureDirectory(), reads);
    report(plan.warnings);
    failOn(plan.errors, plan.directoryErrors);
    const previous = await readPreviousDeployment();
    const identity = await identify(plan, previous, reads, { deleteAdoptedUsers: settings.deleteAdoptedUsers, locate: (spec) => locateEmail(cwd, spec.source, spec.email) });
    // Who an address names is the guest files' business: an ambiguous or refused address stops
    // the run, located, before anything is registered.
    failOn(sortProblems(identity.errors));
    for (const note of identity.notes) void pulumi.log.info(forTerminal(note));
    const removals = checkRemovals(previous?.guests, plan, settings, identity.stillPresent, identity.gone);
    for (const w of removals.warnings) void pulumi.log.warn(forTerminal(w));
    if (removals.error) throw new pulumi.RunError(forTerminal(removals.error));
    const edited = inviteTimeEdits(previous?.guests, plan.invitations);
    if (edited.length > 0) {
        void pulumi.log.warn(forTerminal(`invite-time fields (displayName, redirectUrl, message, language, cc, sendEmail, userType) changed for ${plural(edited.length, "existing guest")}: ${edited.join(", ")}; they apply to new invitations only, change existing guests in Entra itself`));
    }

    // The removal guard's baseline is recorded before any guest resource is registered, so a run
    // that fails half way still leaves the next one a baseline that covers what it created.
    for (const w of identity.warnings) void pulumi.log.warn(forTerminal(w));
    if (previous && !previous.complete && !previous.legacy) void pulumi.log.warn(UNFINISHED);
    const early = { guestCount: plan.invitations.length, [MANAGED_GUESTS_OUTPUT]: serializeManagedGuests(identity.baseline), [PENDING_REPAIRS_OUTPUT]: identity.pendingRepairs, [RUN_COMPLETE_OUTPUT]: false };
    await publishStackOutputs(early);
    // Each guest resource is registered from a call stack of its own: the checkpoint keeps every
    // resource's stack (components/fresh-stack.ts).
    const guests = new EntraGuests(COMPONENT_NAME, { plan, identity, deleteAdoptedUsers: settings.deleteAdoptedUsers, provider: providerArgsFromConfig(pulumi.runtime.allConfig()) });
    await guests.registered;
    // What the GuestUsers recorded replaces the early baseline; the engine keeps these outputs
    // only when the deployment finishes.
    return { ...early, [MANAGED_GUESTS_OUTPUT]: guests.finalBaseline(identity.baseline), [RUN_COMPLETE_OUTPUT]: guests.finished() };
};

/**
 * After a deployment that did not finish, a membership or assignment may be in the state with an
 * init error (created, then its read-back failed): the engine retries it as an update
 * (step_generator.go:2053-2069 at v3.248.0), which the bridged provider refuses for a resource
 * with no updatable field, until a refresh reads it back. `--refresh` does, in the same run.
 */
const UNFINISHED = 'the last deployment did not finish (stack output `runComplete` is false); memberships and app role assignments it made but did not record are adopted now, and if one fails with "doesn\'t support update", run `pulumi up --refresh` once';

/** Who each guest is in the tenant (graph/identity.ts); a failing lookup stops the run before anything changes. */
async function identify(plan: Pick<GuestPlan, "invitations" | "memberships" | "assignments">, previous: PreviousDeployment | undefined, reads: TenantReads, settings: Pick<IdentitySettings, "deleteAdoptedUsers" | "locate">): Promise<IdentityPlan> {
    try {
        return await planIdentity(plan, previous?.guests, reads, { ...settings, lastRunComplete: previous?.complete ?? true, legacy: previous?.legacy ?? false });
    } catch (err) {
        throw new pulumi.RunError(`${forTerminal(`looking up who the guests are in the tenant failed: ${(err as Error).message}`)}\nnothing was changed; the directory lookups failed`);
    }
}

/**
 * Errors in the guest files are located; the directory's own failures (no credentials, a
 * permission missing, throttling) are not, and the last line does not blame the files for them.
 */
function failOn(errors: Problem[], directoryErrors: string[] = []): void {
    if (errors.length === 0 && directoryErrors.length === 0) return;
    // Guest text is untrusted: no escape sequence or line break reaches the user's terminal or CI log.
    const lines = [...errors.map((p) => `${formatLocation(p)}: ${p.message}`), ...directoryErrors].map(forTerminal);
    const files = `${plural(errors.length, "error")} in the guest files`;
    const end = directoryErrors.length === 0 ? `${files}; nothing was changed` : errors.length === 0 ? "nothing was changed; the directory lookups failed" : `${files}; nothing was changed; the directory lookups failed too`;
    // RunError: Pulumi prints the message alone, without a stack trace.
    throw new pulumi.RunError(`${lines.join("\n")}\n${end}`);
}

function report(warnings: Problem[]): void {
    for (const p of warnings) void pulumi.log.warn(forTerminal(`${formatLocation(p)}: ${p.message}`));
}

function missingPaths(err: unknown): never {
    if (err instanceof MissingPathError) {
        throw new pulumi.RunError(`${err.message}; set \`entra-guests:guests\` to existing guest files or folders`);
    }
    throw err;
}
