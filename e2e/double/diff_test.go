package double

import (
	"reflect"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

func TestChangedKeys(t *testing.T) {
	olds := resource.NewPropertyMapFromMap(map[string]any{
		"name": "a", "labels": map[string]any{"x": "1"}, "gone": "g", "same": []any{"1", 2.0}, "nulled": nil,
	})
	news := resource.NewPropertyMapFromMap(map[string]any{
		"name": "b", "labels": map[string]any{"x": "1"}, "same": []any{"1", 2.0}, "added": true, "ignored": "i",
	})
	news["computed"] = resource.MakeComputed(resource.NewStringProperty(""))
	got := ChangedKeys(olds, news, []string{"ignored"})
	want := []string{"added", "computed", "gone", "name"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ChangedKeys = %v, want %v", got, want)
	}
	if keys := ChangedKeys(olds, olds, nil); len(keys) != 0 {
		t.Fatalf("equal maps differ in %v", keys)
	}
}
