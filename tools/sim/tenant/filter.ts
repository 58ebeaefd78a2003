import { GraphError } from "./errors";

/**
 * Graph's limit on `in`: 15 values per filter clause by default (learn.microsoft.com/graph/
 * filter-query-parameter, "Operators and functions supported in filter expressions", and the
 * known issues it links to). The message is ours; Graph's wording is not documented.
 */
export const MAX_IN_VALUES = 15;

const LITERAL = "'(?:[^']|'')*'";
const EQ = new RegExp(`^(\\w+) eq (${LITERAL})$`);
const IN = new RegExp(`^(\\w+) in \\(\\s*(${LITERAL}(?:\\s*,\\s*${LITERAL})*)\\s*\\)$`);
/** `otherMails/any(m:m eq 'x')`: a lambda over a multi-valued property, any variable name. */
const ANY = new RegExp(`^(\\w+)/any\\(\\s*(\\w+)\\s*:\\s*(\\w+) eq (${LITERAL})\\s*\\)$`);

/** One clause: a single-valued property compared with `eq` or `in`, or a collection with `any`. */
export interface FilterTerm {
    property: string;
    kind: "eq" | "in" | "any";
    /** The literals, quotes undoubled, lower-cased: Graph compares these strings case-insensitively. */
    values: Set<string>;
}

export interface ParsedFilter {
    /** The clauses joined by `or` (one when there is no `or`). */
    terms: FilterTerm[];
    test: (o: Record<string, unknown>) => boolean;
}

/**
 * The `$filter` forms the provider and the Graph client send: `<property> eq '<literal>'`,
 * `<property> in ('<literal>', ...)` and `<collection>/any(x:x eq '<literal>')`, where a quote
 * inside a literal must be doubled, joined by `or`. Anything else, such as the unescaped
 * `displayName eq 'O'Brien'` that the group data source builds, is a syntax error, as on Graph
 * (the message's wording here is ours, Graph's is not in the provider's source). Which
 * properties a collection accepts, and whether an `or` needs the advanced query parameters, is
 * for its caller to say.
 */
export function parseFilterExpression(filter: string): ParsedFilter {
    const terms = splitOr(filter).map((clause) => parseTerm(clause, filter));
    return {
        terms,
        test: (o) => terms.some((term) => matches(o[term.property], term.values)),
    };
}

/** The filter's test, for a caller that accepts any property (the provider's own lookups). */
export function parseFilter(filter: string): (o: Record<string, unknown>) => boolean {
    return parseFilterExpression(filter).test;
}

function matches(value: unknown, values: Set<string>): boolean {
    if (typeof value === "string") return values.has(value.toLowerCase());
    return Array.isArray(value) && value.some((v) => typeof v === "string" && values.has(v.toLowerCase()));
}

function parseTerm(clause: string, filter: string): FilterTerm {
    const eq = EQ.exec(clause);
    const inList = IN.exec(clause);
    const any = ANY.exec(clause);
    if (any && any[2] === any[3]) return { property: any[1], kind: "any", values: literals(any[4]) };
    if (eq) return { property: eq[1], kind: "eq", values: literals(eq[2]) };
    if (inList) {
        const values = literals(inList[2]);
        const count = [...inList[2].matchAll(new RegExp(LITERAL, "g"))].length;
        if (count > MAX_IN_VALUES) throw new GraphError(400, "Request_UnsupportedQuery", `Too many values in an 'in' filter clause: ${count}; at most ${MAX_IN_VALUES} are allowed.`);
        return { property: inList[1], kind: "in", values };
    }
    const at = filter.search(/'(?!')[^']*$/);
    throw new GraphError(400, "BadRequest", `Invalid filter clause: syntax error at position ${at < 0 ? filter.length : at} in '${filter}'.`);
}

function literals(text: string): Set<string> {
    return new Set([...text.matchAll(new RegExp(LITERAL, "g"))].map(([l]) => l.slice(1, -1).replace(/''/g, "'").toLowerCase()));
}

/** The clauses between top-level ` or `s (any case), never inside a quoted literal. */
function splitOr(filter: string): string[] {
    const clauses: string[] = [];
    let start = 0;
    let quoted = false;
    for (let i = 0; i < filter.length; i++) {
        if (filter[i] === "'") quoted = !quoted;
        if (quoted) continue;
        const or = /^\s+or\s+/i.exec(filter.slice(i));
        if (or) {
            clauses.push(filter.slice(start, i));
            start = i + or[0].length;
            i = start - 1;
        }
    }
    clauses.push(filter.slice(start));
    return clauses;
}
