// The simulated tenant's provider plugin: the engine starts it as `pulumi-resource-azuread`
// (a wrapper that tools/sim/environment.ts installs into the plugin cache as azuread v6.9.1).
import { main } from "@pulumi/pulumi/provider";
import { TenantStore } from "../tenant/store";
import { ignoreChangesByUrn } from "./ignore-changes";
import { previewByUrn } from "./preview";
import { SimulatedAzureAd } from "./provider";

const tenant = process.env.ENTRA_GUESTS_SIM_TENANT;
if (!tenant) {
    process.stderr.write("pulumi-resource-azuread (simulated): ENTRA_GUESTS_SIM_TENANT is not set; run it through `npm run sim` or the engine tests\n");
    process.exit(1);
}
/** 20 s in the provider -> 20 ms by default. */
const scale = Number(process.env.ENTRA_GUESTS_SIM_TIME_SCALE ?? "0.001");

// The provider server logs every failed call with its stack; the bridged provider reports
// errors only through the engine. Keep the tenant's own errors (Graph answers) out of stderr.
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("ProviderError: ")) return;
    consoleError(...args);
};

// Hand the provider the engine's ignoreChanges, which the provider server does not pass on
// (ignore-changes.ts). The server is registered through grpc-js's addService; wrap its diff.
type Handler = (call: { request: { getUrn(): string; getIgnorechangesList(): string[]; getProperties(): unknown; setProperties(p: unknown): void; getPreview(): boolean } }, callback: unknown) => void;
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [require.resolve("@pulumi/pulumi")] })) as Record<string, unknown>;
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb") as { Struct: new () => unknown };
const grpc = fromPulumi("@grpc/grpc-js") as {
    Server: { prototype: { addService(service: unknown, impl: Record<string, unknown>): void } };
};
const addService = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (service, impl) {
    const diff = (impl.diff as Handler).bind(impl);
    impl.diff = ((call, callback) => {
        ignoreChangesByUrn.set(call.request.getUrn(), call.request.getIgnorechangesList());
        diff(call, callback);
    }) as Handler;
    // An import reads with the ID alone: the engine sends no properties, and the server's read
    // would fail on them (provider/server.js, `req.getProperties().toJavaScript()`). The bridge
    // takes that as an import (pulumi-terraform-bridge v3.130.0 pkg/tfbridge/provider.go:1457-1460).
    const read = (impl.read as Handler).bind(impl);
    impl.read = ((call, callback) => {
        if (!call.request.getProperties()) call.request.setProperties(new Struct());
        read(call, callback);
    }) as Handler;
    // The bridge's Update applies nothing in a preview (preview.ts); the server drops the flag.
    const update = (impl.update as Handler).bind(impl);
    impl.update = ((call, callback) => {
        previewByUrn.set(call.request.getUrn(), call.request.getPreview());
        update(call, callback);
    }) as Handler;
    addService.call(this, service, impl);
};

void main(new SimulatedAzureAd(new TenantStore(tenant), scale), process.argv.slice(2));
