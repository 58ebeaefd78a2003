// The reads behind a failed lookup's hint (plan/lookup-hints.ts): which groups or apps share the
// name the azuread provider found several of, and which names are near one it found none of.
// Each is one Graph request, its first page only, made only after the provider's lookup failed.
import { GraphClient, GraphRequestError } from "./client";
import { odataString } from "./directory";

export type NamedKind = "group" | "app";

/** A group or service principal that has the display name looked up, as a hint lists it. */
export interface NamedObject {
    /** What a guest file writes instead of the name: a group's object ID, an app's client ID (`appId`). */
    ref: string;
    displayName: string;
    description: string | null;
    /** A group's creation time; null for a service principal, whose v1.0 resource has none. */
    createdDateTime: string | null;
}

export interface NamedObjects {
    objects: NamedObject[];
    /** Graph has more on a page this read did not follow. */
    more: boolean;
}

const COLLECTION = { group: "/groups", app: "/servicePrincipals" } as const;
const SELECT = { group: "id,displayName,description,createdDateTime", app: "id,appId,displayName,description" } as const;
/** The largest page Graph serves for groups and service principals (group-list, serviceprincipal-list). */
const PAGE = "999";

interface Answer {
    value?: { id?: unknown; appId?: unknown; displayName?: unknown; description?: unknown; createdDateTime?: unknown }[];
    "@odata.nextLink"?: string;
}

const text = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** An answer that is no list, refused as the client refuses such a page (graph/client.ts). */
const noList = (path: string) => new GraphRequestError({ status: 200, code: "UnexpectedResponse", graphMessage: "the answer has no `value` list", method: "GET", path });

/**
 * `GET /groups?$filter=displayName eq '<name>'&$select=id,displayName,description,createdDateTime&$top=999`
 * (service principals: `/servicePrincipals`, `$select=id,appId,displayName,description`): the
 * filter the provider's data sources send (a quote doubled here, so any name can be read), on
 * the default index, without the advanced query parameters, so it sees what the provider saw.
 */
export async function objectsNamed(graph: GraphClient, what: NamedKind, name: string): Promise<NamedObjects> {
    const page = await graph.get<Answer>(COLLECTION[what], { $filter: `displayName eq ${odataString(name)}`, $select: SELECT[what], $top: PAGE });
    if (!Array.isArray(page?.value)) throw noList(COLLECTION[what]);
    const objects = page.value.map((o) => ({
        ref: text(what === "group" ? o.id : o.appId) ?? "",
        displayName: text(o.displayName) ?? "",
        description: text(o.description),
        createdDateTime: what === "group" ? text(o.createdDateTime) : null,
    }));
    return { objects, more: page["@odata.nextLink"] !== undefined };
}

/** The most words of a name searched for: enough for a long name, a short query for any. */
export const SEARCH_WORDS = 5;
/** How much of each word is searched for: a typo after it still finds the name. */
export const SEARCH_PREFIX = 3;

/**
 * The `$search` for names near `name`: one `"displayName:<start of a word>"` clause per word
 * (letters or digits, at least 2), joined by OR, or undefined when the name has no such word.
 * Graph splits names into words and matches a clause's words to them in any order and case
 * (learn.microsoft.com/graph/search-query-parameter, "Using $search on directory object
 * collections"), the start of a word being enough (the page's example for a user's display name
 * is `displayName:Guthr`; tools/sim/tenant/search.ts answers the same way). So "Partners -
 * Fabrikm" searches "par" OR "fab", which finds "Partners - Fabrikam". A clause holds letters and
 * digits only, so nothing from a guest file needs escaping in it.
 */
export function similarNamesSearch(name: string): string | undefined {
    const words = (name.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 2);
    const starts = [...new Set(words.map((w) => [...w].slice(0, SEARCH_PREFIX).join("").toLowerCase()))].slice(0, SEARCH_WORDS);
    return starts.length === 0 ? undefined : starts.map((s) => `"displayName:${s}"`).join(" OR ");
}

/**
 * `GET /groups?$search="displayName:par" OR "displayName:fab"&$select=displayName&$top=999&$count=true`
 * with `ConsistencyLevel: eventual` (service principals: `/servicePrincipals`): the display names
 * of the first page, for the caller to rank. `$search` on directory objects is an advanced
 * query: without that header Graph refuses it (learn.microsoft.com/graph/aad-advanced-queries,
 * "Error handling for advanced queries on directory objects"); serviceprincipal-list asks for
 * `$count=true` with it too. No request when the name has no word to search for.
 */
export async function similarNames(graph: GraphClient, what: NamedKind, name: string): Promise<string[]> {
    const search = similarNamesSearch(name);
    if (search === undefined) return [];
    const page = await graph.get<Answer>(COLLECTION[what], { $search: search, $select: "displayName", $top: PAGE, $count: "true" }, { ConsistencyLevel: "eventual" });
    if (!Array.isArray(page?.value)) throw noList(COLLECTION[what]);
    return page.value.flatMap((o) => (typeof o.displayName === "string" ? [o.displayName] : []));
}
