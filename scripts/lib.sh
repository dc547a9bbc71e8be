# Shared by scripts/demo and scripts/test: find Python 3.11+, make .venv, install dependencies.
# shellcheck shell=bash

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "Python 3.11 or newer is needed (python3 --version)." >&2
  exit 1
}

# Debian without the python3-venv package has no ensurepip: make the venv without pip and
# bootstrap pip from its wheel on PyPI (into the venv given, .venv by default).
bootstrap_pip() {
  "${1:-.venv}/bin/python" - <<'PY'
import json, subprocess, sys, tempfile, urllib.request
release = json.load(urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60))
wheel = next(f for f in release["urls"] if f["filename"].endswith(".whl"))
path = tempfile.mkdtemp() + "/" + wheel["filename"]
urllib.request.urlretrieve(wheel["url"], path)
subprocess.check_call([sys.executable, path + "/pip", "install", "--quiet", path])
PY
}

# The lock file of a set of extras: what the suite passed with (scripts/lock writes them).
lock_file() {
  case "$1" in
    "") echo requirements/app.txt ;;
    test) echo requirements/test.txt ;;
    *) echo "No lock file for the extras '$1' (scripts/lock)." >&2; exit 1 ;;
  esac
}

ensure_venv() {
  local extras="$1"
  local python lock
  python=$(find_python)
  lock=$(lock_file "$extras")
  if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment (.venv) with $python"
    if ! "$python" -m venv .venv 2>/dev/null; then
      rm -rf .venv
      "$python" -m venv --without-pip .venv
      bootstrap_pip
    fi
  fi
  local stamp=".venv/.installed-${extras:-runtime}"
  local wanted
  wanted=$(cat pyproject.toml "$lock" | "$python" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "Installing dependencies${extras:+ ($extras)} from $lock…"
    .venv/bin/python -m pip install --quiet --upgrade pip
    # Exactly the locked versions, checked against their hashes; then the project itself.
    .venv/bin/python -m pip install --quiet --require-hashes -r "$lock"
    .venv/bin/python -m pip install --quiet --no-deps -e .
    if ! .venv/bin/python -m pip check; then
      echo "$lock does not match pyproject.toml: run bash scripts/lock." >&2
      exit 1
    fi
    echo "$wanted" > "$stamp"
  fi
}
