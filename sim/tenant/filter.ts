import { GraphError } from "./errors";

/**
 * Graph's limit on `in`: 15 values per filter clause by default (learn.microsoft.com/graph/
 * filter-query-parameter, "Operators and functions supported in filter expressions", and the
 * known issues it links to). The message is ours; Graph's wording is not documented.
 */
export const MAX_IN_VALUES = 15;

const LITERAL = "'(?:[^']|'')*'";

/**
 * The `$filter` forms the provider and the Graph client send: `<property> eq '<literal>'` and
 * `<property> in ('<literal>', ...)`, where a quote inside a literal must be doubled. Graph
 * compares these properties case-insensitively. Anything else, such as the unescaped
 * `displayName eq 'O'Brien'` that the group data source builds, is a syntax error, as on Graph
 * (the message's wording here is ours, Graph's is not in the provider's source).
 */
export function parseFilter(filter: string): (o: Record<string, unknown>) => boolean {
    return parseFilterClause(filter).test;
}

/** The filter's property and its test, for a caller that accepts only some properties. */
export function parseFilterClause(filter: string): { property: string; test: (o: Record<string, unknown>) => boolean } {
    const eq = new RegExp(`^(\\w+) eq (${LITERAL})$`).exec(filter);
    const inList = new RegExp(`^(\\w+) in \\(\\s*(${LITERAL}(?:\\s*,\\s*${LITERAL})*)\\s*\\)$`).exec(filter);
    const m = eq ?? inList;
    if (!m) {
        const at = filter.search(/'(?!')[^']*$/);
        throw new GraphError(400, "BadRequest", `Invalid filter clause: syntax error at position ${at < 0 ? filter.length : at} in '${filter}'.`);
    }
    const [, property, literals] = m;
    const list = [...literals.matchAll(new RegExp(LITERAL, "g"))].map(([l]) => l.slice(1, -1).replace(/''/g, "'").toLowerCase());
    if (inList && list.length > MAX_IN_VALUES) {
        throw new GraphError(400, "Request_UnsupportedQuery", `Too many values in an 'in' filter clause: ${list.length}; at most ${MAX_IN_VALUES} are allowed.`);
    }
    const values = new Set(list);
    return { property, test: (o) => typeof o[property] === "string" && values.has((o[property] as string).toLowerCase()) };
}
