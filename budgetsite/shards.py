"""Building past one machine: `build.py --shard K/N` makes a disjoint part of
the pages, and `build.py merge PART...` puts the parts together with the
files the whole site has once (site_files.py).

A shard's folder holds its pages' files and a manifest saying which shard
of how many it is, the inputs it was built from (freshness fingerprint, less
the shard itself) and each of its pages' files. merge refuses parts that do
not make one site together: a shard missing or given twice, parts built from
other content, code or options than merge sees, pages left out or a file
written by two parts. What it writes is byte for byte what one build writes.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .problems import SettingError

MANIFEST = ".budgetsite-shard.json"


@dataclass(frozen=True)
class Shard:
    """Shard number (1-based) of count."""
    number: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not m or not 1 <= int(m[1]) <= int(m[2]):
            raise SettingError(f"--shard {text!r}: K/N 꼴로, 1 ≤ K ≤ N인 정수를 주세요 (예: --shard 2/3).")
        return cls(int(m[1]), int(m[2]))

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"

    def select(self, pages: list) -> list:
        """This shard's pages, in the build's order. Pages are dealt round
        the shards heaviest first (a page listing every project costs as much
        as many project pages), so each shard has about the same work."""
        cost = [len(p.inputs) if p.inputs is not None else len(pages) for p in pages]
        order = sorted(range(len(pages)), key=lambda i: (-cost[i], pages[i].path))
        mine = set(order[self.number - 1::self.count])
        return [p for i, p in enumerate(pages) if i in mine]


def write_manifest(out, shard: Shard, inputs: str, page_files: dict[str, list[str]]) -> None:
    out.write(MANIFEST, json.dumps({"shard": shard.number, "of": shard.count, "inputs": inputs,
                                    "pages": dict(sorted(page_files.items()))},
                                   ensure_ascii=False, indent=0, sort_keys=True) + "\n")


@dataclass
class Part:
    folder: Path
    shard: Shard
    inputs: str
    pages: dict[str, list[str]]


def read_part(folder: Path) -> Part:
    manifest = folder / MANIFEST
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return Part(folder, Shard(int(data["shard"]), int(data["of"])), str(data["inputs"]),
                    {str(k): [str(f) for f in v] for k, v in data["pages"].items()})
    except FileNotFoundError:
        raise SettingError(f"{folder}: 조각 빌드의 목록({MANIFEST})이 없습니다. "
                           f"./build.sh --shard K/N --out {folder}로 만든 폴더를 주세요.") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise SettingError(f"{manifest}: 조각 빌드의 목록을 읽지 못했습니다({e}). 그 조각을 다시 만드세요.") from None


def read_parts(folders: list[Path]) -> list[Part]:
    """The parts, checked to be every shard of one count once."""
    if not folders:
        raise SettingError("merge에 합칠 조각 폴더들을 주세요 (예: ./build.sh merge part-1 part-2 part-3).")
    parts = [read_part(folder) for folder in folders]
    counts = {p.shard.count for p in parts}
    if len(counts) > 1:
        raise SettingError(f"조각들의 수(N)가 서로 다릅니다: {', '.join(f'{p.folder}: {p.shard}' for p in parts)}.")
    count = counts.pop()
    numbers = sorted(p.shard.number for p in parts)
    if numbers != list(range(1, count + 1)):
        missing = sorted(set(range(1, count + 1)) - set(numbers))
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        said = "; ".join(filter(None, [f"빠진 조각: {', '.join(f'{n}/{count}' for n in missing)}" if missing else "",
                                       f"두 번 준 조각: {', '.join(f'{n}/{count}' for n in twice)}" if twice else ""]))
        raise SettingError(f"조각 {count}개를 하나씩 모두 주세요 ({said}).")
    return sorted(parts, key=lambda p: p.shard.number)


def check_parts(parts: list[Part], inputs: str, page_paths: list[str]) -> dict[str, tuple[Path, list[str]]]:
    """Page path → (its part's folder, its files), once each part is seen to
    be built from what merge reads (content, code, options) and together they
    hold every page once and no file twice."""
    for p in parts:
        if p.inputs != inputs:
            raise SettingError(f"{p.folder}(조각 {p.shard})은(는) 지금의 내용·코드·옵션과 다른 입력으로 만들었습니다. "
                               f"같은 커밋과 같은 옵션(--base-url, --no-svg)으로 모든 조각을 다시 만드세요.")
    found: dict[str, tuple[Path, list[str]]] = {}
    owner: dict[str, Path] = {}
    for p in parts:
        for page, files in p.pages.items():
            if page in found:
                raise SettingError(f"쪽 {page}이(가) 두 조각({found[page][0]}, {p.folder})에 있습니다.")
            found[page] = (p.folder, files)
            for f in files:
                if f in owner:
                    raise SettingError(f"파일 {f}을(를) 두 조각({owner[f]}, {p.folder})이 썼습니다.")
                owner[f] = p.folder
    missing = [page for page in page_paths if page not in found]
    extra = sorted(set(found) - set(page_paths))
    if missing or extra:
        raise SettingError(f"조각들의 쪽이 사이트의 쪽과 맞지 않습니다 (빠진 쪽 {len(missing)}개"
                           f"{': ' + ', '.join(missing[:3]) if missing else ''}, 남는 쪽 {len(extra)}개"
                           f"{': ' + ', '.join(extra[:3]) if extra else ''}). 같은 내용으로 조각을 다시 만드세요.")
    return found
