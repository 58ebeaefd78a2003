import type { CheckFailure, CheckResult, CreateResult, DiffResult, Provider, ReadResult, UpdateResult } from "@pulumi/pulumi/provider";
import { GraphClient } from "../graph/client";
import { graphClientFromEnvironment } from "../graph/credentials";
import { GUEST_USER_TYPE, GuestUserInputs, GuestUserOutputs, ProviderArgs } from "../plan/guest-user";
import { changedInputs, GuestUsers } from "./guest-user";

/** The version the plugin reports; Pulumi.yaml's `plugins` entry names no version, so any is taken. */
export const PROVIDER_VERSION = "0.1.0";

/** The azuread provider's settings as the ARM_* variables they stand for (its own defaults). */
const ARGS_TO_ENV: Record<keyof ProviderArgs, string> = {
    tenantId: "ARM_TENANT_ID",
    clientId: "ARM_CLIENT_ID",
    clientSecret: "ARM_CLIENT_SECRET",
    useOidc: "ARM_USE_OIDC",
    oidcToken: "ARM_OIDC_TOKEN",
};

/** The environment the Graph sign-in reads: the plugin's own (the CLI's), with the provider's arguments on top. */
export function environmentFor(args: ProviderArgs, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    const out: NodeJS.ProcessEnv = { ...env };
    for (const [key, variable] of Object.entries(ARGS_TO_ENV)) {
        const value = args[key as keyof ProviderArgs];
        if (typeof value === "string" && value !== "") out[variable] = value;
    }
    return out;
}

const typeOf = (urn: string) => urn.split("::")[2]?.split("$").pop() ?? "";

/**
 * The entra-guests provider: one resource, GuestUser. The engine starts a plugin process per CLI
 * command; the Graph client is made on first use, with the arguments the program gave the
 * provider instance (`configure`).
 */
export class EntraGuestsProvider implements Provider {
    readonly version = PROVIDER_VERSION;
    private args: ProviderArgs = {};
    private client?: Promise<GraphClient>;
    readonly guests: GuestUsers;

    constructor(graph?: () => Promise<GraphClient>, guests?: GuestUsers) {
        this.guests = guests ?? new GuestUsers(graph ?? (() => (this.client ??= Promise.resolve(graphClientFromEnvironment(environmentFor(this.args))))));
    }

    configure(args: ProviderArgs): void {
        this.args = args;
        this.client = undefined;
    }

    async check(urn: string, _olds: unknown, news: Record<string, unknown>): Promise<CheckResult> {
        expectType(urn);
        return { inputs: news, failures: checkInputs(news) };
    }

    /** Nothing ever replaces a guest's user: its name is its address, and invite-time fields apply to new invitations only. */
    async diff(_id: string, urn: string, olds: GuestUserOutputs, news: GuestUserInputs): Promise<DiffResult> {
        expectType(urn);
        return { changes: changedInputs(olds, news).length > 0 || olds.ready === false, replaces: [] };
    }

    async create(urn: string, inputs: GuestUserInputs): Promise<CreateResult> {
        expectType(urn);
        return this.guests.create(inputs);
    }

    async update(_id: string, urn: string, olds: GuestUserOutputs, news: GuestUserInputs): Promise<UpdateResult> {
        expectType(urn);
        return { outs: await this.guests.update(olds, news) };
    }

    /** Refresh; an empty ID drops the resource from the state. An import (no state) is not supported: the program adopts by itself. */
    async read(id: string, urn: string, props?: GuestUserOutputs): Promise<ReadResult> {
        expectType(urn);
        if (!props || !props.userId) throw new Error(`${GUEST_USER_TYPE} cannot be imported: declare the guest in a guest file, and \`pulumi up\` adopts the user that has its address`);
        const state = await this.guests.read(props);
        return state ? { id, props: state, inputs: inputsOf(state) } : { id: "", props: {} };
    }

    async delete(_id: string, urn: string, props: GuestUserOutputs): Promise<void> {
        expectType(urn);
        await this.guests.delete(props);
    }
}

function expectType(urn: string): void {
    const type = typeOf(urn);
    if (type !== GUEST_USER_TYPE) throw new Error(`unknown resource type ${type}: the entra-guests provider serves ${GUEST_USER_TYPE}`);
}

const INPUT_KEYS: (keyof GuestUserInputs)[] = ["email", "displayName", "redirectUrl", "userType", "sendEmail", "message", "onRemove", "deleteAdopted", "existingMember", "expectedUserId", "claimUserId", "groups", "appRoles"];

function inputsOf(state: GuestUserOutputs): Partial<GuestUserInputs> {
    return Object.fromEntries(INPUT_KEYS.filter((k) => state[k] !== undefined).map((k) => [k, state[k]]));
}

/** The shape the program always sends; anything else is a program error, said per property. */
export function checkInputs(news: Record<string, unknown>): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const known = (v: unknown) => v !== UNKNOWN;
    const need = (key: string, ok: (v: unknown) => boolean, what: string) => {
        if (known(news[key]) && !ok(news[key])) failures.push({ property: key, reason: `expected ${what}, got ${JSON.stringify(news[key] ?? null)}` });
    };
    const text = (v: unknown) => typeof v === "string" && v !== "";
    const optionalText = (v: unknown) => v === undefined || typeof v === "string";
    const list = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");
    need("email", text, "an address");
    need("redirectUrl", text, "a URL");
    need("userType", (v) => v === "Guest" || v === "Member", '"Guest" or "Member"');
    need("sendEmail", (v) => typeof v === "boolean", "true or false");
    need("onRemove", (v) => v === "delete" || v === "retain", '"delete" or "retain"');
    need("deleteAdopted", (v) => typeof v === "boolean", "true or false");
    need("existingMember", (v) => typeof v === "boolean", "true or false");
    need("displayName", optionalText, "text");
    need("expectedUserId", optionalText, "an object ID");
    need("claimUserId", optionalText, "an object ID");
    need("groups", list, "a list of group object IDs");
    need("appRoles", list, "a list of app roles");
    return failures;
}

/** The engine's "unknown" sentinel: an input not known until apply (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
