"""The benchmark's synthetic content stays valid as the schemas and checks
change: a benchmark of content that fails its check would time an error
message, not a build."""
import sys

from budgetsite.pipeline import Paths, build, check

from .conftest import PROJECT
from .test_build_cache import fresh_root

sys.path.insert(0, str(PROJECT / "benchmarks"))
from synthetic import generate  # noqa: E402


def test_synthetic_content_checks_and_builds(tmp_path):
    made = generate(tmp_path / "synthetic", projects=30, departments=3)
    paths = Paths(fresh_root(tmp_path), made / "content", made / "sources", tmp_path / "site")
    site = check(paths)
    assert len(site.projects) == 30 and len(site.departments) == 3
    build(paths, drawings=False)
    assert (paths.out / "projects" / "project-00001" / "index.html").is_file()
    assert len(list((paths.out / "compare").glob("*/index.html"))) == 21  # every pair of the seven years
