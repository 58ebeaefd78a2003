import { Location, Problem } from "../roster";
import { hintFix } from "./lookup-hints";
import type { NameReads } from "./reads";

/**
 * Why a directory lookup failed, read from the provider's own error. The engine hands the program
 * `invocation of <token> returned an error: invoking <token>: 1 error occurred:\n\t* [display_name] No group found ...\n\n`:
 * the engine's prefix (pulumi pkg/resource/deploy/source_eval.go), the bridge's (pulumi-terraform-bridge
 * pkg/tfbridge/provider.go:1970), then hashicorp/go-multierror's list of diagnostics, each
 * `[path] Summary: Detail`. The cause is on the lines after the first.
 */
export type LookupFailure = "not-found" | "several" | "invalid-filter" | "no-credentials" | "permission" | "throttled" | "other";

/** One lookup: what was looked up, as the guest files wrote it, and where they use it. */
export interface Lookup {
    what: "group" | "app";
    name: string;
    byClientId: boolean;
    /** The first use, where a problem about the name is located. */
    at: Location;
    /** Every use, for the message ("a.csv:2, b.csv:3"). */
    uses: string;
}

const PREFIXES = /^(?:invocation of \S+ returned an error: |invoking \S+: |Invoke of '[^']*' failed: )/;

/** The provider's diagnostics, without their `[path] ` prefix. */
function providerDiagnostics(message: string): string[] {
    let text = message.trim();
    for (let m = PREFIXES.exec(text); m; m = PREFIXES.exec(text)) text = text.slice(m[0].length);
    const lines = text.split(/\r?\n/);
    const head = lines.findIndex((l) => /^\d+ errors? occurred:\s*$/.test(l));
    if (head < 0) return text === "" ? [] : [text];
    const diagnostics: string[] = [];
    for (const line of lines.slice(head + 1)) {
        if (line.startsWith("\t* ")) diagnostics.push(line.slice(3).replace(/^\[[^\]]*\] /, ""));
        // go-multierror does not indent a diagnostic's further lines: they belong to the one before
        // (a line break in a name, too). Kept as written: the output boundary shows a break as `\n`.
        else if (line !== "" && diagnostics.length > 0) diagnostics[diagnostics.length - 1] += `\n${line}`;
    }
    return diagnostics;
}

/** From the most to the least general: one diagnostic of a kind earlier here decides. */
const PRIORITY: LookupFailure[] = ["no-credentials", "permission", "throttled", "invalid-filter", "several", "not-found", "other"];

/**
 * The kind of one lookup's failure. The data sources' own summaries (group_data_source.go:299-314,
 * service_principal_data_source.go:313-349, v3.8.0) start a diagnostic; the rest is matched on
 * the text without the name looked up, so a group called "403 Credential Admins" that does not
 * exist is not found, not forbidden.
 */
function classify(diagnostics: string[], name: string): LookupFailure {
    const kinds = diagnostics.map((d) => classifyOne(d, name));
    return PRIORITY.find((k) => kinds.includes(k)) ?? "other";
}

