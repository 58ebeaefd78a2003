import { existsSync, promises as fs } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONFIG_NAMESPACE, listAsTextProblem, parseSettings, placeholderTenantProblem, PROVIDER_TENANT_KEY, SettingsResult } from "../../roster/rules/settings";

/**
 * The project folder for a CLI run in `cwd`: the nearest folder at or above it that holds
 * Pulumi.yaml, as Pulumi finds the project (and roster/project.ts for the program), so that
 * `cd guests && npx entra-guests validate` reads the same settings and guests as `pulumi up`.
 * `cwd` itself when no folder above holds one.
 */
export function projectFolder(cwd: string): string {
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
        if (existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) return cwd;
    }
}

/**
 * The stack settings as `pulumi up` would see them, read from the project's files so that the
 * CLI needs no Pulumi CLI and no credentials: the defaults declared in Pulumi.yaml, overlaid
 * by Pulumi.<stack>.yaml when a stack is named. Secrets are never needed here. What Pulumi
 * itself would refuse before running the program is refused here too: text where
 * Pulumi.yaml declares a list, and the placeholder tenant.
 */
export async function readProjectSettings(cwd: string, stack: string | undefined): Promise<SettingsResult> {
    const raw: Record<string, unknown> = {};
    const lists = new Set<string>();
    let tenant: { value: unknown; source: string } | undefined;
    const project = await readYaml(path.join(cwd, "Pulumi.yaml"));
    for (const [key, decl] of Object.entries(objectAt(project, "config"))) {
        const declared = decl !== null && typeof decl === "object" && !Array.isArray(decl) ? (decl as Record<string, unknown>) : undefined;
        // A namespaced key in Pulumi.yaml gives a value (`value:`, or written bare), never a type.
        if (key === PROVIDER_TENANT_KEY) tenant = { value: declared ? declared.value : decl, source: "Pulumi.yaml" };
        const short = ownKey(key);
        if (short === undefined) continue;
        if (declared?.type === "array") lists.add(short);
        const value = declared ? declared.default : decl;
        if (value !== undefined) raw[short] = toConfigText(value);
    }
    const problems: string[] = [];
    const source = stack === undefined ? "Pulumi.yaml" : `Pulumi.${stack}.yaml`;
    if (stack !== undefined) {
        const stackFile = await readYaml(path.join(cwd, source));
        if (stackFile === undefined) return { ok: false, errors: [`${source}: no such stack file; create it with \`pulumi stack init ${stack}\`, or leave out --stack`] };
        for (const [key, value] of Object.entries(objectAt(stackFile, "config"))) {
            if (key === PROVIDER_TENANT_KEY) tenant = { value, source };
            const short = ownKey(key);
            if (short === undefined) continue;
            if (lists.has(short) && isScalar(value)) {
                problems.push(listAsTextProblem(short, String(value ?? ""), source));
                delete raw[short];
            } else {
                raw[short] = toConfigText(value);
            }
        }
    }
    const tenantProblem = tenant && placeholderTenantProblem(tenant.value, tenant.source);
    if (tenantProblem) problems.push(tenantProblem);
    const settings = parseSettings(raw, source);
    if (problems.length === 0) return settings;
    return { ok: false, errors: [...problems, ...(settings.ok ? [] : settings.errors)] };
}

/** Text, a number, a boolean or nothing: what Pulumi refuses where a list is declared. */
function isScalar(value: unknown): boolean {
    return value === null || typeof value !== "object";
}

/** `entra-guests:x` or a bare project key `x`; other namespaces (azuread:...) are not ours. */
function ownKey(key: string): string | undefined {
    if (!key.includes(":")) return key;
    const [ns, rest] = key.split(":", 2);
    return ns === CONFIG_NAMESPACE ? rest : undefined;
}

/** Pulumi hands config to programs as text, lists and objects as JSON. */
function toConfigText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

async function readYaml(file: string): Promise<unknown> {
    const text = await fs.readFile(file, "utf8").catch(() => undefined);
    return text === undefined ? undefined : parse(text);
}

function objectAt(doc: unknown, key: string): Record<string, unknown> {
    const value = doc !== null && typeof doc === "object" ? (doc as Record<string, unknown>)[key] : undefined;
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
