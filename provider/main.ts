// The entra-guests provider plugin: the engine starts it as `pulumi-resource-entraguests`
// (bin/), found through Pulumi.yaml's `plugins` entry. It prints its port first (the server does).
import { main } from "@pulumi/pulumi/provider";
import { ProviderArgs } from "../plan/guest-user";
import { EntraGuestsProvider } from "./provider";

const provider = new EntraGuestsProvider();

// The Node provider server answers Configure without handing the provider its arguments
// (@pulumi/pulumi provider/server.js `configure`), and logs every failed call with a stack to
// stderr. Its gRPC service is registered through grpc-js's addService: wrap configure to read the
// arguments the program gave the provider instance, and keep the stacks out of the log (the
// engine shows each failure's message with its resource).
type Call = { request: { getArgs(): { toJavaScript(): Record<string, unknown> } | undefined } };
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [require.resolve("@pulumi/pulumi")] })) as Record<string, unknown>;
const grpc = fromPulumi("@grpc/grpc-js") as { Server: { prototype: { addService(service: unknown, impl: Record<string, unknown>): void } } };
const addService = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (service, impl) {
    const configure = (impl.configure as (call: Call, callback: unknown) => void).bind(impl);
    impl.configure = (call: Call, callback: unknown) => {
        provider.configure(plainArgs(call.request.getArgs()?.toJavaScript() ?? {}));
        configure(call, callback);
    };
    addService.call(this, service, impl);
};
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
    if (typeof args[0] === "string" && /^(Error|GraphRequestError|InitError): /.test(args[0])) return;
    consoleError(...args);
};

/** The arguments as text; a secret arrives as Pulumi's secret wrapper `{ <sig>: <secret sig>, value }`. */
function plainArgs(raw: Record<string, unknown>): ProviderArgs {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
        const value = v !== null && typeof v === "object" && "value" in (v as Record<string, unknown>) ? (v as { value: unknown }).value : v;
        if (typeof value === "string") out[k] = value;
        else if (typeof value === "boolean") out[k] = String(value);
    }
    return out;
}

void main(provider, process.argv.slice(2));