function classifyOne(diagnostic: string, name: string): LookupFailure {
    if (/^(No group found matching|Service principal not found|No service principal found)\b/.test(diagnostic)) return "not-found";
    if (/^(More than one group found|Multiple service principals found)\b/.test(diagnostic)) return "several";
    const text = name === "" ? diagnostic : diagnostic.split(name).join("…").split(name.replace(/'/g, "''")).join("…");
    // Graph's answer to an app without the permission (the go-azure-sdk's `unexpected status 403 ... with error: <code>: <message>`).
    if (/\b403\b|Authorization_RequestDenied|Insufficient privileges/i.test(text)) return "permission";
    // No credentials fail the provider's configure: go-azure-sdk sdk/auth/auth.go ("unable to build
    // authorizer", "no Authorizer could be configured", "could not configure AzureCli Authorizer"),
    // internal/clients/client.go:122 ("unable to obtain access token"); a token Graph refuses is a 401.
    if (/\b401\b|InvalidAuthenticationToken|Authorizer|access token|credential|az login|Azure CLI|authenticat/i.test(text)) return "no-credentials";
    // The SDK retries 429 until the 5-minute deadline, then the last error stands.
    if (/\b429\b|TooManyRequests|too many requests|throttl/i.test(text)) return "throttled";
    if (/Invalid filter clause/i.test(text)) return "invalid-filter";
    return "other";
}

/**
 * The provider's words, quoted (a quote or backslash in them escaped); or that it gave none.
 * Line breaks and control characters stay as they are, like the names in every message: the
 * output boundary (cli/escape.ts forTerminal) shows them as `\n`, so each message is one line.
 */
function provider(diagnostics: string[]): string {
    return diagnostics.length === 0 ? "the provider gave no reason" : `provider: "${diagnostics.join("; ").replace(/["\\]/g, "\\$&")}"`;
}

const GUEST_FILE_KINDS: LookupFailure[] = ["not-found", "several", "invalid-filter"];

/** A lookup that failed for a reason in the guest files. */
interface Failure {
    lookup: Lookup;
    kind: LookupFailure;
    diagnostics: string[];
}

/** Hint reads in flight at once: as the Graph client's other reads (graph/directory.ts CONCURRENCY). */
const HINT_CONCURRENCY = 4;

/** The Graph application permission each kind of lookup needs. */
const PERMISSION = { group: "Group.Read.All", app: "Application.Read.All" } as const;

/**
 * Every failed lookup of a run. Not found, several found and a refused filter are about a name
 * in the guest files: located at its first use. Credentials, a permission and throttling are
 * about the directory: said once, whatever the number of names, and they stop the lookups
 * that have not started (each would fail alike, a throttled one only after minutes of retries).
 */
export class LookupFailures {
    /** Failures about a name in the guest files, in the order they came. */
    private readonly named: Failure[] = [];
    /** Directory-wide kind (and, for a permission, what) -> the failure with the first name. */
    private readonly wide = new Map<string, { lookup: Lookup; diagnostics: string[] }>();
    private readonly others: { lookup: Lookup; diagnostics: string[] }[] = [];

    add(lookup: Lookup, err: unknown): void {
        const message = err instanceof Error ? err.message : String(err ?? "");
        const diagnostics = providerDiagnostics(message);
        const kind = classify(diagnostics, lookup.name);
        if (GUEST_FILE_KINDS.includes(kind)) {
            this.named.push({ lookup, kind, diagnostics });
        } else if (kind === "other") {
            this.others.push({ lookup, diagnostics });
        } else {
            const key = kind === "permission" ? `permission ${lookup.what}` : kind;
            const before = this.wide.get(key);
            if (!before || lookup.name < before.lookup.name) this.wide.set(key, { lookup, diagnostics });
        }
    }

    /**
     * The failures about names in the guest files, each located at its name's first use. With
     * `reads`, a display name the provider found several of, or none of, gets a hint from one
     * more Graph read (plan/lookup-hints.ts), unless the directory itself failed for its kind. A
     * read that fails leaves its message as the provider's failure alone makes it, and no
     * further read starts: the run fails the same way, only without hints.
     */
    async located(reads?: NameReads): Promise<Problem[]> {
        const fixes = new Map<Failure, string>();
        const hinted = this.named.flatMap((f) => ((f.kind === "several" || f.kind === "not-found") && !f.lookup.byClientId && !this.stops(f.lookup.what) ? [{ f, kind: f.kind }] : []));
        if (reads && hinted.length > 0) {
            let next = 0;
            let failed = false;
            const worker = async () => {
                while (!failed && next < hinted.length) {
                    const { f, kind } = hinted[next++];
                    try {
                        const fix = await hintFix(reads, f.lookup.what, f.lookup.name, kind, nameFix(f.kind, f.lookup));
                        if (fix !== undefined) fixes.set(f, fix);
                    } catch {
                        failed = true;
                    }
                }
            };
            await Promise.all(Array.from({ length: Math.min(HINT_CONCURRENCY, hinted.length) }, worker));
        }
        return this.named.map((f) => ({
            ...f.lookup.at,
            message: `directory lookup of ${f.lookup.what} "${f.lookup.name}" failed: ${nameProblem(f.kind, f.lookup)} (${provider(f.diagnostics)}); used by ${f.lookup.uses}; ${fixes.get(f) ?? nameFix(f.kind, f.lookup)}`,
        }));
    }

    /** Whether lookups of this kind are pointless now. */
    stops(what: Lookup["what"]): boolean {
        return this.wide.has("no-credentials") || this.wide.has("throttled") || this.wide.has(`permission ${what}`);
    }

    /** The directory's own problems, each once, in a fixed order. */
    directoryErrors(): string[] {
        const out: string[] = [];
        const credentials = this.wide.get("no-credentials");
        if (credentials) {
            out.push(`directory lookups failed: the azuread provider has no working credentials (${provider(credentials.diagnostics)}); sign in with \`az login\` and set \`azuread:tenantId\`, or give the provider a service principal (ARM_CLIENT_ID, ARM_TENANT_ID, and OIDC or a secret), then run again`);
        }
        for (const what of ["group", "app"] as const) {
            const denied = this.wide.get(`permission ${what}`);
            if (denied) {
                out.push(`directory lookups of ${what}s failed: a permission is missing (${provider(denied.diagnostics)}); grant the identity Pulumi runs as the Microsoft Graph application permission ${PERMISSION[what]}, with admin consent, then run again`);
            }
        }
        const throttled = this.wide.get("throttled");
        if (throttled) {
            out.push(`directory lookups failed: Microsoft Graph throttled them and the provider's retries ran out (${provider(throttled.diagnostics)}); wait a few minutes, then run again`);
        }
        const others = [...this.others].sort((a, b) => a.lookup.what.localeCompare(b.lookup.what) || (a.lookup.name < b.lookup.name ? -1 : a.lookup.name > b.lookup.name ? 1 : 0));
        for (const { lookup, diagnostics } of others) {
            const id = lookup.what === "group" ? "the group's object ID" : "the app's client ID";
            out.push(`directory lookup of ${lookup.what} "${lookup.name}" failed (${provider(diagnostics)}); used by ${lookup.uses}; check the provider's message, then run again or write ${id}`);
        }
        return out;
    }
}

function nameProblem(kind: LookupFailure, lookup: Lookup): string {
    const by = lookup.byClientId ? "client ID" : "display name";
    if (kind === "invalid-filter") return "Graph refused the provider's filter for this name";
    if (lookup.what === "group") return kind === "several" ? "several groups have this display name" : "no group has this display name";
    return kind === "several" ? `several service principals have this ${by}` : `no service principal has this ${by}`;
}

function nameFix(kind: LookupFailure, lookup: Lookup): string {
    if (lookup.what === "group") return kind === "not-found" ? "check the name, or write the group's object ID" : kind === "several" ? "write the object ID of the group you mean" : "write the group's object ID instead";
    if (kind === "not-found") return `check the app's ${lookup.byClientId ? "client ID" : "name"}, and that it has an enterprise application in this tenant`;
    return "write the app's client ID instead";
}

/**
 * data.azuread_group builds `displayName eq '<name>'` without escaping (group_data_source.go:289,
 * v3.8.0), so Graph refuses every name with an apostrophe. The service principal data source
 * escapes it (odata.EscapeSingleQuote), so apps are not refused.
 */
export function apostropheProblem(lookup: Lookup): Problem | undefined {
    if (lookup.what !== "group" || !lookup.name.includes("'")) return undefined;
    return {
        ...lookup.at,
        message: `group "${lookup.name}" cannot be looked up by name: the azuread provider puts the name in a Graph filter without escaping its apostrophe, so the lookup always fails; used by ${lookup.uses}; write the group's object ID instead`,
    };
}
