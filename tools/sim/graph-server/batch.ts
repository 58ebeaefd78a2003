import { z } from "zod";
import { GraphError } from "../tenant/errors";
import { Answer, errorAnswer } from "./answer";

/** "JSON batch requests are currently limited to 20 individual requests" (learn.microsoft.com/graph/json-batching). */
export const BATCH_LIMIT = 20;

const subRequest = z.strictObject({
    id: z.string().min(1),
    method: z.enum(["GET", "POST", "PATCH", "PUT", "DELETE"]),
    url: z.string().min(1),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
    dependsOn: z.array(z.string()).optional(),
});
const batchBody = z.strictObject({ requests: z.array(subRequest) });

export type SubRequest = z.infer<typeof subRequest>;

/** The requests of a `POST /$batch` body, or the 400 Graph answers a malformed batch with. The wording is ours. */
export function parseBatch(json: unknown): SubRequest[] {
    const parsed = batchBody.safeParse(json);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `\`${i.path.join(".")}\`: ${i.message}`).join("; ");
        throw new GraphError(400, "BadRequest", `Invalid batch request: ${problems}.`);
    }
    const requests = parsed.data.requests;
    if (requests.length === 0) throw new GraphError(400, "BadRequest", "Invalid batch request: `requests` is empty.");
    if (requests.length > BATCH_LIMIT) throw new GraphError(400, "BadRequest", `Invalid batch request: a batch holds at most ${BATCH_LIMIT} requests (got ${requests.length}).`);
    // "Not case-sensitive. Must be unique in the batch, otherwise, the batch request fails with a 400 error code."
    const seen = new Set<string>();
    for (const r of requests) {
        if (seen.has(r.id.toLowerCase())) throw new GraphError(400, "BadRequest", `Invalid batch request: the id "${r.id}" is used twice.`);
        seen.add(r.id.toLowerCase());
    }
    for (const r of requests) {
        if (r.dependsOn !== undefined) throw new GraphError(400, "BadRequest", "Invalid batch request: `dependsOn` is not supported by the simulated Graph (tools/sim/graph-server).");
        const type = Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === "content-type");
        if (r.body !== undefined && !type) throw new GraphError(400, "BadRequest", `Invalid batch request: request "${r.id}" has a body but no Content-Type header.`);
    }
    return requests;
}

/**
 * Each request dispatched in turn as if it came alone (its own faults, log line and status), and
 * the answers in reverse order: Graph may answer in any order and clients must match by `id`, so
 * the simulated Graph never answers in the order asked.
 */
export async function answerBatch(requests: SubRequest[], dispatch: (r: SubRequest) => Promise<Answer>): Promise<Answer> {
    const responses: { id: string; status: number; headers: Record<string, string>; body?: unknown }[] = [];
    for (const r of requests) {
        const a = await dispatch(r).catch(errorAnswer);
        responses.push({ id: r.id, status: a.status, headers: { "Content-Type": "application/json", ...a.headers }, ...(a.body !== undefined ? { body: a.body } : {}) });
    }
    return { status: 200, body: { responses: responses.reverse() } };
}
