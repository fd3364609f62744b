#!/usr/bin/env bash
# 테스트 실행: ./test.sh   (pytest 인자를 그대로 넘길 수 있습니다: ./test.sh -k money)
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest "$@"
