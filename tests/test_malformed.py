"""A corpus of malformed content, as office staff and strangers' pull requests
produce it. Each case goes through the real `build.py build`: a message naming
file, line and field; exit status 1; the published site/ exactly as it was."""
import shutil
import unicodedata

import pytest

from budgetsite.cli import main

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES
from .test_validation import line_of, snapshot

MAP = "projects/map-platform.yaml"
ALPHA = "departments/alpha.yaml"
FIG = "{year: 2024, stage: 본예산, amount: 1300000,"


def replace(old, new):
    def apply(path):
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def write(data: bytes):
    return lambda path: path.write_bytes(data)


def nfd(text):
    return unicodedata.normalize("NFD", text)


BOMB = ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n")

# (name, file, how to break it, line (a text on it, or a number), field, message)
CASES = [
    ("unclosed bracket", MAP, replace("name: 지도 플랫폼 운영", "name: [지도 플랫폼 운영"), "former_names:", "",
     "YAML 문법 오류"),
    ("bad indentation", MAP, replace("account: 일반회계", "  account: 일반회계"), "  account:", "", "YAML 문법 오류"),
    ("tab indentation", MAP, replace("  - {year: 2024, department: alpha}", "\t- {year: 2024, department: alpha}"),
     "\t- {year", "", "탭 문자"),
    ("unquoted colon in a value", MAP, replace("name: 지도 플랫폼 운영", "name: 지도: 플랫폼 운영"), "name: 지도:", "",
     "YAML 문법 오류"),
    ("year as text", MAP, replace(FIG, "{year: 2024년, stage: 본예산, amount: 1300000,"), "2024년", "figures[1].year", "정수"),
    ("amount with a decimal point", MAP, replace(FIG, "{year: 2024, stage: 본예산, amount: 1300000.0,"), "1300000.0",
     "figures[1].amount", "소수점 없이"),
    ("year with an exponent", ALPHA,
     replace("{year: 2025, stage: 예산안, amount: 2000000", "{year: 2.025e+3, stage: 예산안, amount: 2000000"),
     "2.025e+3", "totals[0].year", "소수점 없이"),
    ("name as a list", MAP, replace("name: 지도 플랫폼 운영", "name: [지도, 플랫폼]"), "name: [지도", "name", "문자열"),
    ("figures as a mapping", ALPHA, replace("totals:", "totals: {}\nold_totals:"), "totals: {}", "totals", "목록"),
    ("whole file a list", MAP, write(b"- a\n- b\n"), 1, "", "항목 묶음"),
    ("missing account", MAP, replace("account: 일반회계\n", ""), "id: map-platform", "account", "필수 항목 'account'"),
    ("missing source", MAP, replace("amount: 1300000, source: {doc: doc-a, line: 10}}", "amount: 1300000}"),
     "amount: 1300000}", "figures[1].source", "필수 항목 'source'"),
    ("unknown field", MAP, replace("account: 일반회계", "acount: 일반회계"), "acount:", "acount", "알 수 없는 항목"),
    ("unknown department", MAP, replace("{year: 2024, department: alpha}", "{year: 2024, department: gamma}"),
     "gamma", "departments[0].department", "없는 부서 'gamma'"),
    ("unknown source", MAP, replace("doc: doc-a, line: 11", "doc: doc-z, line: 11"), "doc-z", "figures[2].source.doc",
     "없는 자료"),
    ("unknown project in programs", "programs.yaml", replace("aerial-photos]", "aerial]"), "aerial]",
     "units[0].projects[1]", "없는 사업"),
    ("id not its file name", MAP, replace("id: map-platform", "id: map-platform-2"), "id: map-platform-2", "id", "파일 이름"),
    ("duplicate glossary id", "glossary.yaml", replace("id: non-tax-revenue", "id: current-budget"),
     "id: current-budget, definition: 세금", "terms[1]", "같은 id"),
    ("duplicate key", MAP, replace("account: 일반회계", "account: 일반회계\naccount: 특별회계"), "account: 특별회계",
     "account", "같은 키"),
    ("duplicate figure", MAP, replace("stage: 최종예산, amount: 1350000", "stage: 본예산, amount: 1350000"),
     "amount: 1350000", "figures[2]", "이미 있습니다"),
    ("impossible date", MAP, replace('as_of: "2025-07-31", source: {doc: doc-b, line: 12}}\n  - {year: 2025, stage: 원인',
                                     'as_of: "2025-02-30", source: {doc: doc-b, line: 12}}\n  - {year: 2025, stage: 원인'),
     "2025-02-30", "figures[3].as_of", "없는 날짜"),
    ("date in another format", MAP, replace('stage: 지출액, amount: 600000, as_of: "2025-07-31"',
                                            'stage: 지출액, amount: 600000, as_of: "2025/07/31"'),
     "2025/07/31", "figures[5].as_of", "형식이 맞지 않습니다"),
    ("year far in the future", MAP, replace(FIG, "{year: 3024, stage: 본예산, amount: 1300000,"), "3024", "figures[1].year",
     "회계연도는 1948년부터 2100년까지여야 합니다 (입력값: 3024)"),
    ("year zero", MAP, replace(FIG, "{year: 0, stage: 본예산, amount: 1300000,"), "year: 0,", "figures[1].year",
     "회계연도는 1948년부터 2100년까지"),
    # A year bounds the pages one file makes (issue 23): from the first budget, 1948, to 2100.
    ("year before the first budget", MAP, replace(FIG, "{year: 1900, stage: 본예산, amount: 1300000,"), "1900",
     "figures[1].year", "회계연도는 1948년부터 2100년까지여야 합니다 (입력값: 1900)"),
    ("department total after 2100", ALPHA,
     replace("{year: 2025, stage: 예산안, amount: 2000000", "{year: 2101, stage: 예산안, amount: 2000000"),
     "2101", "totals[0].year", "회계연도는 1948년부터 2100년까지여야 합니다 (입력값: 2101)"),
    ("former name's year before 1948", MAP, replace("years: [2024]", "years: [1947]"), "years: [1947]",
     "former_names[0].years[0]", "(입력값: 1947)"),
    ("negative amount", MAP, replace("amount: 1300000,", "amount: -1300000,"), "-1300000", "figures[1].amount", "0 이상"),
    ("fractional amount", MAP, replace("amount: 1300000,", "amount: 1300000.5,"), "1300000.5", "figures[1].amount", "정수"),
    ("amount as text", MAP, replace("amount: 1300000,", "amount: '1,300,000원',"), "1,300,000원", "figures[1].amount", "정수"),
    ("absurdly large amount", MAP, replace("amount: 1300000,", "amount: 130000000000000000000000,"),
     "130000000000000000000000", "figures[1].amount", "이하여야"),
    ("empty file", MAP, write(b""), 1, "", "비어 있습니다"),
    ("only comments", MAP, write("# 나중에 채움\n".encode()), 1, "", "비어 있습니다"),
    ("EUC-KR bytes", MAP, lambda p: p.write_bytes(p.read_text(encoding="utf-8").encode("cp949")), 3, "", "UTF-8"),
    ("stray byte on line 9", MAP, lambda p: p.write_bytes(p.read_bytes().replace("account: 일반회계".encode(),
                                                                           b"account: \xff")), 9, "", "UTF-8"),
    ("decomposed Hangul in a name", MAP, replace("name: 지도 플랫폼 운영", "name: " + nfd("지도 플랫폼 운영")),
     3, "name", "NFD"),
    ("decomposed Hangul in an id", MAP,
     replace("{year: 2024, department: alpha}", "{year: 2024, department: " + nfd("알파") + "}"),
     nfd("알파"), "departments[0].department", "형식이 맞지 않습니다"),
    ("tab inside a name", MAP, replace("name: 지도 플랫폼 운영", 'name: "지도\\t플랫폼"'), "name: \"지도", "name",
     "제어 문자가 있습니다: 탭"),
    ("bell character in a name", MAP, replace("name: 지도 플랫폼 운영", 'name: "지도\\a플랫폼"'), "name: \"지도", "name",
     "U+0007"),
    ("very long name", MAP, replace("name: 지도 플랫폼 운영", "name: " + "지도" * 5000), "name: 지도지도", "name", "200자"),
    ("alias bomb", MAP, write(BOMB.encode()), 2, "", "별칭"),
    ("nesting deep enough to crash libyaml", MAP, write(("a: " + "[" * 50000 + "]" * 50000 + "\n").encode()), 1, "",
     "중첩"),
    ("deep nesting", MAP, write(("a: " + "[" * 3000 + "]" * 3000 + "\n").encode()), 1, "", "중첩"),
    ("unknown stage", MAP, replace("stage: 최종예산", "stage: 결산"), "결산", "figures[2].stage", "다음 중 하나"),
    ("Markdown table in an explanation", MAP,
     replace("explanation: 이름이 바뀌었다고 자료가 밝힙니다.", 'explanation: "| 가 | 나 |\\n|---|---|\\n| 1 | 2 |"'),
     "| 가 | 나 |", "history[0].explanation", "Markdown 표는 쓸 수 없습니다"),
    ("HTML table in a description", MAP,
     replace("description: 지도를", 'description: "<table><tr><td>1</td></tr></table>" # 지도를'),
     "<table>", "description", "Markdown 표는 쓸 수 없습니다"),
    ("table in the guide", "pages/guide.md", replace("## 단위", "| 가 | 나 |\n|---|---|\n| 1 | 2 |\n\n## 단위"),
     "| 가 | 나 |", "", "Markdown 표는 쓸 수 없습니다"),
    ("not quite a number", MAP, replace("amount: 1300000,", "amount: 0x_,"), "0x_", "figures[1].amount", "숫자 '0x_'"),
    ("octal amount", MAP, replace("amount: 1300000,", "amount: 01300000,"), "01300000", "figures[1].amount", "8진수"),
    ("guide not UTF-8", "pages/guide.md", write("## 안내\n".encode("cp949")), 1, "", "UTF-8"),
    ("guide missing", "pages/guide.md", lambda p: p.unlink(), 1, "", "파일이 없습니다"),
    ("department total not its projects' sum", ALPHA,
     replace("amount: 1900000, precision: 백만원", "amount: 2900000, precision: 백만원"),
     "2900000", "totals[1].amount", "합계가 맞지 않습니다"),
]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("published") / "site"
    assert main(["build", "--content", str(FIXTURE_CONTENT), "--sources", str(FIXTURE_SOURCES), "--out", str(out)]) == 0
    return out, snapshot(out)


