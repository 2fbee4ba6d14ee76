package double

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// The committed facts files of the clouds the driver's binary registers, from e2e/double (the
// harness gets the same ones from the driver: cpg-infra-driver clouds --format json). Those are
// the plugin crates among the driver's [dependencies]; the test-only clouds are
// dev-dependencies, and their packages have no provider, hence no schema.
func committedFactsFiles(t *testing.T) []string {
	t.Helper()
	manifest, err := os.ReadFile("../../crates/cpg-infra-driver/Cargo.toml")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	section := ""
	for _, line := range strings.Split(string(manifest), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			section = line
			continue
		}
		name, _, found := strings.Cut(line, ".workspace")
		if section != "[dependencies]" || !found || !strings.HasPrefix(name, "cpg-infra-") {
			continue
		}
		linked, err := filepath.Glob("../../crates/" + name + "/data/provider-facts*.json")
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, linked...)
	}
	if len(files) == 0 {
		t.Fatal("no provider facts files in the crates the driver depends on")
	}
	return files
}

func setFacts(t *testing.T) {
	t.Helper()
	t.Setenv(FactsEnv, strings.Join(committedFactsFiles(t), string(os.PathListSeparator)))
}

// Every facts file is about the version of the package's compact schema in
// ../shared/provider-schemas (which CI has beside the project), and every property a fact
// names is an input of the type there.
func TestFactsNameInputsOfThePinnedSchemas(t *testing.T) {
	for _, path := range committedFactsFiles(t) {
		f, err := ReadFactsFile(path)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "provider-schemas", f.Package+".json"))
		if err != nil {
			t.Fatalf("the compact schemas of ../shared/provider-schemas are needed: %v", err)
		}
		var compact struct {
			Version   string `json:"version"`
			Resources map[string]struct {
				Inputs map[string]any `json:"inputs"`
			} `json:"resources"`
		}
		if err := json.Unmarshal(raw, &compact); err != nil {
			t.Fatal(err)
		}
		if compact.Version != f.Pinned {
			t.Errorf("%s: pinned %s, the compact schema of %s is of %s", path, f.Pinned, f.Package, compact.Version)
		}
		for typ, r := range f.Resources {
			spec, ok := compact.Resources[typ]
			if !ok {
				t.Errorf("%s: %s is not a resource of %s %s", path, typ, f.Package, f.Pinned)
				continue
			}
			names := append(append([]string{}, r.ReplaceOn...), r.Identity...)
			for p := range r.Normalises {
				names = append(names, p)
			}
			if r.CreateOptIn != "" {
				names = append(names, r.CreateOptIn)
			}
			if r.DeleteWithContents != nil && r.DeleteWithContents.OptIn != "" {
				names = append(names, r.DeleteWithContents.OptIn)
			}
			for _, n := range names {
				if _, ok := spec.Inputs[strings.SplitN(n, ".", 2)[0]]; !ok {
					t.Errorf("%s: %s: %q is not an input of the type", path, typ, n)
				}
			}
		}
	}
}

