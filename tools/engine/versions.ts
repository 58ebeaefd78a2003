import * as path from "path";
import { projectRoot } from "../../roster/read/project";

/**
 * The engine the engine tier runs: the Pulumi CLI and the Node.js language host, each built with
 * the ordinary `go` command from the pinned module graph under tools/engine/go/ (go.mod + go.sum).
 */
export const ENGINE = {
    /** The CLI: no older than the @pulumi/pulumi in package-lock.json (3.248.0). */
    pulumi: "3.248.0",
    /**
     * The language host. Its own module (sdk/nodejs/cmd/pulumi-language-nodejs/v3) is refused by
     * the Go module proxy here, for every version; sdk/v3 v3.68.0 is the last release that still
     * carries the host as a package (the split came in v3.69.0). tools/engine/README.md says what an
     * older host changes.
     */
    languageHost: "3.68.0",
} as const;

export interface GoBuild {
    /** What the progress lines call it. */
    label: string;
    /** The folder under tools/engine/go/ holding the pinning module. */
    module: string;
    /** The main package to build. */
    pkg: string;
    /** The executable's name in bin/. */
    binary: string;
    version: string;
}

export const BUILDS: GoBuild[] = [
    { label: `pulumi CLI v${ENGINE.pulumi}`, module: "cli", pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi", binary: "pulumi", version: ENGINE.pulumi },
    {
        label: `Node.js language host v${ENGINE.languageHost}`,
        module: "langhost",
        pkg: "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
        binary: "pulumi-language-nodejs",
        version: ENGINE.languageHost,
    },
];

/** tools/engine/go/<module> of this checkout, from dist/tools/engine or from tools/engine alike. */
export function moduleDir(build: GoBuild, from: string = __dirname): string {
    return path.join(projectRoot(from), "tools", "engine", "go", build.module);
}
