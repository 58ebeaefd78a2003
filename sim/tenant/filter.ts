import { GraphError } from "./errors";

/**
 * The `$filter` forms the provider sends: `<property> eq '<literal>'`, where a quote inside the
 * literal must be doubled. Graph compares these properties case-insensitively. Anything else,
 * such as the unescaped `displayName eq 'O'Brien'` that the group data source builds, is a
 * syntax error, as on Graph (the message's wording here is ours, Graph's is not in the
 * provider's source).
 */
export function parseFilter(filter: string): (o: Record<string, unknown>) => boolean {
    const m = /^(\w+) eq '((?:[^']|'')*)'$/.exec(filter);
    if (!m) {
        const at = filter.search(/'(?!')[^']*$/);
        throw new GraphError(400, "BadRequest", `Invalid filter clause: syntax error at position ${at < 0 ? filter.length : at} in '${filter}'.`);
    }
    const [, property, literal] = m;
    const value = literal.replace(/''/g, "'").toLowerCase();
    return (o) => typeof o[property] === "string" && (o[property] as string).toLowerCase() === value;
}