def test_the_corpus_is_large():
    assert len(CASES) >= 30


@pytest.mark.parametrize("name, file, breaks, at, field, message", CASES, ids=[c[0] for c in CASES])
def test_malformed_content(published, tmp_path, capsys, name, file, breaks, at, field, message):
    out, before = published
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    breaks(content / file)
    capsys.readouterr()
    status = main(["build", "--content", str(content), "--sources", str(FIXTURE_SOURCES), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 1, err
    assert snapshot(out) == before, "the published site changed"
    assert "Traceback" not in err
    lines = [ln.strip() for ln in err.splitlines() if ln.startswith("  ") and message in ln]
    assert lines, f"no message with {message!r}:\n{err}"
    line = at if isinstance(at, int) else line_of(content / file, at)
    expected = f"content/{file}:{line}" + (f" [{field}]" if field else "")
    assert any(ln.startswith(expected) for ln in lines), f"expected {expected} …{message}:\n{err}"


def test_a_byte_order_mark_is_accepted(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    path = content / MAP
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    out = tmp_path / "site"
    assert main(["build", "--content", str(content), "--sources", str(FIXTURE_SOURCES), "--out", str(out)]) == 0
    assert "지도 플랫폼 운영" in (out / "projects/map-platform/index.html").read_text(encoding="utf-8")


def test_a_link_out_of_content_is_refused(published, tmp_path, capsys):
    out, before = published
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    secret = tmp_path / "secret.yaml"
    secret.write_text((content / MAP).read_text(encoding="utf-8"), encoding="utf-8")
    (content / MAP).unlink()
    (content / MAP).symlink_to(secret)
    capsys.readouterr()
    assert main(["build", "--content", str(content), "--sources", str(FIXTURE_SOURCES), "--out", str(out)]) == 1
    assert f"content/{MAP}:1" in capsys.readouterr().err and snapshot(out) == before


def test_a_link_to_nothing_is_a_missing_file(published, tmp_path, capsys):
    out, before = published
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "projects" / "gone.yaml").symlink_to(tmp_path / "nothing-here.yaml")
    capsys.readouterr()
    assert main(["build", "--content", str(content), "--sources", str(FIXTURE_SOURCES), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "content/projects/gone.yaml:1" in err and "파일이 없습니다" in err and snapshot(out) == before


def test_a_folder_linked_out_of_content_is_refused(published, tmp_path, capsys):
    out, before = published
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    elsewhere = tmp_path / "elsewhere"
    (content / "projects").rename(elsewhere)
    (content / "projects").symlink_to(elsewhere)
    edited = elsewhere / "map-platform.yaml"  # what a build would now publish from outside
    edited.write_text(edited.read_text(encoding="utf-8").replace("name:", "name: 바깥", 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--content", str(content), "--sources", str(FIXTURE_SOURCES), "--out", str(out)]) == 1
    assert f"content/{MAP}:1" in capsys.readouterr().err and snapshot(out) == before


def test_a_guide_linked_out_of_content_is_refused(published, tmp_path, capsys):
    out, before = published
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    secret = tmp_path / "secret.md"
    secret.write_text("바깥 파일", encoding="utf-8")
    (content / "pages" / "guide.md").unlink()
    (content / "pages" / "guide.md").symlink_to(secret)
    capsys.readouterr()
    assert main(["build", "--content", str(content), "--sources", str(FIXTURE_SOURCES), "--out", str(out)]) == 1
    assert "content/pages/guide.md:1" in capsys.readouterr().err and snapshot(out) == before
