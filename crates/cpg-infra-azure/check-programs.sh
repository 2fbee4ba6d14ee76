#!/usr/bin/env bash
# Renders the program of every reference stack with Azure deployment switched on
# (["azure"] and ["gcp", "azure"]) and checks it against the provider schemas.
#
# Usage: check-programs.sh DRIVER_BINARY SHARED_DIR [STACK_DIR]
#   DRIVER_BINARY  e.g. target/debug/cpg-infra-driver
#   SHARED_DIR     the folder with reference/stacks/ and tools/check-pulumi-program
#   STACK_DIR      where the driver runs (holds cpg.toml); default: <repo>/stack
# Exits non-zero when a program cannot be rendered or has a schema problem.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 DRIVER_BINARY SHARED_DIR [STACK_DIR]" >&2
    exit 2
fi
driver=$(realpath "$1")
shared=$(realpath "$2")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
stack_dir=$(realpath "${3:-$here/../../stack}")
checker="$shared/tools/check-pulumi-program"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The stack file's config as a JSON object of strings (as the Pulumi CLI passes it),
# with datasets:deploy_locations set to $2.
pulumi_config() {
    python3 - "$1" "$2" <<'PY'
import json, sys
path, locations = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
try:
    import yaml
    config = (yaml.safe_load(text) or {}).get("config") or {}
except ImportError:
    config, inside = {}, False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            inside = line.rstrip() == "config:"
            continue
        if inside:
            key, _, value = line.strip().partition(": ")
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            config[key.rstrip(":")] = value
def text_of(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)
result = {key: text_of(value) for key, value in config.items()}
result["datasets:deploy_locations"] = locations
print(json.dumps(result))
PY
}

failures=0
for stack_file in "$shared"/reference/stacks/Pulumi.*.yaml; do
    dataset=$(basename "$stack_file" .yaml)
    dataset=${dataset#Pulumi.}
    for locations in '["azure"]' '["gcp", "azure"]'; do
        program="$work/$dataset.json"
        config=$(pulumi_config "$stack_file" "$locations")
        if ! (cd "$stack_dir" && PULUMI_STACK="$dataset" PULUMI_PROJECT=datasets \
            PULUMI_CONFIG="$config" "$driver" program >"$program" 2>"$work/stderr"); then
            echo "$dataset $locations: the driver failed:" >&2
            tail -n 20 "$work/stderr" >&2
            failures=$((failures + 1))
            continue
        fi
        if summary=$(python3 "$checker" "$program"); then
            echo "$dataset $locations: ${summary##*$'\n'}"
        else
            echo "$dataset $locations: problems:"
            echo "$summary"
            failures=$((failures + 1))
        fi
    done
done
if [[ $failures -gt 0 ]]; then
    echo "check-programs: $failures failing programs" >&2
    exit 1
fi
echo "check-programs: every program passes"
