import { readFile } from "fs/promises";
import type { ClientSecretCredential, TokenCredential } from "@azure/identity";
import { GraphClient, GraphClientOptions } from "./client";

/**
 * @azure/identity, loaded when a credential is first built: it is 269 modules (MSAL,
 * jsonwebtoken, the Azure core pipeline), 0.1 s and 20 MB at start on the bench machine, which
 * commands that read no Graph (`validate`, `plan`) and runs against the simulated Graph never use.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const identity = (): typeof import("@azure/identity") => require("@azure/identity");

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
/** The audience Entra expects of a federated ID token (workload identity federation). */
export const FEDERATION_AUDIENCE = "api://AzureADTokenExchange";

type Env = Record<string, string | undefined>;

/**
 * How the Graph client signs in, picked from the environment. The ARM_* names are the azuread
 * provider's, so one set of CI variables serves both (terraform-provider-azuread v3.8.0,
 * `internal/provider/provider.go`: ARM_CLIENT_ID l.101, ARM_TENANT_ID l.115, ARM_CLIENT_SECRET
 * l.159, ARM_CLIENT_SECRET_FILE_PATH l.166, ARM_USE_OIDC l.174, ARM_OIDC_TOKEN l.181,
 * ARM_OIDC_TOKEN_FILE_PATH l.188, ARM_OIDC_REQUEST_TOKEN or ACTIONS_ID_TOKEN_REQUEST_TOKEN
 * l.202, ARM_OIDC_REQUEST_URL or ACTIONS_ID_TOKEN_REQUEST_URL l.209, ARM_USE_CLI l.225), tried
 * in the order of the go-azure-sdk it vendors (`sdk/auth/auth.go` l.59-158: secret, OIDC token,
 * GitHub OIDC, ..., Azure CLI). Not here: certificates, managed identity, Azure DevOps OIDC.
 */
export type CredentialChoice =
    /** ENTRA_GUESTS_GRAPH_URL: a local or simulated Graph, with a static bearer token. */
    | { kind: "static"; url: string; token: string }
    | { kind: "clientSecret"; tenantId: string; clientId: string; secret: { value: string } | { file: string } }
    /** ARM_USE_OIDC with a token given, or a file that holds it (re-read: such tokens rotate). */
    | { kind: "oidcToken"; tenantId: string; clientId: string; token: { value: string } | { file: string } }
    /** ARM_USE_OIDC in GitHub Actions: the ID token is fetched from the runner for each sign-in. */
    | { kind: "githubOidc"; tenantId: string; clientId: string; requestUrl: string; requestToken: string }
    /** AZURE_TENANT_ID and AZURE_CLIENT_ID with a secret or certificate: @azure/identity's own variables. */
    | { kind: "environment" }
    /** An engineer's `az login`. */
    | { kind: "azureCli"; tenantId?: string };

/** The first of several variables that is set and not blank. */
const first = (env: Env, ...names: string[]) => names.map((n) => env[n]?.trim()).find((v) => v !== undefined && v !== "");

/**
 * Which credential the environment asks for, or an Error saying which variable is missing.
 * Pure, so it is tested with tables (test/graph-credentials.test.ts).
 */
export function chooseCredential(env: Env = process.env): CredentialChoice {
    const url = first(env, "ENTRA_GUESTS_GRAPH_URL");
    if (url) {
        const token = first(env, "ENTRA_GUESTS_GRAPH_TOKEN");
        if (!token) throw new Error("ENTRA_GUESTS_GRAPH_URL is set but ENTRA_GUESTS_GRAPH_TOKEN is not; set the bearer token the local Graph expects");
        return { kind: "static", url, token };
    }
    const tenantId = first(env, "ARM_TENANT_ID");
    const clientId = first(env, "ARM_CLIENT_ID");
    const need = (what: string): { tenantId: string; clientId: string } => {
        const missing = [tenantId ? "" : "ARM_TENANT_ID", clientId ? "" : "ARM_CLIENT_ID"].filter(Boolean);
        if (missing.length) throw new Error(`${what} is set but ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not; set ${missing.length > 1 ? "them" : "it"} to the app registration's tenant and client ID`);
        return { tenantId: tenantId as string, clientId: clientId as string };
    };

    const secret = first(env, "ARM_CLIENT_SECRET");
    const secretFile = first(env, "ARM_CLIENT_SECRET_FILE_PATH");
    if (secret || secretFile) {
        return { kind: "clientSecret", ...need(secret ? "ARM_CLIENT_SECRET" : "ARM_CLIENT_SECRET_FILE_PATH"), secret: secret ? { value: secret } : { file: secretFile as string } };
    }
    if (first(env, "ARM_USE_OIDC")?.toLowerCase() === "true") {
        const token = first(env, "ARM_OIDC_TOKEN");
        const tokenFile = first(env, "ARM_OIDC_TOKEN_FILE_PATH");
        if (token || tokenFile) return { kind: "oidcToken", ...need("ARM_USE_OIDC"), token: token ? { value: token } : { file: tokenFile as string } };
        const requestUrl = first(env, "ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL");
        const requestToken = first(env, "ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN");
        if (requestUrl && requestToken) return { kind: "githubOidc", ...need("ARM_USE_OIDC"), requestUrl, requestToken };
        throw new Error(
            "ARM_USE_OIDC is true but there is no ID token: set ARM_OIDC_TOKEN or ARM_OIDC_TOKEN_FILE_PATH, or in GitHub Actions give the job `permissions: id-token: write` (which sets ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN)",
        );
    }
    if (first(env, "AZURE_TENANT_ID") && first(env, "AZURE_CLIENT_ID") && first(env, "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_USERNAME")) return { kind: "environment" };
    return { kind: "azureCli", ...(tenantId ? { tenantId } : {}) };
}

