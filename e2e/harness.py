"""Shared part of the engine harness (scripts/e2e, e2e/engine-checks): builds and caches the
Pulumi CLI, the YAML language host, the test-double provider and its schemas under
target/e2e/, and makes scratch Pulumi homes with the double installed as the three plugins.

Standard library only.
"""
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
E2E = os.path.join(ROOT, "e2e")
TARGET = os.path.join(ROOT, "target", "e2e")
BIN = os.path.join(TARGET, "bin")
SCHEMAS = os.path.join(TARGET, "schemas")
WHEELS = os.path.join(TARGET, "wheels")
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
# package -> (version, PyPI distribution); the double answers for exactly these.
PLUGINS = {"gcp": ("10.2.0", "pulumi-gcp"), "azure-native": ("3.29.0", "pulumi-azure-native"),
           "azuread": ("6.11.1", "pulumi-azuread")}
PASSPHRASE = "cpg-e2e"
# The double's seeded live cloud (e2e/double/seed.go): a JSON file, per run.
SEED_ENV = "CPG_E2E_SEED"
# The provider facts the double behaves by (e2e/double/facts.go): the plugins' data files.
FACTS = [os.path.join(ROOT, "crates", "cpg-infra-gcp", "data", "provider-facts.json"),
         os.path.join(ROOT, "crates", "cpg-infra-azure", "data", "provider-facts.json"),
         os.path.join(ROOT, "crates", "cpg-infra-azure", "data", "provider-facts-azuread.json")]


class HarnessError(Exception):
    """A step of the harness that cannot go on (message says what to do)."""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def _stamp(paths):
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.encode())
        with open(p, "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def _fresh(stamp_file, stamp, outputs):
    if not all(os.path.exists(o) for o in outputs) or not os.path.exists(stamp_file):
        return False
    with open(stamp_file) as f:
        return f.read().strip() == stamp


def run_checked(cmd, cwd=None, env=None, what=None):
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-30:])
        raise HarnessError("%s failed (exit %d):\n%s" % (what or " ".join(cmd), proc.returncode, tail))
    return proc


def build_go():
    """The Pulumi CLI, the YAML language host and the double, rebuilt when e2e/ changes (Go's own
    module and build caches make a rebuild after a fresh clone quick)."""
    if shutil.which("go") is None:
        raise HarnessError("`go` is not on PATH: the engine harness builds the Pulumi CLI from Go modules")
    sources = [os.path.join(E2E, "go.mod"), os.path.join(E2E, "go.sum")]
    for d, _, files in os.walk(E2E):
        sources += [os.path.join(d, f) for f in files if f.endswith(".go")]
    go_version = run_checked(["go", "version"]).stdout.strip()
    stamp = _stamp(sources) + " " + go_version
    outputs = [os.path.join(BIN, n) for n in ("pulumi", "pulumi-language-yaml", "pulumi-resource-double")]
    stamp_file = os.path.join(BIN, ".stamp")
    if _fresh(stamp_file, stamp, outputs):
        return
    os.makedirs(BIN, exist_ok=True)
    log("e2e: building the Pulumi CLI, pulumi-language-yaml and the provider double (go build)")
    t = time.monotonic()
    run_checked(["go", "build", "-o", BIN + os.sep,
                 "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
                 "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
                 "./cmd/pulumi-resource-double"], cwd=E2E, what="go build (in e2e/)")
    with open(stamp_file, "w") as f:
        f.write(stamp)
    log("e2e: built in %.0f s" % (time.monotonic() - t))


