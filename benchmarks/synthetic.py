"""Synthetic content of any size, valid for the generator: departments with
projects that each have seven years of figures at several stages, execution
snapshots, a 통계목 breakdown and a review note; totals that reconcile.

    .venv/bin/python benchmarks/synthetic.py OUT --projects 1000 [--departments 50]

Writes OUT/content/ and OUT/sources/ (the cited documents as numbered lines).
"""
from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

YEARS = list(range(2019, 2026))
BUDGET = ["예산안", "본예산", "최종예산"]
WORDS = ["데이터", "스마트", "공간정보", "보안", "클라우드", "통신망", "시민", "플랫폼", "기록", "인공지능", "센서", "행정"]
TAILS = ["운영", "구축", "고도화", "유지관리", "확산", "지원"]
DOC_LINES = 2000


def _dump(path: Path, schema: str, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    head = f"# yaml-language-server: $schema={schema}\n"
    path.write_text(head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")


def generate(out: Path, projects: int, departments: int, seed: int = 7) -> Path:
    rnd = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    content, sources = out / "content", out / "sources"
    sources.mkdir(parents=True)
    docs = [f"doc-{y}" for y in YEARS]
    for d in docs:
        (sources / f"{d}.txt").write_text("".join(f"{i} 합성 자료 줄\n" for i in range(1, DOC_LINES + 1)), encoding="utf-8")
    _dump(content / "sources.yaml", "../schemas/sources.schema.json", {"sources": [
        {"id": d, "title": f"합성 검토보고서 {d[-4:]}", "organisation": "합성시", "date": f"{d[-4:]}-11",
         "kind": "검토보고서", "units": ["천원"], "file": f"{d}.txt"} for d in docs]})
    line = lambda: rnd.randint(1, DOC_LINES)  # noqa: E731
    dept_ids = [f"dept-{i:03d}" for i in range(departments)]
    sums = {(d, y, s): 0 for d in dept_ids for y in YEARS for s in BUDGET}
    names: set[str] = set()
    for i in range(projects):
        dept = dept_ids[i % departments]
        name = f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} {rnd.choice(TAILS)} {i}"
        names.add(name)
        figures, base = [], rnd.randint(50, 5000) * 1000
        for y in YEARS:
            doc = f"doc-{y}"
            amounts = {"예산안": base, "본예산": base + rnd.randint(-5, 5) * 1000}
            amounts["최종예산"] = amounts["본예산"] + rnd.randint(0, 10) * 1000
            for stage, amount in amounts.items():
                figures.append({"year": y, "stage": stage, "amount": amount, "source": {"doc": doc, "line": line()}})
                sums[(dept, y, stage)] += amount
            spent = amounts["최종예산"] * rnd.randint(40, 100) // 100
            for stage, amount in (("예산현액", amounts["최종예산"]), ("원인행위액", spent), ("지출액", spent * 9 // 10)):
                figures.append({"year": y, "stage": stage, "amount": amount, "as_of": f"{y}-10-31",
                                "source": {"doc": doc, "line": line()}})
            base = max(1000, base + rnd.randint(-20, 20) * base // 100 // 1000 * 1000)
        first = figures[0]["amount"]
        _dump(content / "projects" / f"project-{i:05d}.yaml", "../../schemas/project.schema.json", {
            "id": f"project-{i:05d}", "name": name,
            "departments": [{"year": y, "department": dept} for y in YEARS],
            "account": "일반회계",
            "description": f"{name}: 합성 자료로 만든 사업입니다. 성능을 재려고 만든 것으로 실제 예산이 아닙니다.",
            "figures": figures,
            "breakdown": [{"year": 2019, "stage": "예산안", "source": {"doc": "doc-2019", "line": line()},
                           "items": [{"code": "201-01", "name": "사무관리비", "amount": first // 2},
                                     {"code": "401-01", "name": "시설비", "amount": first - first // 2}]}],
            "notes": [{"year": 2025, "text": "위원회는 사업의 효과를 더 따져 보라고 했습니다.",
                       "source": {"doc": "doc-2025", "line": line()}}],
        })
    for n, dept in enumerate(dept_ids):
        _dump(content / "departments" / f"{dept}.yaml", "../../schemas/department.schema.json", {
            "id": dept, "names": [{"name": f"합성{n}과", "from": 2019}],
            "totals": [{"year": y, "stage": s, "amount": sums[(dept, y, s)], "scope": "사업비",
                        "source": {"doc": f"doc-{y}", "line": line()}} for y in YEARS for s in BUDGET]})
    _dump(content / "site.yaml", "../schemas/site.schema.json", {
        "title": "합성 예산 사이트", "description": "성능 측정용 합성 자료입니다.", "base_url": "https://example.org/synthetic/",
        "bureau": {"names": [{"name": "합성국", "from": 2019}],
                   "totals": [{"year": y, "stage": s, "amount": sum(sums[(d, y, s)] for d in dept_ids), "scope": "사업비",
                               "source": {"doc": f"doc-{y}", "line": line()}} for y in YEARS for s in BUDGET]}})
    (content / "pages").mkdir()
    (content / "pages" / "guide.md").write_text("합성 자료입니다.\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--departments", type=int, default=20)
    args = parser.parse_args()
    generate(args.out, args.projects, args.departments)
    print(f"{args.out}: {args.projects} projects, {args.departments} departments")
