// Package double is a test-double Pulumi resource provider: it answers the engine's gRPC calls
// for one package (gcp, azure-native, azuread, ...: one a registered cloud pins, at the version
// its provider facts are about) from that package's schema, without any cloud API.
package double

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// TypeSpec is the part of a Pulumi package-schema type that the double needs to synthesise a value.
type TypeSpec struct {
	Type                 string              `json:"type,omitempty"`
	Ref                  string              `json:"$ref,omitempty"`
	Items                *TypeSpec           `json:"items,omitempty"`
	AdditionalProperties *TypeSpec           `json:"additionalProperties,omitempty"`
	OneOf                []TypeSpec          `json:"oneOf,omitempty"`
	Enum                 []EnumValue         `json:"enum,omitempty"`
	Properties           map[string]TypeSpec `json:"properties,omitempty"`
}

// EnumValue is one value of an enum type.
type EnumValue struct {
	Value any `json:"value"`
}

// ObjectSpec is a set of properties (a resource's outputs, a function's result).
type ObjectSpec struct {
	Properties map[string]TypeSpec `json:"properties,omitempty"`
}

// ResourceSpec is a resource of the schema.
type ResourceSpec struct {
	InputProperties map[string]TypeSpec `json:"inputProperties,omitempty"`
	Properties      map[string]TypeSpec `json:"properties,omitempty"`
}

// FunctionSpec is a function (invoke) of the schema.
type FunctionSpec struct {
	Outputs *ObjectSpec `json:"outputs,omitempty"`
}

// Schema is a package schema: its raw text (served by GetSchema) and the parsed parts.
type Schema struct {
	Raw       []byte
	Name      string                  `json:"name"`
	Version   string                  `json:"version"`
	Resources map[string]ResourceSpec `json:"resources"`
	Functions map[string]FunctionSpec `json:"functions"`
	Types     map[string]TypeSpec     `json:"types"`
}

// LoadSchema reads `<dir>/<pkg>.json` and checks that it is the schema of pkg at version.
func LoadSchema(dir, pkg, version string) (*Schema, error) {
	path := filepath.Join(dir, pkg+".json")
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the schema of %s: %w", pkg, err)
	}
	s := &Schema{Raw: raw}
	if err := json.Unmarshal(raw, s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if s.Name != pkg || s.Version != version {
		return nil, fmt.Errorf("%s is the schema of %s %s, not of %s %s", path, s.Name, s.Version, pkg, version)
	}
	return s, nil
}
