// Command pulumi-resource-double is the test-double resource provider of the e2e harness. It is
// installed as the plugin of every package the driver's registered clouds pin
// (pulumi-resource-gcp, pulumi-resource-azure-native, ...) and answers for the package its
// executable is named after, at the version of that package's provider facts ($CPG_E2E_FACTS),
// from the schema in $CPG_E2E_SCHEMAS.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/populationgenomics/cpg-infra/e2e/double"
	"github.com/pulumi/pulumi/pkg/v3/resource/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func main() {
	pkg := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-resource-"), ".exe")
	dir := os.Getenv("CPG_E2E_SCHEMAS")
	if dir == "" {
		fmt.Fprintln(os.Stderr, "pulumi-resource-double: CPG_E2E_SCHEMAS must name the folder of the package schemas")
		os.Exit(1)
	}
	prov, err := double.New(pkg, dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-%s (test double): %v\n", pkg, err)
		os.Exit(1)
	}
	if err := provider.Main(pkg, func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return prov, nil
	}); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-%s (test double): %v\n", pkg, err)
		os.Exit(1)
	}
}