func writeFacts(t *testing.T, dir, name, pkg, pinned string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	text := `{"package": "` + pkg + `", "pinned": "` + pinned + `", "about": "a", "sources": {},
		"resources": {"` + pkg + `:index:Thing": {"source": "s", "replaceOn": [], "identity": [], "createIfExists": "fails"}}}`
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The version the double answers for is the one its package's facts are about; a package
// without facts has none, and files of one package about two versions are a mistake.
func TestThePinnedVersionIsTheOneTheFactsAreAbout(t *testing.T) {
	dir := t.TempDir()
	one := writeFacts(t, dir, "one.json", "pkg", "1.2.3")
	other := writeFacts(t, dir, "other.json", "other", "4.5.6")
	t.Setenv(FactsEnv, one+string(os.PathListSeparator)+other)
	facts, pinned, err := LoadFacts("pkg")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := facts["pkg:index:Thing"]; pinned != "1.2.3" || !ok || len(facts) != 1 {
		t.Errorf("got %s %v, want 1.2.3 and the one type of pkg", pinned, facts)
	}
	if _, _, err := LoadFacts("absent"); err == nil || !strings.Contains(err.Error(), `no pinned version for package "absent"`) ||
		!strings.Contains(err.Error(), "other, pkg") {
		t.Errorf("a package without facts has no pinned version: %v", err)
	}
	t.Setenv(FactsEnv, "")
	if _, _, err := LoadFacts("pkg"); err == nil || !strings.Contains(err.Error(), "it names no file") {
		t.Errorf("no facts at all: %v", err)
	}
	two := writeFacts(t, dir, "two.json", "pkg", "1.2.4")
	t.Setenv(FactsEnv, one+string(os.PathListSeparator)+two)
	if _, _, err := LoadFacts("pkg"); err == nil || !strings.Contains(err.Error(), "1.2.4") {
		t.Errorf("facts of one package about two versions: %v", err)
	}
}

func props(m map[string]any) resource.PropertyMap { return resource.NewPropertyMapFromMap(m) }

func TestReplaceKeysFollowTopLevelAndNestedFacts(t *testing.T) {
	setFacts(t)
	facts, _, err := LoadFacts("gcp")
	if err != nil {
		t.Fatal(err)
	}
	bucket := facts["gcp:storage/bucket:Bucket"]
	olds := props(map[string]any{"name": "b", "location": "australia-southeast1", "labels": map[string]any{"a": "1"},
		"customPlacementConfig": map[string]any{"dataLocations": []any{"X"}}})
	news := props(map[string]any{"name": "b", "location": "us-central1", "labels": map[string]any{"a": "2"},
		"customPlacementConfig": map[string]any{"dataLocations": []any{"X"}}})
	got := bucket.ReplaceKeys(olds, news, ChangedKeys(olds, news, nil))
	if strings.Join(got, ",") != "location" {
		t.Errorf("replace keys %v, want [location]", got)
	}
	// The provider keeps the location in upper case: no change.
	same := props(map[string]any{"location": "AUSTRALIA-SOUTHEAST1"})
	if !bucket.Equivalent("location", olds, same) {
		t.Error("bucket locations differing in case should be equivalent")
	}
	member := facts["gcp:cloudidentity/groupMembership:GroupMembership"]
	o := props(map[string]any{"preferredMemberKey": map[string]any{"id": "a.b@example.org"}})
	n := props(map[string]any{"preferredMemberKey": map[string]any{"id": "A.B@example.org"}})
	if member.Equivalent("preferredMemberKey", o, n) {
		t.Error("membership keys compare exactly")
	}
	if got := member.ReplaceKeys(o, n, ChangedKeys(o, n, nil)); strings.Join(got, ",") != "preferredMemberKey" {
		t.Errorf("membership replace keys %v", got)
	}
	if got := member.Normalise(n); !got.DeepEquals(o) {
		t.Errorf("a read gives the e-mail in lower case: %v", got)
	}
}

func TestRoleDefinitionIdsReadBackInSubscriptionForm(t *testing.T) {
	setFacts(t)
	facts, _, err := LoadFacts("azure-native")
	if err != nil {
		t.Fatal(err)
	}
	ra := facts["azure-native:authorization:RoleAssignment"]
	in := props(map[string]any{"roleDefinitionId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Authorization/roleDefinitions/g"})
	want := "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/g"
	if got := ra.Normalise(in)["roleDefinitionId"].StringValue(); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	loc := facts["azure-native:storage:StorageAccount"]
	if !loc.Equivalent("location", props(map[string]any{"location": "Australia East"}), props(map[string]any{"location": "australiaeast"})) {
		t.Error("azure locations compare without case and spaces")
	}
}

func seeded(t *testing.T, pkg string, seed string) *Provider {
	t.Helper()
	setFacts(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(path, []byte(seed), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(SeedEnv, path)
	s, err := LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	facts, _, err := LoadFacts(pkg)
	if err != nil {
		t.Fatal(err)
	}
	return &Provider{pkg: pkg, seed: s, facts: facts}
}

func TestCreateOfAnExistingResourceFailsUnlessTheProviderAdoptsIt(t *testing.T) {
	p := seeded(t, "gcp", `{"resources": [
		{"type": "gcp:cloudidentity/groupMembership:GroupMembership", "identity": {"group": "g_id", "preferredMemberKey.id": "a@example.org"}},
		{"type": "gcp:projects/iAMMember:IAMMember", "identity": {"project": "p", "role": "r", "member": "user:a@example.org"}}]}`)
	membership := props(map[string]any{"group": "g_id", "preferredMemberKey": map[string]any{"id": "a@example.org"}})
	if err := p.createOverExisting("gcp:cloudidentity/groupMembership:GroupMembership", "u", membership); err == nil ||
		!strings.Contains(err.Error(), "createIgnoreAlreadyExists not set") {
		t.Errorf("a membership that exists fails without the opt-in: %v", err)
	}
	membership["createIgnoreAlreadyExists"] = resource.NewBoolProperty(true)
	if err := p.createOverExisting("gcp:cloudidentity/groupMembership:GroupMembership", "u", membership); err != nil {
		t.Errorf("with createIgnoreAlreadyExists the create succeeds: %v", err)
	}
	other := props(map[string]any{"group": "g_id", "preferredMemberKey": map[string]any{"id": "b@example.org"}})
	if err := p.createOverExisting("gcp:cloudidentity/groupMembership:GroupMembership", "u", other); err != nil {
		t.Errorf("a membership that does not exist is created: %v", err)
	}
	grant := props(map[string]any{"project": "p", "role": "r", "member": "user:a@example.org"})
	if err := p.createOverExisting("gcp:projects/iAMMember:IAMMember", "u", grant); err != nil {
		t.Errorf("an IAM member that exists is adopted: %v", err)
	}
}

func TestDeleteOfABucketWithObjectsFailsWithoutForceDestroy(t *testing.T) {
	p := seeded(t, "gcp", `{"resources": [{"type": "gcp:storage/bucket:Bucket", "identity": {"name": "full"}, "objects": 3},
		{"type": "gcp:storage/bucket:Bucket", "identity": {"name": "empty"}}]}`)
	del := func(m map[string]any) error {
		s, err := marshal(props(m))
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Delete(context.Background(), &pulumirpc.DeleteRequest{Type: "gcp:storage/bucket:Bucket", Urn: "u", Properties: s})
		return err
	}
	if err := del(map[string]any{"name": "full"}); err == nil || !strings.Contains(err.Error(), "force_destroy") {
		t.Errorf("deleting a bucket with objects fails: %v", err)
	}
	if err := del(map[string]any{"name": "full", "forceDestroy": true}); err != nil {
		t.Errorf("with forceDestroy it is deleted: %v", err)
	}
	if err := del(map[string]any{"name": "empty"}); err != nil {
		t.Errorf("an empty bucket is deleted: %v", err)
	}
}

func TestInvokeReturnsTheSeededResultFirst(t *testing.T) {
	p := seeded(t, "gcp", `{"invokes": {"gcp:organizations/getOrganization:getOrganization":
		{"id": "organizations/648561325637", "orgId": "648561325637"}}}`)
	p.schema = &Schema{Version: "10.2.0", Functions: map[string]FunctionSpec{
		"gcp:organizations/getOrganization:getOrganization": {Outputs: &ObjectSpec{Properties: map[string]TypeSpec{
			"id": {Type: "string"}, "orgId": {Type: "string"}, "domain": {Type: "string"}, "name": {Type: "string"}}}},
	}}
	args, err := marshal(props(map[string]any{"domain": "example.org"}))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: "gcp:organizations/getOrganization:getOrganization", Args: args})
	if err != nil {
		t.Fatal(err)
	}
	got, err := unmarshal(resp.Return)
	if err != nil {
		t.Fatal(err)
	}
	if got["id"].StringValue() != "organizations/648561325637" || got["domain"].StringValue() != "example.org" ||
		got["name"].StringValue() == "" {
		t.Errorf("seeded id, echoed domain, synthesised name: %v", got)
	}
	// A seeded property the function does not return is a mistake of the seed.
	p.seed.Invokes["gcp:organizations/getOrganization:getOrganization"]["nope"] = "x"
	if _, err := p.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: "gcp:organizations/getOrganization:getOrganization", Args: args}); err == nil {
		t.Error("a seeded property that is not a result fails")
	}
}