/** The @azure/identity credential for a choice (not for "static", which needs none). */
export function credentialFor(choice: Exclude<CredentialChoice, { kind: "static" }>): TokenCredential {
    const { AzureCliCredential, ClientAssertionCredential, ClientSecretCredential, EnvironmentCredential } = identity();
    switch (choice.kind) {
        case "clientSecret": {
            if ("value" in choice.secret) return new ClientSecretCredential(choice.tenantId, choice.clientId, choice.secret.value);
            // ClientSecretCredential wants the value up front; the file is read when a token is first needed.
            return lazySecret(choice.tenantId, choice.clientId, choice.secret.file);
        }
        case "oidcToken": {
            const token = choice.token;
            return new ClientAssertionCredential(choice.tenantId, choice.clientId, async () => ("value" in token ? token.value : (await readFile(token.file, "utf8")).trim()));
        }
        case "githubOidc":
            return new ClientAssertionCredential(choice.tenantId, choice.clientId, () => githubIdToken(choice.requestUrl, choice.requestToken));
        case "environment":
            return new EnvironmentCredential();
        case "azureCli":
            return new AzureCliCredential(choice.tenantId ? { tenantId: choice.tenantId } : {});
    }
}

/**
 * An ID token from the GitHub Actions runner for Entra's federation audience: GET the request
 * URL with `audience=api://AzureADTokenExchange` and the request token as bearer; the answer is
 * `{ "value": "<jwt>" }` (docs.github.com, "Configuring OpenID Connect in cloud providers").
 */
export async function githubIdToken(requestUrl: string, requestToken: string): Promise<string> {
    const url = new URL(requestUrl);
    url.searchParams.set("audience", FEDERATION_AUDIENCE);
    const res = await fetch(url, { headers: { Authorization: `Bearer ${requestToken}`, Accept: "application/json" } });
    if (!res.ok) throw new Error(`the GitHub Actions runner refused an ID token (${res.status}); does the job have \`permissions: id-token: write\`?`);
    const body = (await res.json()) as { value?: unknown };
    if (typeof body.value !== "string" || body.value === "") throw new Error("the GitHub Actions runner answered without an ID token");
    return body.value;
}

function lazySecret(tenantId: string, clientId: string, file: string): TokenCredential {
    let inner: Promise<ClientSecretCredential> | undefined;
    return {
        getToken: async (scopes, options) => {
            inner ??= readFile(file, "utf8").then((s) => new (identity().ClientSecretCredential)(tenantId, clientId, s.trim()));
            return (await inner).getToken(scopes, options);
        },
    };
}

/**
 * The Graph client for this environment: ENTRA_GUESTS_GRAPH_URL and its static token when set
 * (the simulated Graph), otherwise graph.microsoft.com with a token for GRAPH_SCOPE from the
 * credential chooseCredential picks. Tokens are cached until five minutes before they expire.
 */
export function graphClientFromEnvironment(env: Env = process.env, options: Omit<GraphClientOptions, "token" | "baseUrl"> = {}): GraphClient {
    const choice = chooseCredential(env);
    if (choice.kind === "static") return new GraphClient({ ...options, baseUrl: choice.url, token: async () => choice.token });
    const credential = credentialFor(choice);
    return new GraphClient({ ...options, token: cachedToken(choice.kind === "azureCli" ? lastResort(credential) : credential) });
}

/** Said when nothing in the environment names a credential and the Azure CLI has none either. */
export const NO_CREDENTIAL =
    "no Azure credential: the environment names none (ARM_TENANT_ID and ARM_CLIENT_ID with ARM_CLIENT_SECRET or ARM_USE_OIDC, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET), and the Azure CLI has no sign-in (run `az login`); against the simulated tenant, run the command as `npm run sim -- entra-guests <command>`";

/**
 * The Azure CLI is the last resort when the environment names no credential; its own failure
 * ("Azure CLI could not be found", "Please run 'az login'") says nothing of the variables that
 * were the point. One line naming them instead, still a CredentialUnavailableError.
 */
function lastResort(credential: TokenCredential): TokenCredential {
    return {
        getToken: async (scopes, options) => {
            try {
                return await credential.getToken(scopes, options);
            } catch (err) {
                if ((err as { name?: string }).name !== "CredentialUnavailableError") throw err;
                throw Object.assign(new Error(NO_CREDENTIAL), { name: "CredentialUnavailableError" });
            }
        },
    };
}

function cachedToken(credential: TokenCredential): () => Promise<string> {
    let cached: { token: string; expiresOn: number } | undefined;
    return async () => {
        if (cached && cached.expiresOn - Date.now() > 5 * 60_000) return cached.token;
        const t = await credential.getToken(GRAPH_SCOPE);
        if (!t) throw new Error(`no token for ${GRAPH_SCOPE}: sign in with \`az login\`, or set the CI credential variables (ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET or ARM_USE_OIDC)`);
        cached = { token: t.token, expiresOn: t.expiresOnTimestamp };
        return t.token;
    };
}
