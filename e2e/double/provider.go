package double

// The gRPC ResourceProvider server of the double.

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// FailCreateEnv names the resources (logical names or URNs, comma-separated) whose Create fails.
const FailCreateEnv = "CPG_E2E_FAIL_CREATE"

// Provider is the double for one package.
type Provider struct {
	pulumirpc.UnimplementedResourceProviderServer
	pkg     string
	schema  *Schema
	seed    *Seed
	facts   map[string]ResourceFacts
	failing map[string]bool
}

// New makes the double of pkg from its provider facts ($CPG_E2E_FACTS), at the version they
// are about, and its schema of that version in schemaDir.
func New(pkg, schemaDir string) (*Provider, error) {
	facts, version, err := LoadFacts(pkg)
	if err != nil {
		return nil, err
	}
	s, err := LoadSchema(schemaDir, pkg, version)
	if err != nil {
		return nil, err
	}
	seed, err := LoadSeed()
	if err != nil {
		return nil, err
	}
	failing := map[string]bool{}
	for _, n := range strings.Split(os.Getenv(FailCreateEnv), ",") {
		if n = strings.TrimSpace(n); n != "" {
			failing[n] = true
		}
	}
	return &Provider{pkg: pkg, schema: s, seed: seed, facts: facts, failing: failing}, nil
}

var opts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, opts)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, opts)
}

func (p *Provider) resource(typ string) (ResourceSpec, error) {
	r, ok := p.schema.Resources[typ]
	if !ok {
		return ResourceSpec{}, fmt.Errorf("%s %s has no resource type %s", p.pkg, p.schema.Version, typ)
	}
	return r, nil
}

// GetPluginInfo returns the pinned version.
func (p *Provider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: p.schema.Version}, nil
}

// GetSchema serves the package schema.
func (p *Provider) GetSchema(_ context.Context, req *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	if req.SubpackageName != "" {
		return nil, fmt.Errorf("the %s double has no parameterized sub-package %q", p.pkg, req.SubpackageName)
	}
	return &pulumirpc.GetSchemaResponse{Schema: string(p.schema.Raw)}, nil
}

// CheckConfig accepts the provider configuration as given.
func (p *Provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.News}, nil
}

// DiffConfig compares the provider configurations.
func (p *Provider) DiffConfig(ctx context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return p.diff("", req.OldInputs, req.Olds, req.News, nil)
}

// Configure accepts secrets, resource references and output values.
func (p *Provider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true, AcceptOutputs: true}, nil
}

// Check returns the inputs unchanged; a type without provider facts fails, so that every type
// a program emits is one whose provider behaviour is known.
func (p *Provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	if _, err := p.resource(req.Type); err != nil {
		return nil, err
	}
	if _, ok := p.facts[req.Type]; !ok {
		return nil, fmt.Errorf("%s has no provider facts (%s): add them, with their source, to the plugin's data/provider-facts*.json", req.Type, FactsEnv)
	}
	return &pulumirpc.CheckResponse{Inputs: req.News}, nil
}

// Diff compares the old inputs with the new ones, property by property, as the provider does
// (the facts' comparisons), and asks for a replacement where a changed property forces one.
func (p *Provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return p.diff(req.Type, req.OldInputs, req.Olds, req.News, req.IgnoreChanges)
}

func (p *Provider) diff(typ string, oldInputs, olds, news *structpb.Struct, ignore []string) (*pulumirpc.DiffResponse, error) {
	if oldInputs == nil {
		oldInputs = olds
	}
	o, err := unmarshal(oldInputs)
	if err != nil {
		return nil, err
	}
	n, err := unmarshal(news)
	if err != nil {
		return nil, err
	}
	facts := p.facts[typ]
	var changed []string
	for _, k := range ChangedKeys(o, n, ignore) {
		if !facts.Equivalent(k, o, n) {
			changed = append(changed, k)
		}
	}
	if len(changed) == 0 {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	// A resource read without inputs (an import) has nothing to replace: its cloud values are
	// what a real provider would compare, and the double made them up.
	var replaces []string
	if len(o) > 0 {
		replaces = facts.ReplaceKeys(o, n, changed)
	}
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_SOME, Diffs: changed,
		Replaces: replaces}, nil
}

// ID is the deterministic id of a created resource: its logical name, as the reference's mocks do.
func ID(name string) string { return name + "_id" }

// Create returns the inputs plus every output of the schema (unknown in a preview).
func (p *Provider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	spec, err := p.resource(req.Type)
	if err != nil {
		return nil, err
	}
	if !req.Preview && (p.failing[req.Name] || p.failing[req.Urn]) {
		return nil, fmt.Errorf("test double: Create of %s fails (%s)", req.Urn, FailCreateEnv)
	}
	in, err := unmarshal(req.Properties)
	if err != nil {
		return nil, err
	}
	if !req.Preview {
		if err := p.createOverExisting(req.Type, req.Urn, in); err != nil {
			return nil, err
		}
	}
	var out resource.PropertyMap
	if req.Preview {
		out = Computed(spec.Properties, in)
	} else {
		out = p.schema.SynthObject(spec.Properties, in, req.Name, 0)
	}
	props, err := marshal(out)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: ID(req.Name), Properties: props}, nil
}

