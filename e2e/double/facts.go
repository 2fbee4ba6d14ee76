package double

// The provider facts (crates/cpg-infra-*/data/provider-facts*.json): what the real providers do
// on a change, a create of something that exists, a delete of storage with contents, and which
// values the cloud rewrites. The double behaves by them.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// FactsEnv names the facts files (separated by the OS's path-list separator). The double needs
// them: the version it answers for is the one its package's facts are about.
const FactsEnv = "CPG_E2E_FACTS"

// Create behaviours when the resource already exists.
const (
	CreateFails      = "fails"
	CreateAdopts     = "adopts"
	CreateDuplicates = "duplicates"
)

// Normalisation is how the provider or the cloud rewrites one property.
type Normalisation struct {
	// Read is how a read returns the value: "lower", "upper", "subscription-form" or "".
	Read string `json:"read,omitempty"`
	// Compare is how Diff compares it: "exact", "case-insensitive", "case-and-space-insensitive".
	Compare string `json:"compare"`
	Why     string `json:"why"`
}

// DeleteWithContents is what a delete of storage that holds objects does.
type DeleteWithContents struct {
	Fails bool   `json:"fails"`
	OptIn string `json:"optIn,omitempty"`
	Error string `json:"error,omitempty"`
	Why   string `json:"why,omitempty"`
}

// ResourceFacts are the facts of one resource type.
type ResourceFacts struct {
	Source             string              `json:"source"`
	ReplaceOn          []string            `json:"replaceOn"`
	Identity           []string            `json:"identity"`
	CreateIfExists     string              `json:"createIfExists"`
	CreateOptIn        string              `json:"createOptIn,omitempty"`
	CreateOptInFails   bool                `json:"createOptInFails,omitempty"`
	CreateError        string              `json:"createError,omitempty"`
	DeleteWithContents *DeleteWithContents `json:"deleteWithContents,omitempty"`
	// DeleteBeforeReplace says why a replacement must delete first; the engine does
	// that (the resource's deleteBeforeReplace option), so the double only reads it.
	DeleteBeforeReplace string                   `json:"deleteBeforeReplace,omitempty"`
	Normalises          map[string]Normalisation `json:"normalises,omitempty"`
	Notes               string                   `json:"notes,omitempty"`
}

// FactsFile is one facts file (one package).
type FactsFile struct {
	Package   string                    `json:"package"`
	Pinned    string                    `json:"pinned"`
	About     string                    `json:"about"`
	Sources   map[string]map[string]any `json:"sources"`
	Resources map[string]ResourceFacts  `json:"resources"`
}

// LoadFacts reads the facts of pkg from the files named by $CPG_E2E_FACTS (the harness writes
// one per package the driver's registered clouds pin) and returns them with the version they
// are about, the one the double answers for. A package no file is about has no pinned version:
// an error, as are files of pkg about different versions.
func LoadFacts(pkg string) (map[string]ResourceFacts, string, error) {
	out := map[string]ResourceFacts{}
	pinned, pinnedBy := "", ""
	var packages []string
	for _, path := range filepath.SplitList(os.Getenv(FactsEnv)) {
		if path == "" {
			continue
		}
		f, err := ReadFactsFile(path)
		if err != nil {
			return nil, "", err
		}
		if f.Package != pkg {
			packages = append(packages, f.Package)
			continue
		}
		if pinned != "" && f.Pinned != pinned {
			return nil, "", fmt.Errorf("%s: facts of %s %s, but %s has them of %s", path, pkg, f.Pinned, pinnedBy, pinned)
		}
		pinned, pinnedBy = f.Pinned, path
		for t, r := range f.Resources {
			out[t] = r
		}
	}
	if pinned == "" {
		there := "it names no file"
		if len(packages) > 0 {
			sort.Strings(packages)
			there = "its files are of " + strings.Join(slices.Compact(packages), ", ")
		}
		return nil, "", fmt.Errorf("no pinned version for package %q: no provider facts file in $%s is about it (%s); "+
			"the harness writes one for each package the driver's clouds pin (cpg-infra-driver clouds --format json)",
			pkg, FactsEnv, there)
	}
	return out, pinned, nil
}

