//go:build tools

// This module only pins the Pulumi CLI's module graph: engine/ensure.ts runs
// `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi` here, with go.sum checking every
// download. `go install pkg@version` cannot do it, because pkg/v3's go.mod has replace
// directives (the clipboard fork, copied into go.mod above).
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
