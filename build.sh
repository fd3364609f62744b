#!/usr/bin/env bash
# 사이트 만들기: ./build.sh   (검사만: ./build.sh check, 미리보기: ./build.sh serve)
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
exec .venv/bin/python build.py "$@"