// ReadFactsFile parses one facts file, refusing unknown keys and unknown behaviours.
func ReadFactsFile(path string) (*FactsFile, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FactsEnv, err)
	}
	f := &FactsFile{}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for t, r := range f.Resources {
		switch r.CreateIfExists {
		case CreateFails, CreateAdopts, CreateDuplicates:
		default:
			return nil, fmt.Errorf("%s: %s: createIfExists %q is not fails, adopts or duplicates", path, t, r.CreateIfExists)
		}
		if r.Source == "" {
			return nil, fmt.Errorf("%s: %s has no source", path, t)
		}
		for p, n := range r.Normalises {
			switch n.Compare {
			case "exact", "case-insensitive", "case-and-space-insensitive":
			default:
				return nil, fmt.Errorf("%s: %s: normalises.%s.compare %q is unknown", path, t, p, n.Compare)
			}
			switch n.Read {
			case "", "lower", "upper", "subscription-form":
			default:
				return nil, fmt.Errorf("%s: %s: normalises.%s.read %q is unknown", path, t, p, n.Read)
			}
		}
	}
	return f, nil
}

// ReplaceKeys lists the top-level properties whose change, by the facts, replaces the resource:
// the changed properties named by replaceOn, or holding a nested replaceOn path that changed.
func (r ResourceFacts) ReplaceKeys(olds, news resource.PropertyMap, changed []string) []string {
	isChanged := map[string]bool{}
	for _, k := range changed {
		isChanged[k] = true
	}
	seen := map[string]bool{}
	var keys []string
	for _, path := range r.ReplaceOn {
		top := strings.SplitN(path, ".", 2)[0]
		if !isChanged[top] || seen[top] {
			continue
		}
		if path != top {
			o, hasOld := lookupPath(olds, path)
			n, hasNew := lookupPath(news, path)
			if hasOld == hasNew && (!hasOld || (!n.ContainsUnknowns() && o.DeepEquals(n))) {
				continue
			}
		}
		seen[top] = true
		keys = append(keys, top)
	}
	return keys
}

// Equivalent says whether a changed property is no change by the provider's comparison.
func (r ResourceFacts) Equivalent(key string, olds, news resource.PropertyMap) bool {
	n, ok := r.Normalises[key]
	if !ok || n.Compare == "exact" {
		return false
	}
	o, hasOld := lookupPath(olds, key)
	v, hasNew := lookupPath(news, key)
	if !hasOld || !hasNew || !o.IsString() || !v.IsString() {
		return false
	}
	a, b := o.StringValue(), v.StringValue()
	if n.Compare == "case-and-space-insensitive" {
		a, b = strings.ReplaceAll(a, " ", ""), strings.ReplaceAll(b, " ", "")
	}
	return strings.EqualFold(a, b)
}

// Normalise rewrites props as the cloud stores them (the facts' `read` normalisations).
func (r ResourceFacts) Normalise(props resource.PropertyMap) resource.PropertyMap {
	out := props.Copy()
	for path, n := range r.Normalises {
		if n.Read == "" {
			continue
		}
		setPath(out, strings.Split(path, "."), func(s string) string { return normalised(n.Read, s) })
	}
	return out
}

func normalised(how, s string) string {
	switch how {
	case "lower":
		return strings.ToLower(s)
	case "upper":
		return strings.ToUpper(s)
	case "subscription-form":
		// /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Authorization/roleDefinitions/<g>
		// -> /subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<g>
		parts := strings.Split(s, "/")
		if len(parts) > 5 && strings.EqualFold(parts[1], "subscriptions") && strings.EqualFold(parts[3], "resourceGroups") {
			return strings.Join(append(parts[:3], parts[5:]...), "/")
		}
	}
	return s
}

// setPath rewrites the string at path (through secrets) with f.
func setPath(props resource.PropertyMap, path []string, f func(string) string) {
	key := resource.PropertyKey(path[0])
	v, ok := props[key]
	if !ok {
		return
	}
	props[key] = rewrite(v, path[1:], f)
}

func rewrite(v resource.PropertyValue, rest []string, f func(string) string) resource.PropertyValue {
	switch {
	case v.IsSecret():
		return resource.MakeSecret(rewrite(v.SecretValue().Element, rest, f))
	case len(rest) == 0 && v.IsString():
		return resource.NewStringProperty(f(v.StringValue()))
	case len(rest) > 0 && v.IsObject():
		obj := v.ObjectValue().Copy()
		setPath(obj, rest, f)
		return resource.NewObjectProperty(obj)
	}
	return v
}
