"""Shared part of the engine harness (scripts/e2e, e2e/engine-checks): builds and caches the
Pulumi CLI, the YAML language host, the test-double provider and its schemas under
target/e2e/, and makes scratch Pulumi homes with the double installed as the plugins of the
provider packages the driver's registered clouds pin (`cpg-infra-driver clouds --format json`).

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
PASSPHRASE = "cpg-e2e"
# The double's seeded live cloud (e2e/double/seed.go): a JSON file, per run.
SEED_ENV = "CPG_E2E_SEED"
# The provider facts the double behaves by, and takes its pinned version from
# (e2e/double/facts.go): one file per package, written from what the driver's clouds declare.
FACTS_ENV = "CPG_E2E_FACTS"


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


def pypi_distribution(package):
    """The PyPI distribution of the Python SDK of the Pulumi provider package `package`, by
    Pulumi's naming rule: pulumi-<package> (pulumi-gcp, pulumi-azure-native, pulumi-azuread).
    The one place the harness derives it."""
    return "pulumi-" + package


class Package:
    """A Pulumi provider package a registered cloud pins: what the double stands in for."""

    def __init__(self, name, version, cloud, facts):
        self.name = name
        self.version = version
        self.cloud = cloud
        # The package's provider facts files (parsed), each about this version.
        self.facts = facts
        self.distribution = pypi_distribution(name)


_PACKAGES = {}


def packages(driver):
    """{name: Package} of every cloud the driver registers (`cpg-infra-driver clouds --format
    json`): the plugins a scratch Pulumi home gets, the schemas and SDK wheels they need, the
    facts the double behaves by. A new cloud crate registered in the driver needs no edit here.
    Asked once per driver binary."""
    if driver in _PACKAGES:
        return _PACKAGES[driver]
    proc = run_checked([driver, "clouds", "--format", "json"], what="cpg-infra-driver clouds --format json")
    try:
        clouds = json.loads(proc.stdout)["clouds"]
    except (ValueError, KeyError, TypeError) as e:
        raise HarnessError("cpg-infra-driver clouds --format json printed no list of clouds (%s)" % e)
    out = {}
    for cloud in clouds:
        facts = {}
        for f in cloud["provider_facts"]:
            facts.setdefault(f["package"], []).append(f)
        for p in cloud["providers"]:
            name = p["name"]
            if name in out:
                raise HarnessError("clouds %s and %s both declare the provider package %s"
                                   % (out[name].cloud, cloud["name"], name))
            if not facts.get(name):
                # The double takes the version it answers for, and its behaviour, from them.
                raise HarnessError("cloud %s declares no provider facts for its package %s %s: "
                                   "add the plugin's data/provider-facts file of it"
                                   % (cloud["name"], name, p["version"]))
            out[name] = Package(name, p["version"], cloud["name"], facts.pop(name))
        if facts:
            raise HarnessError("cloud %s has provider facts of %s, packages it does not declare"
                               % (cloud["name"], ", ".join(sorted(facts))))
    if not out:
        raise HarnessError("cpg-infra-driver clouds --format json lists no provider package")
    _PACKAGES[driver] = out
    return out


def write_facts(pkgs, folder):
    """Writes every package's provider facts to `folder` (one file each, for the double's
    $CPG_E2E_FACTS); returns their paths."""
    os.makedirs(folder, exist_ok=True)
    paths = []
    for name, pkg in sorted(pkgs.items()):
        for i, facts in enumerate(pkg.facts):
            path = os.path.join(folder, "%s%s.json" % (name, "-%d" % (i + 1) if i else ""))
            with open(path, "w") as f:
                json.dump(facts, f, indent=1, sort_keys=True)
            paths.append(path)
    return paths


def build_schemas(driver):
    """Pulumi package schemas of the registered clouds' packages (e2e/make-schemas), from the
    compact schemas in ../shared/provider-schemas and the SDK wheels (pip download, cached in
    target/e2e/wheels)."""
    compact = os.path.join(SHARED, "provider-schemas")
    if not os.path.isdir(compact):
        raise HarnessError("%s is missing: the double's schemas are made from it" % compact)
    pkgs = packages(driver)
    missing = [n for n in sorted(pkgs) if not os.path.exists(os.path.join(compact, n + ".json"))]
    if missing:
        raise HarnessError("%s has no compact schema of %s: the double's schemas are made from it"
                           % (compact, ", ".join(missing)))
    os.makedirs(WHEELS, exist_ok=True)
    wheels = []
    for name, pkg in sorted(pkgs.items()):
        # The wheel's file name: the distribution, normalised (PEP 427), as make-schemas reads it.
        wheel = os.path.join(WHEELS, "%s-%s-py3-none-any.whl"
                             % (re.sub(r"[-_.]+", "_", pkg.distribution).lower(), pkg.version))
        if not os.path.exists(wheel):
            log("e2e: pip download %s==%s" % (pkg.distribution, pkg.version))
            run_checked([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                         "--disable-pip-version-check", "-q", "-d", WHEELS,
                         "%s==%s" % (pkg.distribution, pkg.version)])
        wheels.append(wheel)
    inputs = [os.path.join(E2E, "make-schemas")] + wheels + [
        os.path.join(compact, name + ".json") for name in pkgs]
    stamp = _stamp(inputs)
    outputs = [os.path.join(SCHEMAS, name + ".json") for name in pkgs]
    stamp_file = os.path.join(SCHEMAS, ".stamp")
    if _fresh(stamp_file, stamp, outputs):
        return
    log("e2e: writing the provider schemas (e2e/make-schemas)")
    cmd = [sys.executable, os.path.join(E2E, "make-schemas"), "--compact", compact,
           "--wheels", WHEELS, "--out", SCHEMAS]
    for name, pkg in sorted(pkgs.items()):
        cmd += ["--package", name, pkg.version, pkg.distribution]
    run_checked(cmd)
    with open(stamp_file, "w") as f:
        f.write(stamp)


def build_driver():
    log("e2e: cargo build -p cpg-infra-driver")
    run_checked(["cargo", "build", "-q", "-p", "cpg-infra-driver", "--locked"], cwd=ROOT)
    return os.path.join(ROOT, "target", "debug", "cpg-infra-driver")


class Scratch:
    """A scratch Pulumi setup: PULUMI_HOME with the double installed as the plugin of every
    package the driver's clouds pin (at its version), their provider facts written beside it
    for the double, a file backend, a passphrase, and a `cpg-infra-driver` on PATH that records
    the time each compiler call takes."""

    def __init__(self, root, driver):
        self.root = root
        self.home = os.path.join(root, "pulumi-home")
        self.state = os.path.join(root, "state")
        self.bin = os.path.join(root, "bin")
        self.compiler_log = os.path.join(root, "compiler-times")
        self.packages = packages(driver)
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
            if k.startswith("PULUMI_") or k in ("CPG_CONFIG_PATH", "CPG_E2E_FAIL_CREATE", SEED_ENV, FACTS_ENV):
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
            FACTS_ENV: os.pathsep.join(write_facts(self.packages, os.path.join(root, "provider-facts"))),
            "NO_COLOR": "1",
        })
        double = os.path.join(BIN, "pulumi-resource-double")
        for name, pkg in sorted(self.packages.items()):
            run_checked([os.path.join(BIN, "pulumi"), "plugin", "install", "resource", name, pkg.version,
                         "--file", double], env=self.env, what="pulumi plugin install resource %s" % name)

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
