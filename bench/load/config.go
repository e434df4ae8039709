package main

import (
	"fmt"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// setting is one key of the bot's config, by its dotted path.
type setting struct {
	path  []string
	value any
}

func set(value any, path ...string) setting { return setting{path: path, value: value} }

// writeBotConfig writes dir/config.yaml: config.yaml.example with the
// given keys replaced, so that every other value is the one an operator
// starts from. The example's event post is copied beside it, since
// event.source is read relative to the config file.
func writeBotConfig(root, dir string, settings ...setting) (string, error) {
	data, err := os.ReadFile(filepath.Join(root, "config.yaml.example"))
	if err != nil {
		return "", fmt.Errorf("bot config: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return "", fmt.Errorf("bot config: parse config.yaml.example: %v", err)
	}
	for _, s := range settings {
		if err := setKey(doc.Content[0], s.path, s.value); err != nil {
			return "", fmt.Errorf("bot config: %w", err)
		}
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return "", fmt.Errorf("bot config: %w", err)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		return "", fmt.Errorf("bot config: %w", err)
	}
	const post = "examples/open-source-experience-2023.md"
	data, err = os.ReadFile(filepath.Join(root, post))
	if err != nil {
		return "", fmt.Errorf("bot config: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "examples"), 0o755); err != nil {
		return "", fmt.Errorf("bot config: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, post), data, 0o644); err != nil {
		return "", fmt.Errorf("bot config: %w", err)
	}
	return path, nil
}

// setKey sets a key of a YAML mapping, creating the mappings on its path
// (a key only commented out in the example, such as reminders.schedule,
// is added).
func setKey(m *yaml.Node, path []string, value any) error {
	if m.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: not a mapping", path[0])
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != path[0] {
			continue
		}
		if len(path) > 1 {
			return setKey(m.Content[i+1], path[1:], value)
		}
		var v yaml.Node
		if err := v.Encode(value); err != nil {
			return fmt.Errorf("%s: %w", path[0], err)
		}
		m.Content[i+1] = &v
		return nil
	}
	key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: path[0]}
	child := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	m.Content = append(m.Content, key, child)
	if len(path) > 1 {
		return setKey(child, path[1:], value)
	}
	return child.Encode(value)
}
