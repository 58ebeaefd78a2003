import { mkdtemp, rm } from "fs/promises";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { READ_STACK_OUTPUTS } from "../../components/previous-deployment";
import { GUEST_USER_TYPE, ManagedGuests, parseManagedGuests } from "../../plan";
import { startGraphServer } from "../../tools/sim/graph-server";
import { TenantSeed } from "../../tools/sim/tenant/format";
import { readCalls, writeTenant } from "../../tools/sim/tenant/store";
// The Automation API runs inline programs in a fresh runtime store per run; tests do the same,
// so every run reads PULUMI_CONFIG anew and starts with no stack, resources or transformations.
// `withLocalStorage` is marked internal, so its type is not published.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { withLocalStorage } = require("@pulumi/pulumi/runtime/state") as { withLocalStorage<T>(run: () => T): T };

/** The resources a stack's guests are made of: the entra-guests provider's GuestUser and azuread's. */
export function isGuestResource(type: string): boolean {
    return type.startsWith("azuread:index/") || type.startsWith("entraguests:index:");
}

/** One registered resource, as the engine would see it. */
export interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    /** The options a stack transformation saw (parent shown by its name). */
    options: {
        parent?: string;
        protect?: boolean;
        retainOnDelete?: boolean;
        deleteBeforeReplace?: boolean;
        ignoreChanges?: string[];
        additionalSecretOutputs?: string[];
        /** The engine's import ID: an existing object adopted, not created. */
        import?: string;
        replacementTrigger?: unknown;
        /** The resource whose deletion takes this one with it, by name: the engine then skips this one's provider delete. */
        deletedWith?: string;
        replaceOnChanges?: string[];
        /** Resources this one waits for, by name. */
        dependsOn?: string[];
    };
}

export interface ServicePrincipalFixture {
    objectId: string;
    clientId: string;
    displayName: string;
    appRoleIds: Record<string, string>;
}

/** A fake directory behind the mocked azuread data sources. */
export interface DirectoryFixture {
    /** display name -> object IDs (two IDs: the name matches several groups). */
    groups: Record<string, string[]>;
    servicePrincipals: ServicePrincipalFixture[];
    /** Every group or service principal lookup fails with this diagnostic, as the provider words it. */
    failures?: { groups?: string; servicePrincipals?: string };
}

export interface ProgramRun {
    resources: Registered[];
    /** The program's Graph requests, "METHOD path" in order. */
    graph: string[];
    /** Every provider function call, in order: token and arguments. */
    calls: { token: string; args: Record<string, unknown> }[];
    outputs?: Record<string, unknown>;
    error?: Error;
}

/**
 * Runs the real program (the module Pulumi loads, index.ts) under mocks, with `config` given
 * the way the CLI gives it: PULUMI_CONFIG, keys `entra-guests:<key>`. Calls outside the
 * directory fixture fail, so an unexpected lookup cannot pass unnoticed.
 */
export interface RunOptions {
    preview?: boolean;
    /**
     * The tenant the program's own Graph reads see (adoption), served by the simulated
     * Graph face (tools/sim/graph-server) from a temporary tenant file. Default: an empty tenant.
     */
    tenant?: TenantSeed;
    /** The stack outputs of the last deployment, as the engine's readStackOutputs invoke reads them. */
    previousOutputs?: Record<string, unknown>;
}

