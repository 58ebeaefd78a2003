import { credentialEnvironment } from "../components/tenant-reads";
import { strict as assert } from "assert";
import { createServer } from "http";
import { AddressInfo } from "net";
import { AzureCliCredential, ClientAssertionCredential, ClientSecretCredential, EnvironmentCredential } from "@azure/identity";
import { chooseCredential, CredentialChoice, credentialFor, graphClientFromEnvironment } from "../graph";
import { githubIdToken } from "../graph/credentials";

const TENANT = "00000000-0000-0000-0000-00000000e1d0";
const CLIENT = "55555555-5555-4555-8555-555555555555";
const ids = { ARM_TENANT_ID: TENANT, ARM_CLIENT_ID: CLIENT };
const github = { ACTIONS_ID_TOKEN_REQUEST_URL: "https://runner.example/token?api-version=2.0", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "req" };

describe("Graph credentials from the environment", () => {
    const table: [string, Record<string, string>, CredentialChoice][] = [
        ["the simulated Graph wins over everything", { ENTRA_GUESTS_GRAPH_URL: "http://127.0.0.1:1/v1.0", ENTRA_GUESTS_GRAPH_TOKEN: "t", ...ids, ARM_CLIENT_SECRET: "s" }, { kind: "static", url: "http://127.0.0.1:1/v1.0", token: "t" }],
        ["a client secret", { ...ids, ARM_CLIENT_SECRET: "s" }, { kind: "clientSecret", tenantId: TENANT, clientId: CLIENT, secret: { value: "s" } }],
        ["a client secret in a file", { ...ids, ARM_CLIENT_SECRET_FILE_PATH: "/run/secret" }, { kind: "clientSecret", tenantId: TENANT, clientId: CLIENT, secret: { file: "/run/secret" } }],
        ["a secret beats OIDC, as in the provider", { ...ids, ARM_CLIENT_SECRET: "s", ARM_USE_OIDC: "true", ...github }, { kind: "clientSecret", tenantId: TENANT, clientId: CLIENT, secret: { value: "s" } }],
        ["GitHub OIDC from the runner's variables", { ...ids, ARM_USE_OIDC: "true", ...github }, { kind: "githubOidc", tenantId: TENANT, clientId: CLIENT, requestUrl: github.ACTIONS_ID_TOKEN_REQUEST_URL, requestToken: "req" }],
        ["ARM_OIDC_REQUEST_* before the runner's", { ...ids, ARM_USE_OIDC: "TRUE", ...github, ARM_OIDC_REQUEST_URL: "https://other/t", ARM_OIDC_REQUEST_TOKEN: "r2" }, { kind: "githubOidc", tenantId: TENANT, clientId: CLIENT, requestUrl: "https://other/t", requestToken: "r2" }],
        ["an OIDC token given", { ...ids, ARM_USE_OIDC: "true", ARM_OIDC_TOKEN: "jwt", ...github }, { kind: "oidcToken", tenantId: TENANT, clientId: CLIENT, token: { value: "jwt" } }],
        ["an OIDC token in a file", { ...ids, ARM_USE_OIDC: "true", ARM_OIDC_TOKEN_FILE_PATH: "/var/run/token" }, { kind: "oidcToken", tenantId: TENANT, clientId: CLIENT, token: { file: "/var/run/token" } }],
        ["runner variables without ARM_USE_OIDC are not used", { ...ids, ...github }, { kind: "azureCli", tenantId: TENANT }],
        ["AZURE_* variables", { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: "s" }, { kind: "environment" }],
        ["AZURE_* without a secret is not enough", { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT }, { kind: "azureCli" }],
        ["nothing: the engineer's az login", {}, { kind: "azureCli" }],
        ["blank values count as unset", { ARM_CLIENT_SECRET: " ", ENTRA_GUESTS_GRAPH_URL: "" }, { kind: "azureCli" }],
    ];
    for (const [name, env, choice] of table) it(`${name} -> ${choice.kind}`, () => assert.deepEqual(chooseCredential(env), choice));

    const refusals: [string, Record<string, string>, string][] = [
        ["a URL without its token", { ENTRA_GUESTS_GRAPH_URL: "http://127.0.0.1:1/v1.0" }, "ENTRA_GUESTS_GRAPH_URL is set but ENTRA_GUESTS_GRAPH_TOKEN is not; set the bearer token the local Graph expects"],
        ["a secret without IDs", { ARM_CLIENT_SECRET: "s" }, "ARM_CLIENT_SECRET is set but ARM_TENANT_ID and ARM_CLIENT_ID are not; set them to the app registration's tenant and client ID"],
        ["OIDC without the client ID", { ARM_TENANT_ID: TENANT, ARM_USE_OIDC: "true", ARM_OIDC_TOKEN: "jwt" }, "ARM_USE_OIDC is set but ARM_CLIENT_ID is not; set it to the app registration's tenant and client ID"],
        [
            "OIDC without a token source",
            { ...ids, ARM_USE_OIDC: "true" },
            "ARM_USE_OIDC is true but there is no ID token: set ARM_OIDC_TOKEN or ARM_OIDC_TOKEN_FILE_PATH, or in GitHub Actions give the job `permissions: id-token: write` (which sets ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN)",
        ],
    ];
    for (const [name, env, message] of refusals) it(`refuses ${name}`, () => assert.throws(() => chooseCredential(env), { message }));

    it("builds the @azure/identity credential for each choice, without signing in", () => {
        assert.ok(credentialFor({ kind: "clientSecret", tenantId: TENANT, clientId: CLIENT, secret: { value: "s" } }) instanceof ClientSecretCredential);
        assert.ok(credentialFor({ kind: "oidcToken", tenantId: TENANT, clientId: CLIENT, token: { value: "jwt" } }) instanceof ClientAssertionCredential);
        assert.ok(credentialFor({ kind: "githubOidc", tenantId: TENANT, clientId: CLIENT, requestUrl: "https://r/t", requestToken: "x" }) instanceof ClientAssertionCredential);
        assert.ok(credentialFor({ kind: "environment" }) instanceof EnvironmentCredential);
        assert.ok(credentialFor({ kind: "azureCli" }) instanceof AzureCliCredential);
    });

    it("points the client at ENTRA_GUESTS_GRAPH_URL, and at graph.microsoft.com otherwise", () => {
        assert.equal(graphClientFromEnvironment({ ENTRA_GUESTS_GRAPH_URL: "http://127.0.0.1:9/v1.0/", ENTRA_GUESTS_GRAPH_TOKEN: "t" }).baseUrl, "http://127.0.0.1:9/v1.0");
        assert.equal(graphClientFromEnvironment({}).baseUrl, "https://graph.microsoft.com/v1.0");
    });

    it("asks the GitHub runner for an ID token for Entra's federation audience", async () => {
        const seen: { url?: string; auth?: string }[] = [];
        const runner = createServer((req, res) => {
            seen.push({ url: req.url, auth: req.headers.authorization });
            res.end(JSON.stringify({ value: "id-token" }));
        });
        await new Promise<void>((resolve) => runner.listen(0, "127.0.0.1", resolve));
        try {
            const port = (runner.address() as AddressInfo).port;
            assert.equal(await githubIdToken(`http://127.0.0.1:${port}/idtoken?api-version=2.0`, "req-token"), "id-token");
            assert.deepEqual(seen, [{ url: "/idtoken?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange", auth: "Bearer req-token" }]);
        } finally {
            runner.closeAllConnections();
            await new Promise((resolve) => runner.close(resolve));
        }
    });
});

describe("the program's Graph credential follows the provider's stack config", () => {
    it("maps azuread:* config to the ARM_* variables, config winning over the environment", () => {
        const env = credentialEnvironment({ "azuread:tenantId": "t-config", "azuread:clientId": "c-config", "azuread:clientSecret": "s-config", "entra-guests:asOf": "x" }, { ARM_TENANT_ID: "t-env", ARM_CLIENT_ID: "c-env", PATH: "/bin" });
        assert.deepEqual([env.ARM_TENANT_ID, env.ARM_CLIENT_ID, env.ARM_CLIENT_SECRET, env.PATH], ["t-config", "c-config", "s-config", "/bin"]);
        assert.equal(chooseCredential(env).kind, "clientSecret");
        const untouched = credentialEnvironment({}, { ARM_TENANT_ID: "t-env" });
        assert.deepEqual(untouched, { ARM_TENANT_ID: "t-env" });
    });
});
