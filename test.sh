#!/usr/bin/env bash
# 테스트 실행: ./test.sh   (pytest 인자를 그대로 넘길 수 있습니다: ./test.sh -k money)
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh --test
# 먼저 린트(ruff)와 타입 검사(mypy), 설정은 pyproject.toml: 하나라도 실패하면 여기서 멈춥니다.
.venv/bin/ruff check .
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
