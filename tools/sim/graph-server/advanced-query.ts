import { GraphError } from "../tenant/errors";

/**
 * Advanced query capabilities on directory objects (learn.microsoft.com/graph/aad-advanced-queries):
 * the `ConsistencyLevel: eventual` header together with `$count=true`. Without the header,
 * Graph "silently ignores the `$count` query parameter" ("Error handling for advanced queries on
 * directory objects"), so `@odata.count` comes only with both.
 */
export function advancedQuery(q: CollectionQuery): boolean {
    const count = q.params.get("$count");
    if (count !== undefined && count !== "true" && count !== "false") {
        throw new GraphError(400, "BadRequest", `Invalid value '${count}' for $count: use true or false.`);
    }
    return q.consistencyLevel === "eventual" && count === "true";
}

/**
 * A `$filter` that joins clauses with `or` is answered only as an advanced query. The page does
 * not list `or` among the scenarios that need the advanced parameters, but it promises that a
 * query supported by default "will also work with advanced query parameters", so a client that
 * sends them is right on Graph either way, and one that does not is refused here rather than
 * trusted. The message is the page's documented one for `endsWith` sent without the parameters,
 * with the operator's name changed.
 */
export function advancedQueryRequired(operator: string): GraphError {
    return new GraphError(
        400,
        "Request_UnsupportedQuery",
        `Operator '${operator}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
    );
}

/** The largest page of users Graph serves with signInActivity selected or filtered on. */
export const SIGN_IN_ACTIVITY_PAGE = 120;

/**
 * "When you specify $select=signInActivity or $filter=signInActivity while listing users, the
 * maximum page size for $top is 120" (learn.microsoft.com/graph/api/user-list, which goes on to
 * say larger pages shrink to 120). Graph has since answered such a request with an error, "Cannot
 * query data for more than 120 users at a time." (github.com/microsoftgraph/msgraph-sdk-powershell/
 * issues/1898), so the simulated Graph refuses it too. That report gives the text but neither the
 * status nor the OData code: 400 and UnknownError are ours.
 */
export function limitSignInActivityPage(top: number, select: string[], filter: string | undefined): void {
    const signIn = select.includes("signInActivity") || /signInActivity/i.test(filter ?? "");
    if (signIn && top > SIGN_IN_ACTIVITY_PAGE) throw new GraphError(400, "UnknownError", "Cannot query data for more than 120 users at a time.");
}

export interface CollectionQuery {
    /** `$filter`, `$select`, `$top`, `$skiptoken`, `$count`, decoded. */
    params: Map<string, string>;
    /** The request's `ConsistencyLevel` header, which advanced queries need (advanced-query.ts). */
    consistencyLevel?: string;
}
