import { z } from "zod";
import { FileDeclarations } from "../read/declared";
import { Problems, quote } from "../problems";
import { didYouMean } from "../suggest";

const DOMAIN = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*$/;
const TOP_LEVEL = /^[a-z][a-z0-9-]*$/;

/**
 * Why `pattern` is not a domain pattern, as "what is wrong; what to do". Patterns are
 * "fabrikam.com", "*.fabrikam.com" (its subdomains, not fabrikam.com itself) and "*.de" (every
 * .de domain). "*" alone and a bare "de" are refused: one would allow or block everything, the
 * other matches no address, and both are more likely slips than intent.
 */
export function domainPatternProblem(pattern: string): string | undefined {
    if (pattern === "*") return 'is "*" alone, which would match every domain; name the domains, like fabrikam.com or *.de';
    const wildcard = pattern.startsWith("*.");
    const rest = wildcard ? pattern.slice(2) : pattern;
    if (DOMAIN.test(rest) || (wildcard && TOP_LEVEL.test(rest))) return undefined;
    if (TOP_LEVEL.test(rest)) return `is a top-level domain alone, which no address has; write *.${rest} for every .${rest} domain`;
    return "is not a domain; write fabrikam.com, or *.fabrikam.com for its subdomains";
}

export const domainList = z.array(
    z
        .string()
        .trim()
        .toLowerCase()
        .superRefine((d, ctx) => {
            const problem = domainPatternProblem(d);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
        }),
    "must be a list of domains, like [fabrikam.com, *.fabrikam.com]",
);

/** A YAML file's `policy`: it applies to the guests of that file. */
export const PolicyDeclaration = z.strictObject({
    /** The only domains this file may invite from. */
    allowedDomains: domainList.optional(),
    /** Domains this file may never invite from. */
    blockedDomains: domainList.optional(),
});

/** A domain rule and where it was set: a file's `policy`, or the stack's config. */
export interface DomainRule {
    kind: "allowedDomains" | "blockedDomains";
    domains: string[];
    setBy: string;
}

export function domainMatches(domain: string, pattern: string): boolean {
    return pattern.startsWith("*.") ? domain.endsWith(pattern.slice(1)) : domain === pattern;
}

/** The rule `email` breaks, if any: blocked anywhere, or outside an allow-list that applies. */
export function brokenDomainRule(email: string, rules: DomainRule[]): DomainRule | undefined {
    const domain = email.slice(email.lastIndexOf("@") + 1);
    return (
        rules.find((r) => r.kind === "blockedDomains" && r.domains.some((p) => domainMatches(domain, p))) ??
        rules.find((r) => r.kind === "allowedDomains" && !r.domains.some((p) => domainMatches(domain, p)))
    );
}

export function stackRules(settings: { allowedDomains: string[]; blockedDomains: string[] }): DomainRule[] {
    const rules: DomainRule[] = [];
    if (settings.allowedDomains.length > 0) rules.push({ kind: "allowedDomains", domains: settings.allowedDomains, setBy: "the stack's config `entra-guests:allowedDomains`" });
    if (settings.blockedDomains.length > 0) rules.push({ kind: "blockedDomains", domains: settings.blockedDomains, setBy: "the stack's config `entra-guests:blockedDomains`" });
    return rules;
}

/** A YAML file's `policy` as rules for its own guests, reporting a malformed one. */
export function policyRules(declarations: FileDeclarations, problems: Problems): DomainRule[] {
    const policy = declarations.policy;
    if (!policy) return [];
    const result = PolicyDeclaration.safeParse(policy.values);
    if (!result.success) {
        for (const issue of result.error.issues) {
            if (issue.code === "unrecognized_keys") {
                for (const key of issue.keys) problems.error(policy.locate([key], true), `unknown key \`${key}\` in \`policy\`; ${didYouMean(key, ["allowedDomains", "blockedDomains"])}a policy has \`allowedDomains\` and \`blockedDomains\``);
            } else {
                const value = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown>)?.[k], policy.values);
                // A pattern's message is "what; fix": the value goes between, as in every message.
                const [what, fix] = issue.code === "invalid_type" ? ["must be a list of domains", "write [fabrikam.com, *.fabrikam.com]"] : splitFix(issue.message);
                problems.error(policy.locate(issue.path), `\`policy.${String(issue.path[0])}\` ${what} (got ${quote(value)}); ${fix}`);
            }
        }
        return [];
    }
    const setBy = `the \`policy\` of ${declarations.file}`;
    const rules: DomainRule[] = [];
    if (result.data.allowedDomains) rules.push({ kind: "allowedDomains", domains: result.data.allowedDomains, setBy });
    if (result.data.blockedDomains) rules.push({ kind: "blockedDomains", domains: result.data.blockedDomains, setBy });
    return rules;
}


function splitFix(message: string): [string, string] {
    const at = message.indexOf("; ");
    return at === -1 ? [message, "correct it"] : [message.slice(0, at), message.slice(at + 2)];
}
