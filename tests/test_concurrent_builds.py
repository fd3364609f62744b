"""Two builds into one folder at once: the second waits for the first, and
the site published is one whole site, never a mix or a part (issue 23 §2).
Two real processes, each with other content, so both have work to do."""
import shutil
import subprocess
import sys

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT
from .test_validation import snapshot


def _command(out, content):
    return [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(content),
            "--sources", str(FIXTURE_SOURCES), "--out", str(out)]


def test_two_builds_at_once_publish_one_whole_site(tmp_path):
    contents = []
    for label in ("가", "나"):
        content = tmp_path / f"content-{label}"
        shutil.copytree(FIXTURE_CONTENT, content)
        site_yaml = content / "site.yaml"
        site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("시험 예산 사이트", f"시험 예산 사이트 {label}"),
                             encoding="utf-8")
        contents.append(content)
    references = []
    for i, content in enumerate(contents):
        subprocess.run(_command(tmp_path / f"reference-{i}", content), check=True, capture_output=True)
        references.append(snapshot(tmp_path / f"reference-{i}"))
    out = tmp_path / "site"
    for _ in range(4):
        runs = [subprocess.Popen(_command(out, c), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for c in contents]
        results = [p.communicate(timeout=300) for p in runs]
        assert [p.returncode for p in runs] == [0, 0], results
        assert snapshot(out) in references  # one whole site, the one built last
        assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")]  # nothing left beside