// Read answers a refresh with the given state, and a get: or an import (options.import) with
// synthesised outputs and no inputs: the engine then updates an imported resource to the
// program's inputs, as it does when a real cloud resource differs from the program.
func (p *Provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	spec, err := p.resource(req.Type)
	if err != nil {
		return nil, err
	}
	if req.Properties != nil && len(req.Properties.Fields) > 0 {
		// A refresh: the cloud's values, as the cloud stores them (the facts' normalisations).
		facts := p.facts[req.Type]
		props, err := unmarshal(req.Properties)
		if err != nil {
			return nil, err
		}
		inputs, err := unmarshal(req.Inputs)
		if err != nil {
			return nil, err
		}
		outProps, err := marshal(facts.Normalise(props))
		if err != nil {
			return nil, err
		}
		outInputs, err := marshal(facts.Normalise(inputs))
		if err != nil {
			return nil, err
		}
		return &pulumirpc.ReadResponse{Id: req.Id, Properties: outProps, Inputs: outInputs}, nil
	}
	out, err := marshal(p.schema.SynthObject(spec.Properties, nil, req.Name, 0))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: req.Id, Properties: out, Inputs: &structpb.Struct{}}, nil
}

// Update returns the new inputs plus the outputs the resource already had.
func (p *Provider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	spec, err := p.resource(req.Type)
	if err != nil {
		return nil, err
	}
	olds, err := unmarshal(req.Olds)
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.News)
	if err != nil {
		return nil, err
	}
	out := resource.PropertyMap{}
	for k, v := range news {
		out[k] = v
	}
	for name := range spec.Properties {
		k := resource.PropertyKey(name)
		if _, ok := out[k]; !ok {
			if v, had := olds[k]; had {
				out[k] = v
			}
		}
	}
	if req.Preview {
		out = Computed(spec.Properties, out)
	} else {
		out = p.schema.SynthObject(spec.Properties, out, req.Name, 0)
	}
	props, err := marshal(out)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

// Delete succeeds, but for storage that holds objects in the seeded cloud where the provider
// refuses to delete it (the facts' deleteWithContents, without its opt-in).
func (p *Provider) Delete(_ context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	facts, ok := p.facts[req.Type]
	if !ok || facts.DeleteWithContents == nil || !facts.DeleteWithContents.Fails {
		return &emptypb.Empty{}, nil
	}
	olds, err := unmarshal(req.Properties)
	if err != nil {
		return nil, err
	}
	live := p.seed.Existing(req.Type, facts.Identity, olds)
	if live == nil || live.Objects == 0 {
		return &emptypb.Empty{}, nil
	}
	if opt := facts.DeleteWithContents.OptIn; opt != "" {
		if v, has := lookupPath(olds, opt); has && v.IsBool() && v.BoolValue() {
			return &emptypb.Empty{}, nil
		}
	}
	return nil, fmt.Errorf("%s (test double: %s holds %d objects; provider facts: deleteWithContents)",
		facts.DeleteWithContents.Error, req.Urn, live.Objects)
}

// createOverExisting fails a create of a resource that exists in the seeded cloud where the
// provider does (the facts' createIfExists, and its opt-in).
func (p *Provider) createOverExisting(typ, urn string, inputs resource.PropertyMap) error {
	facts, ok := p.facts[typ]
	if !ok {
		return nil
	}
	live := p.seed.Existing(typ, facts.Identity, inputs)
	if live == nil {
		return nil
	}
	optIn := false
	if facts.CreateOptIn != "" {
		if v, has := lookupPath(inputs, facts.CreateOptIn); has && v.IsBool() && v.BoolValue() {
			optIn = true
		}
	}
	fails := false
	switch facts.CreateIfExists {
	case CreateFails:
		fails = !optIn
	case CreateDuplicates:
		fails = optIn && facts.CreateOptInFails
	}
	if !fails {
		return nil
	}
	msg := facts.CreateError
	if msg == "" {
		msg = "already exists"
	}
	return fmt.Errorf("test double: Create of %s fails: %s %v %s (provider facts: createIfExists %s%s)",
		urn, typ, live.Identity, msg, facts.CreateIfExists, optInNote(facts))
}

func optInNote(f ResourceFacts) string {
	if f.CreateOptIn == "" {
		return ", no opt-in"
	}
	if f.CreateOptInFails {
		return ", because " + f.CreateOptIn + " is set"
	}
	return ", " + f.CreateOptIn + " not set"
}

// Invoke answers a function of the schema: the seed's result properties for it, then its
// arguments echoed where they are result properties, every other result property synthesised.
func (p *Provider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	fn, ok := p.schema.Functions[req.Tok]
	if !ok {
		return nil, fmt.Errorf("%s %s has no function %s", p.pkg, p.schema.Version, req.Tok)
	}
	args, err := unmarshal(req.Args)
	if err != nil {
		return nil, err
	}
	var results map[string]TypeSpec
	if fn.Outputs != nil {
		results = fn.Outputs.Properties
	}
	given := resource.PropertyMap{}
	for k, v := range args {
		if _, ok := results[string(k)]; ok {
			given[k] = v
		}
	}
	for k, v := range p.seed.InvokeResult(req.Tok) {
		if _, ok := results[string(k)]; !ok {
			return nil, fmt.Errorf("the seed's result of %s has %q, which is not a result property of the schema", req.Tok, k)
		}
		given[k] = v
	}
	seed := req.Tok[strings.LastIndex(req.Tok, ":")+1:]
	ret, err := marshal(p.schema.SynthObject(results, given, seed, 0))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: ret}, nil
}

// Cancel has nothing to cancel.
func (p *Provider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
