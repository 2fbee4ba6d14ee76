package double

// Deterministic synthesis of output values from schema types.

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// maxDepth bounds the nesting of synthesised objects (schemas have recursive types).
const maxDepth = 4

// base64Names are output properties that programs decode with fn::fromBase64.
var base64Names = map[string]bool{"privateKey": true, "publicKey": true, "publicKeyData": true}

// Synth builds the value of a property of type t; seed names the resource and the property path,
// so the same resource always gets the same value.
func (s *Schema) Synth(t TypeSpec, seed, prop string, depth int) resource.PropertyValue {
	if t.Ref != "" {
		if strings.HasPrefix(t.Ref, "pulumi.json#/") {
			return resource.NewStringProperty(seed)
		}
		named, ok := s.Types[strings.TrimPrefix(t.Ref, "#/types/")]
		if !ok {
			return resource.NewStringProperty(seed)
		}
		return s.Synth(named, seed, prop, depth)
	}
	if len(t.OneOf) > 0 {
		return s.Synth(t.OneOf[0], seed, prop, depth)
	}
	if len(t.Enum) > 0 {
		return resource.NewPropertyValue(t.Enum[0].Value)
	}
	switch t.Type {
	case "string":
		if base64Names[prop] || strings.Contains(strings.ToLower(prop), "base64") {
			doc := fmt.Sprintf(`{"type":"service_account","private_key_id":%q}`, seed)
			return resource.NewStringProperty(base64.StdEncoding.EncodeToString([]byte(doc)))
		}
		return resource.NewStringProperty(seed)
	case "integer", "number":
		return resource.NewNumberProperty(1)
	case "boolean":
		return resource.NewBoolProperty(false)
	case "array":
		if t.Items == nil || depth >= maxDepth {
			return resource.NewArrayProperty(nil)
		}
		return resource.NewArrayProperty([]resource.PropertyValue{s.Synth(*t.Items, seed+"-0", prop, depth+1)})
	case "object":
		if t.Properties == nil {
			return resource.NewObjectProperty(resource.PropertyMap{})
		}
		if depth >= maxDepth {
			return resource.NewObjectProperty(resource.PropertyMap{})
		}
		return resource.NewObjectProperty(s.SynthObject(t.Properties, nil, seed, depth+1))
	default:
		return resource.NewStringProperty(seed)
	}
}

// SynthObject returns given plus a synthesised value for every property of props that given lacks.
func (s *Schema) SynthObject(props map[string]TypeSpec, given resource.PropertyMap, seed string, depth int) resource.PropertyMap {
	out := resource.PropertyMap{}
	for k, v := range given {
		out[k] = v
	}
	for name, t := range props {
		key := resource.PropertyKey(name)
		if _, ok := out[key]; ok {
			continue
		}
		out[key] = s.Synth(t, seed+"-"+name, name, depth)
	}
	return out
}

// Computed returns given plus an unknown value for every property of props that given lacks (a
// preview: the cloud has not assigned them yet).
func Computed(props map[string]TypeSpec, given resource.PropertyMap) resource.PropertyMap {
	out := resource.PropertyMap{}
	for k, v := range given {
		out[k] = v
	}
	for name := range props {
		key := resource.PropertyKey(name)
		if _, ok := out[key]; !ok {
			out[key] = resource.MakeComputed(resource.NewStringProperty(""))
		}
	}
	return out
}
