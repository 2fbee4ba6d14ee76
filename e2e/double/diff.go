package double

// The comparison behind Diff and DiffConfig.

import (
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// ChangedKeys lists, sorted, the top-level properties whose value differs between olds and news
// (an unknown value in news counts as a change), leaving out the ignored ones.
func ChangedKeys(olds, news resource.PropertyMap, ignore []string) []string {
	ignored := map[string]bool{}
	for _, k := range ignore {
		ignored[k] = true
	}
	seen := map[resource.PropertyKey]bool{}
	var changed []string
	check := func(k resource.PropertyKey) {
		if seen[k] || ignored[string(k)] || resource.IsInternalPropertyKey(k) {
			return
		}
		seen[k] = true
		o, hasOld := olds[k]
		n, hasNew := news[k]
		if hasOld && o.IsNull() {
			hasOld = false
		}
		if hasNew && n.IsNull() {
			hasNew = false
		}
		switch {
		case !hasOld && !hasNew:
		case hasOld != hasNew, n.ContainsUnknowns(), !o.DeepEquals(n):
			changed = append(changed, string(k))
		}
	}
	for k := range olds {
		check(k)
	}
	for k := range news {
		check(k)
	}
	sort.Strings(changed)
	return changed
}
