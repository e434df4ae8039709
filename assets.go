// Package bluehatsbot holds the files shipped inside the binary: the
// example configuration and the example site post the demo runs with.
package bluehatsbot

import _ "embed"

// ExampleConfig is config.yaml.example, the fully commented configuration.
//
//go:embed config.yaml.example
var ExampleConfig []byte

// ExamplePost is the site post of the first event the bot served.
//
//go:embed examples/open-source-experience-2023.md
var ExamplePost []byte