export async function runProgram(config: Record<string, unknown>, directory: DirectoryFixture, options: RunOptions = {}): Promise<ProgramRun> {
    const run: ProgramRun = { resources: [], calls: [], graph: [] };
    const tenantDir = await mkdtemp(path.join(os.tmpdir(), "entra-guests-tenant-"));
    const tenantFile = path.join(tenantDir, "tenant.json");
    writeTenant(tenantFile, options.tenant ?? {});
    const server = await startGraphServer({ tenantFile, token: "program-test-token" });
    process.env.ENTRA_GUESTS_GRAPH_URL = server.url;
    process.env.ENTRA_GUESTS_GRAPH_TOKEN = "program-test-token";
    const env: Record<string, string> = {};
    // A namespaced key (`azuread:tenantId`) is another package's config, passed as it is.
    for (const [key, value] of Object.entries(config)) env[key.includes(":") ? key : `entra-guests:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    process.env.PULUMI_CONFIG = JSON.stringify(env);
    const byUrn = new Map<string, Registered>();
    try {
        await withLocalStorage(async () => {
            await pulumi.runtime.setMocks(mocks(directory, run, byUrn, options.previousOutputs), "entra-guests", "test", options.preview ?? false, "organization");
            // Loaded here, not at import time: the program reads its config when it runs.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const program = require("../../index") as () => Promise<Record<string, unknown>>;
            run.outputs = await pulumi.runtime.runInPulumiStack(async () => {
                pulumi.runtime.registerStackTransformation((args) => {
                    if (args.type !== "pulumi:pulumi:Stack") {
                        const o = args.opts as pulumi.CustomResourceOptions;
                        const options: Registered["options"] = {};
                        if (o.parent) options.parent = o.parent.constructor.name === "Stack" ? "stack" : (o.parent as unknown as { __name?: string }).__name;
                        for (const k of ["protect", "retainOnDelete", "deleteBeforeReplace", "ignoreChanges", "additionalSecretOutputs", "import", "replacementTrigger", "replaceOnChanges"] as const) {
                            if (o[k] !== undefined) (options as Record<string, unknown>)[k] = o[k];
                        }
                        if (o.deletedWith) options.deletedWith = (o.deletedWith as unknown as { __name?: string }).__name;
                        if (Array.isArray(o.dependsOn)) options.dependsOn = (o.dependsOn as unknown as { __name?: string }[]).map((d) => d.__name ?? "");
                        pending.set(`${args.type}::${args.name}`, options);
                    }
                    return undefined;
                });
                return program();
            });
            // The stack outputs resolve before the guests' resources when no output depends on
            // them; the language host, too, waits for every registration before it exits.
            await pulumi.runtime.disconnect();
        });
    } catch (err) {
        run.error = err as Error;
    } finally {
        delete process.env.PULUMI_CONFIG;
        delete process.env.ENTRA_GUESTS_GRAPH_URL;
        delete process.env.ENTRA_GUESTS_GRAPH_TOKEN;
        await server.close();
        run.graph = readCalls(tenantFile).flatMap((c) => (c.kind === "request" ? [`${c.method} ${c.path}`] : []));
        await rm(tenantDir, { recursive: true, force: true });
    }
    run.resources = [...byUrn.values()].map((r) => ({ ...r, options: pending.get(`${r.type}::${r.name}`) ?? {} }));
    pending.clear();
    return run;
}

const pending = new Map<string, Registered["options"]>();

function mocks(directory: DirectoryFixture, run: ProgramRun, byUrn: Map<string, Registered>, previousOutputs: Record<string, unknown> | undefined): pulumi.runtime.Mocks {
    return {
        newResource(args) {
            const inputs = args.inputs as Record<string, unknown>;
            byUrn.set(`${args.type}::${args.name}`, { type: args.type, name: args.name, inputs, options: {} });
            if (args.type === GUEST_USER_TYPE) {
                const email = String(inputs.email);
                // As the provider answers: the user it adopts, the one it claims, or a user its invitation created.
                const found = (inputs.expectedUserId ?? inputs.claimUserId) as string | undefined;
                const userId = found ?? `user-id-of-${email}`;
                const createdByStack = inputs.expectedUserId === undefined;
                const invited = found === undefined ? { redeemUrl: `https://login.microsoftonline.com/redeem?for=${email}`, invitedAt: "2026-11-25T10:00:00.000Z" } : {};
                return { id: userId, state: { ...inputs, userId, createdByStack, tenantUserType: inputs.existingMember ? "Member" : "Guest", ready: true, ...invited } };
            }
            if (args.type === "azuread:index/invitation:Invitation") {
                const email = String(inputs.userEmailAddress);
                return { id: `inv-${email}`, state: { ...inputs, userId: `user-id-of-${email}`, redeemUrl: `https://login.microsoftonline.com/redeem?for=${email}` } };
            }
            return { id: `${args.name}-id`, state: inputs };
        },
        call(args) {
            const a = args.inputs as Record<string, unknown>;
            run.calls.push({ token: args.token, args: a });
            // The engine's built-in read of this stack's outputs (components/previous-deployment.ts).
            if (args.token === READ_STACK_OUTPUTS) return { name: a.name, outputs: previousOutputs ?? {}, secretOutputNames: [] };
            if (args.token === "azuread:index/getGroup:getGroup") {
                if (directory.failures?.groups !== undefined) throw invokeError(args.token, directory.failures.groups);
                // Entra compares display names case-insensitively.
                const name = String(a.displayName).toLowerCase();
                const ids = Object.entries(directory.groups).find(([n]) => n.toLowerCase() === name)?.[1] ?? [];
                if (ids.length === 0) throw invokeError(args.token, `[display_name] No group found matching specified filter (displayName eq '${a.displayName}')`);
                if (ids.length > 1) throw invokeError(args.token, `[display_name] More than one group found matching specified filter (displayName eq '${a.displayName}')`);
                return { objectId: ids[0], displayName: a.displayName };
            }
            if (args.token === "azuread:index/getServicePrincipal:getServicePrincipal") {
                if (directory.failures?.servicePrincipals !== undefined) throw invokeError(args.token, directory.failures.servicePrincipals);
                const sp = directory.servicePrincipals.find((s) => (a.clientId !== undefined ? s.clientId === a.clientId : s.displayName.toLowerCase() === String(a.displayName).toLowerCase()));
                if (!sp && a.clientId !== undefined) throw invokeError(args.token, "No service principal found: no service principal found");
                if (!sp) throw invokeError(args.token, `Service principal not found: no service principals found matching filter: "displayName eq '${String(a.displayName).replace(/'/g, "''")}'"`);
                return { ...sp };
            }
            throw new Error(`unmocked provider call ${args.token}`);
        },
    };
}

/**
 * A failed invoke as the engine hands it to the program: the SDK reads the gRPC error's
 * `details` (runtime/invoke.js), which hold the engine's and the bridge's prefixes and the
 * provider's diagnostics (as seen through the real engine in test/engine/lookup-errors.engine.ts).
 */
function invokeError(token: string, diagnostic: string): Error {
    const details = `invocation of ${token} returned an error: invoking ${token}: 1 error occurred:\n\t* ${diagnostic}\n\n`;
    return Object.assign(new Error(details), { details });
}

/** The `managedGuests` output a run published: the JSON text of the map, keys sorted, read back. */
export function managedGuestsOf(outputs: Record<string, unknown> | undefined): ManagedGuests {
    const text = outputs?.managedGuests;
    assert.equal(typeof text, "string", "managedGuests is published as one JSON text");
    const keys = Object.keys(JSON.parse(text as string) as object);
    assert.deepEqual(keys, [...keys].sort(), "its keys sorted");
    const parsed = parseManagedGuests(text);
    assert.ok(parsed.ok, parsed.ok ? "" : parsed.problem);
    return parsed.guests;
}
