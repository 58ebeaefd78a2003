import { z } from "zod";
import { DEFAULT_REDIRECT_URL } from "../build";
import { checkDate, checkRedirectUrl } from "./fields";
import { domainList } from "./policy";
import { didYouMean } from "../suggest";

/** The config namespace: keys are `entra-guests:<key>` in Pulumi.yaml and stack files. */
export const CONFIG_NAMESPACE = "entra-guests";

/**
 * Stack settings, the same for the Pulumi program and the CLI. Values arrive as Pulumi
 * config gives them: text, or JSON text for lists.
 */
export const Settings = z.strictObject({
    /** Guest files and folders to read, relative to the project. */
    guests: z
        .preprocess(jsonList, z.array(z.string("must be a list of paths").trim().min(1, "a path is empty"), "must be a list of files, folders or globs").min(1, "name at least one file or folder"))
        .default(["guests"]),
    /** Redirect URL for guests whose files give none. */
    defaultRedirectUrl: z
        .string()
        .trim()
        .refine((v) => checkRedirectUrl(v).ok, "must be an absolute http(s) URL, like https://myapps.microsoft.com")
        .default(DEFAULT_REDIRECT_URL),
    /** Warn about guests whose access ends within this many days. */
    expiryWarningDays: z.preprocess(number, z.number("must be a whole number of days").int("must be a whole number of days").min(0, "must be 0 or more")).default(14),
    /** "Today" for expiry, YYYY-MM-DD; empty means the clock's date (UTC). */
    asOf: z
        .string()
        .trim()
        .refine((v) => v === "" || checkDate("asOf", v).ok, "must be a date written YYYY-MM-DD, or empty for today")
        .default(""),
    /** Stack-wide allow-list of guest domains; `*.fabrikam.com` matches subdomains. Empty: any. */
    allowedDomains: z.preprocess(jsonList, domainList).default([]),
    /** Stack-wide block-list of guest domains. */
    blockedDomains: z.preprocess(jsonList, domainList).default([]),
    /** Guests may only reference groups and apps through catalog aliases. */
    restrictToCatalog: z.preprocess(boolean, z.boolean("must be true or false")).default(false),
    /** Allow `userType: Member` invitations. */
    allowMemberInvites: z.preprocess(boolean, z.boolean("must be true or false")).default(false),
    /** More guest deletions than this in one run are refused unless confirmed. */
    maxRemovals: z.preprocess(number, z.number("must be a whole number").int("must be a whole number").min(0, "must be 0 or more")).default(10),
    /**
     * Users that existed in the tenant before the stack managed them (adopted) are kept
     * when their entry is removed, unless this is true.
     */
    deleteAdoptedUsers: z.preprocess(boolean, z.boolean("must be true or false")).default(false),
    /** One-off confirmation: the exact number of guests this run may delete. 0: none confirmed. */
    confirmRemovals: z.preprocess(number, z.number("must be a whole number").int("must be a whole number").min(0, "must be 0 or more")).default(0),
});

export type Settings = z.infer<typeof Settings>;
export const SETTING_KEYS = Object.keys(Settings.shape);

/**
 * Pulumi config hands numbers and booleans to programs as text. Read exactly what Pulumi's own
 * check of the `type` in Pulumi.yaml lets through (Go's strconv.Atoi; the words true and false),
 * so that validate --stack refuses "2.0", " 7" or "TRUE" as `pulumi preview` would.
 */
function number(value: unknown): unknown {
    return typeof value === "string" && /^[+-]?\d+$/.test(value) ? Number(value) : value;
}

function boolean(value: unknown): unknown {
    return value === "true" ? true : value === "false" ? false : value;
}

/** "a" or '["a","b"]' (how Pulumi config stores a list) -> a list. */
function jsonList(value: unknown): unknown {
    if (typeof value !== "string") return value;
    const text = value.trim();
    if (text.startsWith("[")) {
        try {
            return JSON.parse(text);
        } catch {
            return value;
        }
    }
    return text.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; errors: string[] };

