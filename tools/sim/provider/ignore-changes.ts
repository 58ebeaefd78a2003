/**
 * The engine sends `ignoreChanges` with every Diff, and the bridge drops those paths from the
 * Terraform diff it computes between the state and the new inputs (bridge v3.130.0
 * pkg/tfbridge/provider.go:1162-1168). The Node provider server passes the provider's `diff`
 * only the old outputs and the new inputs, so main.ts records the list per URN here, from the
 * gRPC request, just before the server calls `diff`.
 */
export const ignoreChangesByUrn = new Map<string, string[]>();

/** A copy of `value` without the given property paths (`message` or `message.body`). */
export function withoutPaths(value: Record<string, unknown>, paths: string[]): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(value ?? {})) as Record<string, unknown>;
    for (const p of paths) {
        const parts = p.split(".");
        let at: Record<string, unknown> | undefined = copy;
        for (const part of parts.slice(0, -1)) at = at?.[part] as Record<string, unknown> | undefined;
        if (at && typeof at === "object") delete at[parts[parts.length - 1]];
    }
    return copy;
}
