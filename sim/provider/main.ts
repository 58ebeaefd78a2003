// The simulated tenant's provider plugin: the engine starts it as `pulumi-resource-azuread`
// (a wrapper that sim/environment.ts installs into the plugin cache as azuread v6.9.1).
import { main } from "@pulumi/pulumi/provider";
import { TenantStore } from "../tenant/store";
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

void main(new SimulatedAzureAd(new TenantStore(tenant), scale), process.argv.slice(2));
