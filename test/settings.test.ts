import { strict as assert } from "assert";
import { parseSettings } from "../roster/rules/settings";

describe("stack settings", () => {
    it("reads Pulumi's text values into lists, numbers and booleans", async () => {
        const result = parseSettings({ guests: '["guests/a","guests/b-*.csv"]', maxRemovals: "25", restrictToCatalog: "true", allowedDomains: '["Fabrikam.com","*.fabrikam.com"]' }, "stack dev");
        assert.ok(result.ok);
        assert.deepEqual(
            [result.settings.guests, result.settings.maxRemovals, result.settings.restrictToCatalog, result.settings.allowedDomains, result.settings.confirmRemovals],
            [["guests/a", "guests/b-*.csv"], 25, true, ["fabrikam.com", "*.fabrikam.com"], 0],
        );
    });

    it("names every bad key with its value and the command that fixes it", async () => {
        const result = parseSettings({ guests: "[5]", allowedDomains: 7, maxRemovals: "many", restrictToCatalog: "yes", asOf: "tomorrow" }, "Pulumi.dev.yaml");
        assert.deepEqual(result.ok ? [] : result.errors, [
            'Pulumi.dev.yaml: config `entra-guests:guests` must be a list of paths (got "[5]"); set it with `pulumi config set entra-guests:guests <value>`',
            'Pulumi.dev.yaml: config `entra-guests:asOf` must be a date written YYYY-MM-DD, or empty for today (got "tomorrow"); set it with `pulumi config set entra-guests:asOf <value>`',
            "Pulumi.dev.yaml: config `entra-guests:allowedDomains` must be a list of domains, like [fabrikam.com, *.fabrikam.com] (got 7); set it with `pulumi config set entra-guests:allowedDomains <value>`",
            'Pulumi.dev.yaml: config `entra-guests:restrictToCatalog` must be true or false (got "yes"); set it with `pulumi config set entra-guests:restrictToCatalog <value>`',
            'Pulumi.dev.yaml: config `entra-guests:maxRemovals` must be a whole number (got "many"); set it with `pulumi config set entra-guests:maxRemovals <value>`',
        ]);
    });
});
