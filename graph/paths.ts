// How the client writes a call: the URL it sends, and the path errors and wait lines name.

/** Query options by name, values unencoded: `{ $filter: "userType eq 'Guest'", $top: "999" }`. */
export type Query = Record<string, string>;

/** Request headers by name, such as `ConsistencyLevel: eventual` for an advanced query. */
export type Headers = Record<string, string>;

/** Graph's OData parser wants spaces as %20, not +; `$` and `,` may stay as they are, for readable logs. */
function encodeValue(v: string): string {
    return encodeURIComponent(v).replace(/%24/g, "$").replace(/%2C/g, ",");
}

/** The path and its encoded query, relative to the base URL: what a batch's sub-request asks for. */
export function relativeUrl(path: string, query: Query): string {
    const pairs = Object.entries(query).map(([k, v]) => `${k}=${encodeValue(v)}`);
    return `${path}${pairs.length ? `?${pairs.join("&")}` : ""}`;
}

/** The call as errors name it: the path and its query, decoded. */
export function describe(path: string, query: Query): string {
    const pairs = Object.entries(query).map(([k, v]) => `${k}=${v}`);
    return pairs.length ? `${path}?${pairs.join("&")}` : path;
}