def build_schemas():
    """Pulumi package schemas of the three packages (e2e/make-schemas), from the compact schemas in
    ../shared/provider-schemas and the SDK wheels (pip download, cached in target/e2e/wheels)."""
    compact = os.path.join(SHARED, "provider-schemas")
    if not os.path.isdir(compact):
        raise HarnessError("%s is missing: the double's schemas are made from it" % compact)
    os.makedirs(WHEELS, exist_ok=True)
    wheels = []
    for pkg, (version, dist) in sorted(PLUGINS.items()):
        wheel = os.path.join(WHEELS, "%s-%s-py3-none-any.whl" % (dist.replace("-", "_"), version))
        if not os.path.exists(wheel):
            log("e2e: pip download %s==%s" % (dist, version))
            run_checked([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                         "--disable-pip-version-check", "-q", "-d", WHEELS, "%s==%s" % (dist, version)])
        wheels.append(wheel)
    inputs = [os.path.join(E2E, "make-schemas")] + wheels + [
        os.path.join(compact, pkg + ".json") for pkg in PLUGINS]
    stamp = _stamp(inputs)
    outputs = [os.path.join(SCHEMAS, pkg + ".json") for pkg in PLUGINS]
    stamp_file = os.path.join(SCHEMAS, ".stamp")
    if _fresh(stamp_file, stamp, outputs):
        return
    log("e2e: writing the provider schemas (e2e/make-schemas)")
    run_checked([sys.executable, os.path.join(E2E, "make-schemas"), "--compact", compact,
                 "--wheels", WHEELS, "--out", SCHEMAS])
    with open(stamp_file, "w") as f:
        f.write(stamp)


def build_driver():
    log("e2e: cargo build -p cpg-infra-driver")
    run_checked(["cargo", "build", "-q", "-p", "cpg-infra-driver", "--locked"], cwd=ROOT)
    return os.path.join(ROOT, "target", "debug", "cpg-infra-driver")