/** Validates raw config values (keys without the namespace), reporting every bad key. */
export function parseSettings(raw: Record<string, unknown>, source: string): SettingsResult {
    const result = Settings.safeParse(raw);
    if (result.success) return { ok: true, settings: result.data };
    const errors = result.error.issues.map((issue) => {
        if (issue.code === "unrecognized_keys") {
            const hint = issue.keys.map((k) => didYouMean(k, SETTING_KEYS).replace(/`(\w+)`/, `\`${CONFIG_NAMESPACE}:$1\``)).join("");
            return `${source}: unknown config key ${issue.keys.map((k) => `\`${CONFIG_NAMESPACE}:${k}\``).join(", ")}; ${hint}the keys are ${SETTING_KEYS.map((k) => `${CONFIG_NAMESPACE}:${k}`).join(", ")}`;
        }
        const key = `${CONFIG_NAMESPACE}:${String(issue.path[0] ?? "")}`;
        return `${source}: config \`${key}\` ${issue.message} (got ${JSON.stringify(raw[String(issue.path[0])])}); set it with \`pulumi config set ${key} <value>\``;
    });
    return { ok: false, errors };
}

/** The azuread provider's tenant: when set in stack config it wins over ARM_TENANT_ID. */
export const PROVIDER_TENANT_KEY = "azuread:tenantId";
const PLACEHOLDER_TENANT = "00000000-0000-0000-0000-000000000000";

/**
 * The zero GUID, a placeholder an example stack file may carry as its tenant: the provider would
 * sign in to no tenant whatever ARM_TENANT_ID says, so it is refused with the way out.
 */
export function placeholderTenantProblem(tenantId: unknown, source: string): string | undefined {
    if (typeof tenantId !== "string" || tenantId.trim().toLowerCase() !== PLACEHOLDER_TENANT) return undefined;
    return (
        `${source}: config \`${PROVIDER_TENANT_KEY}\` is the placeholder tenant, which would win over ARM_TENANT_ID (got ${JSON.stringify(tenantId)}); ` +
        `set your tenant's ID with \`pulumi config set ${PROVIDER_TENANT_KEY} <tenant-id>\` (\`az account show --query tenantId -o tsv\` prints it), ` +
        `or remove it with \`pulumi config rm ${PROVIDER_TENANT_KEY}\` to use ARM_TENANT_ID`
    );
}

/** How many `pulumi config set --path` commands a message spells out before "and so on". */
const PATH_COMMANDS_SHOWN = 3;

/**
 * A list setting stored as text in a stack file, as `pulumi config set key 'a, b'` stores it:
 * Pulumi checks the value against the `type: array` in Pulumi.yaml and refuses it before the
 * program runs (checked with pulumi 3.248: "must be of type 'array<string>'"), so validate
 * refuses it too, with the commands that store a list, filled in with the items the text meant.
 */
export function listAsTextProblem(key: string, text: string, stackFile: string): string {
    const full = `${CONFIG_NAMESPACE}:${key}`;
    const items = intendedItems(text);
    const command = (i: number, value: string) => `\`pulumi config set --path '${full}[${i}]' ${value}\``;
    const commands = items.length === 0 ? [command(0, "<value>")] : items.slice(0, PATH_COMMANDS_SHOWN).map((item, i) => command(i, shellWord(item)));
    const more = items.length > PATH_COMMANDS_SHOWN ? ` and so on to [${items.length - 1}]` : "";
    return (
        `${stackFile}: config \`${full}\` is text where Pulumi.yaml declares a list, which Pulumi refuses (got ${JSON.stringify(text)}); ` +
        `store a list: ${commands.join(", ")}${more}, or write \`${full}: [${items.map((i) => JSON.stringify(i)).join(", ")}]\` in ${stackFile}`
    );
}

/** The items a list written as text meant: JSON list text, else comma-separated. */
function intendedItems(text: string): string[] {
    const trimmed = text.trim();
    if (trimmed.startsWith("[")) {
        try {
            const parsed: unknown = JSON.parse(trimmed);
            if (Array.isArray(parsed)) return parsed.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
        } catch {
            // not JSON: read as a comma-separated list below
        }
    }
    return trimmed.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/** A value as one shell word: `*.fabrikam.com` is quoted so the shell does not expand it. */
function shellWord(value: string): string {
    return /^[A-Za-z0-9._@%+=:/-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
