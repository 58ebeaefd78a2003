//go:build tools

// Pins the Node.js language host's module graph for engine/ensure.ts. Its own module,
// github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, is refused by the Go
// module proxy this project builds from (403 "This module version is not available", for
// every version); v3.68.0 is the last release whose sdk/v3 module still holds the host as a
// package. See engine/README.md for what that costs.
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
