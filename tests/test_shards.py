"""build.py --shard K/N and build.py merge (issue 28 §6): N shards merged
are byte for byte one build, and merge refuses parts that do not make one
site together, leaving the published site as it was."""
import shutil
import sys

import pytest

from budgetsite import cli, registry, shards
from budgetsite.pipeline import Builder, Paths, check
from budgetsite.problems import SettingError

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT
from .test_build_cache import fresh_root
from .test_validation import snapshot

sys.path.insert(0, str(PROJECT / "benchmarks"))
from synthetic import generate  # noqa: E402


def _sharded(paths: Paths, tmp_path, n: int, drawings: bool, name: str = "part") -> list:
    parts = []
    for k in range(1, n + 1):
        part = tmp_path / f"{name}-{k}"
        Builder(Paths(paths.root, paths.content, paths.sources, part), drawings=drawings,
                shard=shards.Shard(k, n)).build()
        parts.append(part)
    return parts


@pytest.mark.parametrize("drawings", [False, True], ids=["no-svg", "with-drawings"])
def test_three_shards_merged_are_byte_identical_to_one_build(tmp_path, drawings):
    made = generate(tmp_path / "synthetic", projects=45 if drawings else 120, departments=4)
    root = fresh_root(tmp_path)
    one = Paths(root, made / "content", made / "sources", tmp_path / "one")
    Builder(one, drawings=drawings).build()
    parts = _sharded(one, tmp_path, 3, drawings)
    merged = Paths(root, made / "content", made / "sources", tmp_path / "merged")
    Builder(merged, drawings=drawings).merge(parts)
    assert snapshot(merged.out) == snapshot(one.out)
    # The shards are disjoint and each does about a third of the work.
    pages = [p.path for p in registry.all_pages(check(one))]
    held = [set(shards.read_part(p).pages) for p in parts]
    assert sum(len(h) for h in held) == len(pages) and set().union(*held) == set(pages)
    assert all(len(h) > len(pages) / 6 for h in held), [len(h) for h in held]
    # A shard holds its pages' files only: the site-wide files come with merge.
    assert not (parts[0] / "sitemap.xml").exists() and not (parts[0] / "assets" / "search-index.js").exists()
    if drawings:
        assert list(merged.out.rglob("embed/*.svg")), "the embed drawings are among the shards' files"


@pytest.fixture
def three_parts(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paths = Paths(fresh_root(tmp_path), content, FIXTURE_SOURCES, tmp_path / "site")
    Builder(paths, drawings=False).build()  # the published site merge must not lose
    return paths, _sharded(paths, tmp_path, 3, drawings=False)


@pytest.mark.parametrize("given, said", [
    (lambda parts: parts[:2], "빠진 조각: 3/3"),
    (lambda parts: [parts[0], parts[1], parts[1]], "두 번 준 조각: 2/3"),
    (lambda parts: [parts[0], parts[1], parts[2].parent / "nowhere"], "조각 빌드의 목록"),
])
def test_merge_refuses_parts_that_are_not_every_shard_once(three_parts, given, said):
    paths, parts = three_parts
    before = snapshot(paths.out)
    with pytest.raises(SettingError, match=said):
        Builder(paths, drawings=False).merge(given(parts))
    assert snapshot(paths.out) == before


def test_merge_refuses_parts_built_from_other_content_or_options(three_parts, tmp_path):
    paths, parts = three_parts
    before = snapshot(paths.out)
    with pytest.raises(SettingError, match="다른 입력으로"):  # other options than the shards'
        Builder(paths, drawings=False, base_url="https://elsewhere.example.org/budget/").merge(parts)
    project = next((paths.content / "projects").glob("*.yaml"))
    project.write_text(project.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(SettingError, match="다른 입력으로"):  # content edited since
        Builder(paths, drawings=False).merge(parts)
    assert snapshot(paths.out) == before


def test_merge_never_writes_into_one_of_its_parts(three_parts):
    paths, parts = three_parts
    held = snapshot(parts[1])
    into_part = Paths(paths.root, paths.content, paths.sources, parts[1])
    with pytest.raises(SettingError, match="출력 폴더로"):
        Builder(into_part, drawings=False).merge(parts)
    assert snapshot(parts[1]) == held


def test_a_shard_rebuilt_unchanged_does_nothing_and_a_merge_can_follow_a_build(three_parts):
    paths, parts = three_parts
    shard = Builder(Paths(paths.root, paths.content, paths.sources, parts[0]), drawings=False,
                    shard=shards.Shard(1, 3))
    before = snapshot(parts[0])
    shard.build()
    assert snapshot(parts[0]) == before
    whole = snapshot(paths.out)
    Builder(paths, drawings=False).merge(parts)  # over a site a whole build made
    assert snapshot(paths.out) == whole


def test_the_commands(three_parts, tmp_path, capsys):
    paths, parts = three_parts
    common = ["--content", str(paths.content), "--sources", str(paths.sources), "--no-svg"]
    assert cli.main(["merge", *map(str, parts), "--out", str(tmp_path / "cli-site"), *common]) == 0
    assert snapshot(tmp_path / "cli-site") == snapshot(paths.out)
    assert "조각 3개를 합쳐" in capsys.readouterr().out
    for wrong in (["--shard", "0/3"], ["--shard", "4/3"], ["--shard", "x"]):
        assert cli.main([*wrong, "--out", str(tmp_path / "never"), *common]) == 2
        assert "K/N" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # a part of a site is only built
        cli.main(["check", "--shard", "1/2", *common])
    assert not (tmp_path / "never").exists()