class Scratch:
    """A scratch Pulumi setup: PULUMI_HOME with the double installed as the three plugins, a file
    backend, a passphrase, and a `cpg-infra-driver` on PATH that records the time each compiler
    call takes."""

    def __init__(self, root, driver):
        self.root = root
        self.home = os.path.join(root, "pulumi-home")
        self.state = os.path.join(root, "state")
        self.bin = os.path.join(root, "bin")
        self.compiler_log = os.path.join(root, "compiler-times")
        for d in (self.home, self.state, self.bin):
            os.makedirs(d, exist_ok=True)
        shim = os.path.join(self.bin, "cpg-infra-driver")
        self.programs = os.path.join(root, "programs")
        os.makedirs(self.programs, exist_ok=True)
        with open(shim, "w") as f:
            f.write("#!/usr/bin/env bash\n"
                    "# The real driver, timed for the e2e tables; a stack's last program is kept.\n"
                    "start=$(date +%%s%%N)\n"
                    "if [ -n \"${PULUMI_STACK:-}\" ]; then\n"
                    "  out=%s/\"$PULUMI_STACK\".json\n"
                    "  %s \"$@\" > \"$out\"; rc=$?; cat \"$out\"\n"
                    "else\n  %s \"$@\"; rc=$?\nfi\n"
                    "end=$(date +%%s%%N)\n"
                    "echo \"${PULUMI_STACK:--} $(( (end - start) / 1000 ))\" >> %s\nexit $rc\n"
                    % (shlex.quote(self.programs), shlex.quote(driver), shlex.quote(driver),
                       shlex.quote(self.compiler_log)))
        os.chmod(shim, 0o755)
        self.env = dict(os.environ)
        for k in list(self.env):
            if k.startswith("PULUMI_") or k in ("CPG_CONFIG_PATH", "CPG_E2E_FAIL_CREATE", SEED_ENV):
                del self.env[k]
        self.env.update({
            "PATH": os.pathsep.join([self.bin, BIN, self.env.get("PATH", "")]),
            "PULUMI_HOME": self.home,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_BACKEND_URL": "file://" + self.state,
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_SKIP_CONFIRMATIONS": "true",
            "CPG_E2E_SCHEMAS": SCHEMAS,
            "CPG_E2E_FACTS": os.pathsep.join(FACTS),
            "NO_COLOR": "1",
        })
        double = os.path.join(BIN, "pulumi-resource-double")
        for pkg, (version, _) in sorted(PLUGINS.items()):
            run_checked([os.path.join(BIN, "pulumi"), "plugin", "install", "resource", pkg, version,
                         "--file", double], env=self.env, what="pulumi plugin install resource %s" % pkg)

    def pulumi(self, args, cwd, extra_env=None):
        """Runs the CLI; returns (exit code, combined output, seconds, compiler seconds)."""
        env = dict(self.env)
        env.update(extra_env or {})
        before = self.compiler_seconds()
        t = time.monotonic()
        proc = subprocess.run([os.path.join(BIN, "pulumi")] + args + ["--non-interactive"],
                              cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return proc.returncode, proc.stdout, time.monotonic() - t, self.compiler_seconds() - before

    def compiler_seconds(self):
        if not os.path.exists(self.compiler_log):
            return 0.0
        with open(self.compiler_log) as f:
            return sum(int(line.split()[1]) for line in f if line.strip()) / 1e6

    def compiler_calls(self):
        """(PULUMI_STACK or '-', microseconds) of every compiler call so far."""
        if not os.path.exists(self.compiler_log):
            return []
        with open(self.compiler_log) as f:
            return [(a, int(b)) for a, b in (line.split() for line in f if line.strip())]

    def export(self, stack, cwd):
        code, out, _, _ = self.pulumi(["stack", "export", "--stack", stack], cwd)
        if code != 0:
            raise HarnessError("pulumi stack export --stack %s failed:\n%s" % (stack, out[-2000:]))
        return json.loads(out)


# The stack settings only GCP reads (its provider's namespace, the GCP plugin's dataset keys).
GCP_ONLY_PREFIXES = (
    "gcp:",
    "datasets:gcp_hail_service_account_",
    "datasets:deployment_service_account_",
    "datasets:sm_read_",
    "datasets:autoclass",
)


def copy_stack_dir(src, dst, config, clouds=None):
    """Copies the stack folder (Pulumi.yaml from stack/ when it has none); drops the stack files'
    `encryptionsalt` (it belongs to another passphrase); with `clouds`, sets every stack's
    `datasets:deploy_locations` to them (without GCP, dropping the GCP-only settings); copies the
    config file in as cpg.toml."""
    shutil.copytree(src, dst)
    if not os.path.exists(os.path.join(dst, "Pulumi.yaml")):
        shutil.copy(os.path.join(ROOT, "stack", "Pulumi.yaml"), os.path.join(dst, "Pulumi.yaml"))
    for name in os.listdir(dst):
        if name.startswith("Pulumi.") and name.endswith(".yaml") and name != "Pulumi.yaml":
            path = os.path.join(dst, name)
            os.chmod(path, 0o644)
            with open(path) as f:
                lines = [ln for ln in f if not ln.startswith("encryptionsalt:")]
            if clouds:
                lines = [ln for ln in lines if not ln.strip().startswith("datasets:deploy_locations:")]
                if "gcp" not in clouds:
                    # A dataset that does not deploy to GCP carries no GCP settings: they would
                    # have no effect, which the driver refuses.
                    lines = [ln for ln in lines if not ln.strip().startswith(GCP_ONLY_PREFIXES)]
                if "config:\n" not in lines:
                    raise HarnessError("%s has no top-level `config:` line for --cloud" % name)
                at = lines.index("config:\n") + 1
                lines.insert(at, "  datasets:deploy_locations: '%s'\n" % json.dumps(clouds))
            with open(path, "w") as f:
                f.writelines(lines)
    for d, dirs, files in os.walk(dst):
        for n in dirs + files:
            os.chmod(os.path.join(d, n), 0o755 if n in dirs else 0o644)
    shutil.copy(config, os.path.join(dst, "cpg.toml"))


def configured_datasets(stack_dir):
    return sorted(n[len("Pulumi."):-len(".yaml")] for n in os.listdir(stack_dir)
                  if n.startswith("Pulumi.") and n.endswith(".yaml") and n != "Pulumi.yaml")


def deploy_order(driver, stack_dir, config, datasets):
    """(stacks in the order `cpg-infra-driver deploy` runs them, dependencies it assumes deployed
    elsewhere), asked of the driver itself with `true` standing in for pulumi. Every stack file
    of the folder is selected with --dataset unless `datasets` names some, so that dependencies
    configured nowhere are read from their deployed stacks, as in production."""
    with tempfile.TemporaryDirectory(prefix="cpg-infra-order-") as scratch:
        # `deploy` refuses a folder without the Pulumi project file; a folder of stack
        # files only (../shared/reference/stacks) is asked through a view of it with ours.
        folder = stack_dir
        if not os.path.exists(os.path.join(stack_dir, "Pulumi.yaml")):
            folder = scratch
            for name in os.listdir(stack_dir):
                os.symlink(os.path.join(os.path.abspath(stack_dir), name), os.path.join(scratch, name))
            shutil.copy(os.path.join(ROOT, "stack", "Pulumi.yaml"), os.path.join(scratch, "Pulumi.yaml"))
        args = [driver, "--config", config, "--stack-dir", folder]
        for d in datasets or configured_datasets(stack_dir):
            args += ["--dataset", d]
        proc = run_checked(args + ["deploy", "--preview", "--pulumi", shutil.which("true")],
                           what="cpg-infra-driver deploy --preview (for the stack order)")
    order, assumed = None, []
    for line in proc.stderr.splitlines():
        # "previewing 1 stack in this order: a" / "previewing 3 stacks in this order: a, b, c"
        for marker in (" in this order: ", "dependencies are assumed deployed: "):
            if marker in line:
                names = [s.strip() for s in line.split(marker, 1)[1].split(",") if s.strip()]
                if marker == " in this order: ":
                    order = names
                else:
                    assumed = names
    if order is None:
        raise HarnessError("cpg-infra-driver deploy did not print its stack order:\n" + proc.stderr[-2000:])
    return order, assumed


def deploy_elsewhere(scratch, scratch_root, driver, config, stack_dir, order, assumed):
    """Stacks of datasets configured elsewhere (dependencies outside this stack folder): in the
    same project, each a plain YAML program exporting the outputs the configured programs read
    from it (`${ref.outputs["key"]}`), so their stack references resolve from real state."""
    programs = os.path.join(scratch_root, "elsewhere-programs")
    cmd = [driver, "--config", config, "--stack-dir", stack_dir]
    for ds in order:
        cmd += ["--dataset", ds]
    run_checked(cmd + ["program", "--out-dir", programs], what="cpg-infra-driver program --out-dir")
    wanted = {dep: set() for dep in assumed}
    for name in os.listdir(programs):
        with open(os.path.join(programs, name)) as f:
            prog = json.load(f)
        refs = {k: r["properties"]["name"].rsplit("/", 1)[-1]
                for k, r in prog.get("resources", {}).items()
                if r.get("type") == "pulumi:pulumi:StackReference"}
        text = json.dumps(prog)
        for key, dep in refs.items():
            if dep in wanted:
                pattern = r'\$\{%s\.outputs\[\\"([^\\]+)\\"\]' % re.escape(key)
                wanted[dep].update(re.findall(pattern, text))
    folder = os.path.join(scratch_root, "elsewhere")
    os.makedirs(folder)
    print("e2e: %d dependencies configured elsewhere, deployed as output-only stacks: %s" % (
        len(assumed), ", ".join(assumed)))
    for dep in assumed:
        with open(os.path.join(folder, "Pulumi.yaml"), "w") as f:
            json.dump({"name": "datasets", "runtime": "yaml",
                       "outputs": {k: "%s-value" % k for k in sorted(wanted[dep])}}, f, indent=1)
        for cmd in (["stack", "init", dep], ["up", "--yes", "--stack", dep]):
            code, out, _, _ = scratch.pulumi(cmd, folder)
            if code != 0:
                raise HarnessError("stack %s (configured elsewhere): pulumi %s failed:\n%s"
                                           % (dep, " ".join(cmd), out[-3000:]))
