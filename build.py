#!/usr/bin/env python3
"""Build the budget site: `python build.py` (build), `check`, `serve`. See README.md."""
import sys

try:
    from budgetsite.cli import run
except ImportError as e:  # run by a Python without the project's packages
    print(f"필요한 파이썬 패키지({e.name})가 없습니다. 가상환경 밖에서 실행한 것 같습니다: ./build.sh로 실행하세요 "
          f"(가상환경 .venv를 만들고 패키지를 설치합니다). 이미 만들었다면 .venv/bin/python build.py로도 됩니다.",
          file=sys.stderr)
    sys.exit(2)

if __name__ == "__main__":
    run()
