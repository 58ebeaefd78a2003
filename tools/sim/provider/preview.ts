/**
 * The engine sends `preview` with every Update (pulumi pkg/resource/deploy/step.go:982 at v3.248.0),
 * and the bridge applies nothing in a preview. The Node provider server does not pass the flag to
 * the provider's `update` (provider/server.js), so main.ts records it per URN here, from the gRPC
 * request, just before the server calls `update`.
 */
export const previewByUrn = new Map<string, boolean>();
