package double

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

func testSchema() *Schema {
	return &Schema{Types: map[string]TypeSpec{
		"gcp:storage:Rule": {Type: "object", Properties: map[string]TypeSpec{"age": {Type: "integer"}}},
		"gcp:storage:Kind": {Type: "string", Enum: []EnumValue{{Value: "A"}, {Value: "B"}}},
	}}
}

func TestSynthObjectKeepsInputsAndFillsOutputs(t *testing.T) {
	s := testSchema()
	props := map[string]TypeSpec{
		"name":       {Type: "string"},
		"email":      {Type: "string"},
		"privateKey": {Type: "string"},
		"rules":      {Type: "array", Items: &TypeSpec{Ref: "#/types/gcp:storage:Rule"}},
		"kind":       {Ref: "#/types/gcp:storage:Kind"},
		"enabled":    {Type: "boolean"},
		"any":        {Ref: "pulumi.json#/Any"},
	}
	in := resource.NewPropertyMapFromMap(map[string]any{"name": "given"})
	out := s.SynthObject(props, in, "sa", 0)
	if out["name"].StringValue() != "given" {
		t.Fatalf("input not kept: %v", out["name"])
	}
	if out["email"].StringValue() != "sa-email" {
		t.Fatalf("email = %v", out["email"])
	}
	raw, err := base64.StdEncoding.DecodeString(out["privateKey"].StringValue())
	if err != nil || !json.Valid(raw) {
		t.Fatalf("privateKey is not base64 of JSON: %v %q", err, raw)
	}
	rules := out["rules"].ArrayValue()
	if len(rules) != 1 || rules[0].ObjectValue()["age"].NumberValue() != 1 {
		t.Fatalf("rules = %v", out["rules"])
	}
	if out["kind"].StringValue() != "A" || out["enabled"].BoolValue() {
		t.Fatalf("kind/enabled = %v %v", out["kind"], out["enabled"])
	}
	again := s.SynthObject(props, in, "sa", 0)
	if !again.DeepEquals(out) {
		t.Fatal("synthesis is not deterministic")
	}
}

func TestComputedMarksOnlyMissingOutputs(t *testing.T) {
	props := map[string]TypeSpec{"name": {Type: "string"}, "email": {Type: "string"}}
	out := Computed(props, resource.NewPropertyMapFromMap(map[string]any{"name": "n"}))
	if !out["email"].IsComputed() || out["name"].IsComputed() {
		t.Fatalf("Computed = %v", out)
	}
}
