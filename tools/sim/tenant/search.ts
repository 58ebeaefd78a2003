import { GraphError } from "./errors";

// `$search` on directory objects, as learn.microsoft.com/graph/search-query-parameter ("Using
// $search on directory object collections") describes it. Cited per rule below.

/**
 * "For directory objects, `$search` works only in advanced queries. If the ConsistencyLevel
 * header is not specified, the request returns an error", with this code and message
 * (learn.microsoft.com/graph/aad-advanced-queries, "Error handling for advanced queries on
 * directory objects"; the page gives no status: 400 is ours, as for Graph's other refusals).
 * `$count=true` is not needed: the advanced query parameters are the header "and, with the
 * exception of `$search`, `$count`" (same page). serviceprincipal-list asks for both; the client
 * sends both.
 */
export const SEARCH_NEEDS_HEADER = "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'";

export function searchWithoutHeader(): GraphError {
    return new GraphError(400, "Request_UnsupportedQuery", SEARCH_NEEDS_HEADER);
}

/** One `"<property>:<text>"` clause: the text's tokens, each to be found in the property's. */
interface Clause {
    property: string;
    tokens: string[];
}

/**
 * A `$search` value's test. The syntax: `"clause1" [AND | OR] "clauseX"`, each clause
 * `"<property>:<text to search>"` inside double quotes, a double quote or backslash in it escaped
 * with a backslash, `AND` and `OR` outside the quotes and in upper case (search-query-parameter,
 * "The syntax of search follows these rules"); AND binds tighter than OR, as in OData. Graph
 * tokenizes only displayName and description and treats other properties as `startsWith`: the
 * simulated Graph searches only `searchable` ones (tokenized) and refuses the rest, parentheses
 * and any other form with a 400, rather than guess.
 */
export function parseSearch(search: string, searchable: readonly string[]): (o: Record<string, unknown>) => boolean {
    const groups: Clause[][] = [[]];
    let i = 0;
    const refuse = (why: string) => new GraphError(400, "BadRequest", `Invalid $search '${search}': ${why} (the simulated Graph takes "<property>:<text>" clauses joined by AND or OR).`);
    for (;;) {
        const m = /^\s*"((?:[^"\\]|\\.)*)"\s*/.exec(search.slice(i));
        if (!m) throw refuse(`expected a clause in double quotes at position ${i}`);
        i += m[0].length;
        const text = m[1].replace(/\\(.)/g, "$1");
        const colon = text.indexOf(":");
        const property = colon < 0 ? "" : text.slice(0, colon);
        if (!searchable.includes(property)) throw refuse(`the simulated Graph searches only ${searchable.join(" and ")}, got "${property}"`);
        const tokens = tokenize(text.slice(colon + 1)).words;
        if (tokens.length === 0) throw refuse(`the clause "${text}" has no word to search for`);
        groups[groups.length - 1].push({ property, tokens });
        if (i >= search.length) break;
        const op = /^(AND|OR)\s+/.exec(search.slice(i));
        if (!op) throw refuse(`expected AND or OR at position ${i}`);
        i += op[0].length;
        if (op[1] === "OR") groups.push([]);
    }
    return (o) => groups.some((all) => all.every((c) => matches(o[c.property], c.tokens)));
}

/**
 * Every token of the search text must begin a token of the value, in any order and any case:
 * "the tokens are matched independently of the original casing, and they are matched in any
 * order", and Graph does not do "contains". That the start of a token is enough the page shows
 * rather than says: its example for a user's display name is `displayName:Guthr`.
 */
function matches(value: unknown, tokens: string[]): boolean {
    if (typeof value !== "string") return false;
    const own = tokenize(value);
    const all = [...own.words, ...own.joined];
    return tokens.every((t) => all.some((v) => v.startsWith(t)));
}

/**
 * The page's tokenization: words are split at spaces, symbols, between letters and digits, and
 * where the case changes from lower to upper (`HelloWorld` is `hello`, `world`; `HELLOworld` is
 * one token), then lower-cased; words separated only by symbols also count joined
 * (`hello.world` is found by `helloworld`). Symbols themselves are not searched for here.
 */
export function tokenize(text: string): { words: string[]; joined: string[] } {
    const words: string[] = [];
    const joined: string[] = [];
    for (const chunk of text.split(/\s+/)) {
        const parts: string[] = [];
        let current = "";
        let prev = "";
        for (const ch of chunk) {
            const kind = /\p{L}/u.test(ch) ? "L" : /\p{N}/u.test(ch) ? "N" : "S";
            const prevKind = prev === "" ? "" : /\p{L}/u.test(prev) ? "L" : /\p{N}/u.test(prev) ? "N" : "S";
            const caseBreak = kind === "L" && prevKind === "L" && /\p{Ll}/u.test(prev) && /\p{Lu}/u.test(ch);
            if (current !== "" && (kind !== prevKind || caseBreak || kind === "S")) {
                parts.push(current);
                current = "";
            }
            if (kind !== "S") current += ch;
            prev = ch;
        }
        if (current !== "") parts.push(current);
        const lower = parts.map((p) => p.toLowerCase());
        words.push(...lower);
        if (lower.length > 1 && /[^\p{L}\p{N}]/u.test(chunk)) joined.push(lower.join(""));
    }
    return { words, joined };
}
