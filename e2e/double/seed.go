package double

// The seeded live cloud: what exists before the engine runs (resources, the objects in storage)
// and what the cloud answers to invokes, read from the JSON file named by $CPG_E2E_SEED.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// SeedEnv names the seed file (optional: without it the cloud is empty and every invoke result
// that the arguments do not give is synthesised).
const SeedEnv = "CPG_E2E_SEED"

// LiveResource is a resource that exists in the seeded cloud.
type LiveResource struct {
	// Type is the Pulumi type token.
	Type string `json:"type"`
	// Identity holds the input properties that name it in the cloud (the facts' `identity`).
	Identity map[string]any `json:"identity"`
	// Objects is how many objects (blobs) it holds, for storage.
	Objects int `json:"objects,omitempty"`
}

// Seed is the seeded cloud.
type Seed struct {
	// Invokes maps a function token to the result properties the cloud returns for it; the
	// properties it does not give are echoed from the arguments or synthesised.
	Invokes map[string]map[string]any `json:"invokes"`
	// Resources exist before the engine runs.
	Resources []LiveResource `json:"resources"`
}

// LoadSeed reads the seed named by $CPG_E2E_SEED; an empty seed when it is unset.
func LoadSeed() (*Seed, error) {
	path := os.Getenv(SeedEnv)
	if path == "" {
		return &Seed{}, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", SeedEnv, err)
	}
	s := &Seed{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(s); err != nil {
		return nil, fmt.Errorf("%s %s: %w", SeedEnv, path, err)
	}
	for i, r := range s.Resources {
		if r.Type == "" || len(r.Identity) == 0 {
			return nil, fmt.Errorf("%s %s: resources[%d] needs a type and an identity", SeedEnv, path, i)
		}
	}
	return s, nil
}

// InvokeResult is the seeded result of an invoke, as properties (nil when not seeded).
func (s *Seed) InvokeResult(tok string) resource.PropertyMap {
	r, ok := s.Invokes[tok]
	if !ok {
		return nil
	}
	return resource.NewPropertyMapFromMap(r)
}

// Existing is the live resource of type typ whose identity properties all equal those of
// inputs (nil when none). A fact without identity properties never matches.
func (s *Seed) Existing(typ string, identity []string, inputs resource.PropertyMap) *LiveResource {
	if len(identity) == 0 {
		return nil
	}
	for i := range s.Resources {
		r := &s.Resources[i]
		if r.Type != typ || len(r.Identity) != len(identity) {
			continue
		}
		match := true
		for _, path := range identity {
			want, ok := r.Identity[path]
			got, has := lookupPath(inputs, path)
			if !ok || !has || !got.DeepEquals(resource.NewPropertyValue(want)) {
				match = false
				break
			}
		}
		if match {
			return r
		}
	}
	return nil
}

// lookupPath is the value at a dotted path of props (secrets unwrapped); false when absent.
func lookupPath(props resource.PropertyMap, path string) (resource.PropertyValue, bool) {
	cur := resource.NewObjectProperty(props)
	for _, key := range strings.Split(path, ".") {
		for cur.IsSecret() {
			cur = cur.SecretValue().Element
		}
		if !cur.IsObject() {
			return resource.PropertyValue{}, false
		}
		next, ok := cur.ObjectValue()[resource.PropertyKey(key)]
		if !ok || next.IsNull() {
			return resource.PropertyValue{}, false
		}
		cur = next
	}
	for cur.IsSecret() {
		cur = cur.SecretValue().Element
	}
	return cur, true
}
