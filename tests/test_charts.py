"""Honest charts: every year on the axis, a bar on its own year, a year
without a figure said to be without one, one stage a stack, no gridlines
between years, and words readable in the build-time drawing on a phone."""
import json
import re

import altair as alt
import jsonschema
import pytest

from budgetsite import charts
from budgetsite.charts import specs as chart_specs

YEARS = [2021, 2022, 2023, 2024]  # 2022 has no figure
BUDGET = [
    {"연도": "2021", "단계": "예산안", "amount": 2214000, "출처": "제안설명(2020-11) 235행"},
    {"연도": "2023", "단계": "예산현액 ('23.9.30 기준)", "amount": 8719500, "출처": "업무보고(2023) 1993행"},
    {"연도": "2024", "단계": "최종예산", "amount": 17059700, "출처": "검토보고서(2024-11) 3557행"},
]
EXECUTION = [
    {"기준일": "'20.9.30", "기준일_전체": "2020년 9월 30일", "연도": "2020", "예산현액": 8719500,
     "원인행위액": 8544830, "지출액": 8505500, "출처": "업무보고(2020) 844행"},
    {"기준일": "'24.5.31", "기준일_전체": "2024년 5월 31일", "연도": "2024", "예산현액": 17059700,
     "원인행위액": None, "지출액": 11501200, "출처": "현안업무보고(2024-06) 573행"},
    {"기준일": "2023", "기준일_전체": "2023년", "연도": "2023", "예산현액": None, "원인행위액": None, "지출액": None,
     "출처": "업무보고(2023) 12행"},
]
DEPTS = ["데이터센터", "디지털정책과", "공간정보담당관"]
STACKED = [{"연도": str(y), "부서": d, "amount": 1_000_000 * (i + 1) + y, "순서": i}
           for i, d in enumerate(DEPTS) for y in (2021, 2023, 2024)]


def budget() -> charts.Chart:
    chart = charts.budget_bars("b", "예산 (연도별 대표 금액)", YEARS, BUDGET, "요약입니다.")
    assert chart is not None
    return chart


def execution() -> charts.Chart:
    chart = charts.execution_bars("e", "집행 (보고서 기준일별)", EXECUTION, "요약입니다.")
    assert chart is not None
    return chart


def stacked() -> charts.Chart:
    chart = charts.stacked_bars("s", "부서별 최종예산", "최종예산", YEARS, STACKED, "부서", DEPTS, "요약입니다.")
    assert chart is not None
    return chart


MAKERS = {"budget": budget, "execution": execution, "stacked": stacked}


def specs(chart: charts.Chart) -> dict:
    return {"live": chart.spec, "fixed": chart.fixed}


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def x_encodings(spec: dict) -> list[dict]:
    return [layer["encoding"]["x"] for layer in layers(spec) if "x" in layer.get("encoding", {})]


def no_data_years(spec: dict, field: str = "연도") -> list[str]:
    return [d[field] for d in spec["data"]["values"] if d.get("없음") == charts.NO_DATA]


@pytest.mark.parametrize("kind", ["budget", "stacked"])
def test_every_year_of_the_range_is_on_the_axis(kind):
    for name, spec in specs(MAKERS[kind]()).items():
        xs = x_encodings(spec)
        assert xs, name
        for x in xs:
            assert x["scale"]["domain"] == ["2021", "2022", "2023", "2024"], (kind, name)


def test_years_between_the_given_ones_are_on_the_axis_too():
    # A caller that leaves a year out cannot make it vanish from the axis.
    chart = charts.budget_bars("b", "t", [2021, 2024], BUDGET)
    assert chart is not None
    assert x_encodings(chart.spec)[0]["scale"]["domain"] == ["2021", "2022", "2023", "2024"]


@pytest.mark.parametrize("kind", ["budget", "stacked"])
def test_a_year_without_a_figure_says_so(kind):
    chart = MAKERS[kind]()
    for spec in specs(chart).values():
        assert no_data_years(spec) == ["2022"]
        texts = [layer for layer in layers(spec) if layer["mark"]["type"] == "text"
                 and layer["encoding"]["text"].get("field") == "없음"]
        assert len(texts) == 1
        assert texts[0]["transform"] == [{"filter": {"field": "없음", "equal": charts.NO_DATA}}]


def test_budget_bars_stand_on_their_year():
    chart = budget()
    for spec in specs(chart).values():
        assert "xOffset" not in json.dumps(spec)
        bars = [layer for layer in layers(spec) if layer["mark"]["type"] == "bar"]
        assert len(bars) == 1
        assert bars[0]["encoding"]["x"]["field"] == "연도"
        assert bars[0]["encoding"]["y"].get("stack") is None  # one bar a year, never stacked on another
        assert bars[0]["encoding"]["color"]["field"] == "구분"


def test_budget_bars_name_each_bars_stage():
    chart = budget()
    rows = {d["연도"]: d for d in chart.spec["data"]["values"] if "값" in d}
    assert {y: d["구분"] for y, d in rows.items()} == {"2021": "예산안", "2023": "예산현액", "2024": "최종예산"}
    assert rows["2023"]["단계_줄"] == "예산현액\n'23.9.30\n기준"
    assert rows["2024"]["단계_좁게"] == "최종\n예산"
    names = [layer for layer in layers(chart.spec) if layer["mark"]["type"] == "text"
             and "단계_줄" in json.dumps(layer["encoding"]["text"], ensure_ascii=False)]
    assert len(names) == 1
    colours = chart.spec["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(colours["domain"], colours["range"])) == {
        s: charts.STAGE_COLOURS[s] for s in ("예산안", "최종예산", "예산현액")}
    tooltip = {t["title"] for t in chart.spec["layer"][0]["encoding"]["tooltip"]}
    assert tooltip == {"연도", "단계", "금액", "출처"}
    assert rows["2024"]["금액"] == "170억 5,970만원"


def test_budget_bars_refuse_two_figures_in_a_year():
    with pytest.raises(ValueError):
        charts.budget_bars("b", "t", YEARS, BUDGET + [{**BUDGET[0], "단계": "본예산"}])


def test_stacked_chart_holds_one_stage_and_names_it():
    chart = stacked()
    for spec in specs(chart).values():
        stages = {d["단계"] for d in spec["data"]["values"] if "값" in d}
        assert stages == {"최종예산"}
        assert "최종예산" in spec["layer"][0]["encoding"]["y"]["axis"]["title"]
    with pytest.raises(ValueError):
        charts.stacked_bars("s", "t", "최종예산", YEARS, STACKED + [{**STACKED[0], "단계": "예산안"}], "부서", DEPTS)


def test_execution_places_each_report_on_its_date():
    chart = execution()
    spec = chart.spec
    assert x_encodings(spec)[0]["scale"]["domain"] == ["'20.9.30", "'24.5.31", "2023"]
    assert all(x["field"] == "기준일" for x in x_encodings(spec))
    assert "xOffset" not in json.dumps(spec)
    marks = {layer["encoding"]["y"]["field"]: layer["mark"] for layer in layers(spec) if "y" in layer["encoding"]
             and "field" in layer["encoding"]["y"]}
    assert marks["예산현액_값"]["type"] == "bar" and "width" not in marks["예산현액_값"]
    assert marks["지출액_값"]["type"] == "bar" and marks["지출액_값"]["width"]["band"] < 1  # inside the 예산현액 bar
    assert marks["원인행위액_값"]["type"] == "tick"
    legend = [layer["encoding"]["color"] for layer in layers(spec) if "color" in layer["encoding"]]
    assert {c["field"] for c in legend} == {"구분"}
    assert [layer["transform"][-1]["calculate"] for layer in layers(spec)[:3]] == ["'예산현액'", "'지출액'", "'원인행위액'"]
    assert legend[0]["scale"]["domain"] == list(charts.EXECUTION)
    rows = spec["data"]["values"]
    assert rows[1]["원인행위액"] == charts.NO_DATA and "원인행위액_값" not in rows[1]
    assert no_data_years(spec, "기준일") == ["2023"]
    tooltip = {t["title"]: t["field"] for t in layers(spec)[0]["encoding"]["tooltip"]}
    assert tooltip["기준일"] == "기준일_전체" and "출처" in tooltip


def test_execution_keeps_two_reports_of_one_date_apart():
    chart = charts.execution_bars("e", "t", [EXECUTION[0], {**EXECUTION[0], "출처": "다른 표"}])
    assert chart is not None
    assert x_encodings(chart.spec)[0]["scale"]["domain"] == ["'20.9.30", "'20.9.30 (2)"]


def test_nothing_to_draw_is_no_chart():
    assert charts.budget_bars("b", "t", YEARS, []) is None
    assert charts.stacked_bars("s", "t", "최종예산", YEARS, [], "부서", DEPTS) is None
    assert charts.execution_bars("e", "t", [{**EXECUTION[2]}]) is None
    assert charts.execution_bars("e", "t", []) is None


@pytest.mark.parametrize("kind", MAKERS)
def test_no_gridlines_between_years_and_horizontal_labels(kind):
    for spec in specs(MAKERS[kind]()).values():
        assert spec["config"]["axisX"]["grid"] is False
        assert spec["config"]["axisY"]["grid"] is True
        for x in x_encodings(spec):
            assert x["axis"]["grid"] is False and x["axis"]["labelAngle"] == 0


def test_shapes_are_cached_and_data_filled_in():
    chart_specs._budget_shape.cache_clear()
    budget()
    other = charts.budget_bars("b2", "t", YEARS, [{**p, "amount": p["amount"] + 1} for p in BUDGET])
    assert chart_specs._budget_shape.cache_info().hits == 1
    assert other is not None and other.spec["data"]["values"][0]["amount"] == 2214001


@pytest.fixture(scope="module")
def vega_lite():
    validator = jsonschema.Draft7Validator(alt.vegalite.v6.schema.core.load_schema())
    assert list(validator.iter_errors({"mark": "no-such-mark", "data": {"values": []}}))  # it can fail
    return validator


@pytest.mark.parametrize("kind", MAKERS)
def test_every_kind_of_spec_is_valid_vega_lite(vega_lite, kind):
    for name, spec in specs(MAKERS[kind]()).items():
        errors = list(vega_lite.iter_errors(spec))
        assert errors == [], (kind, name, errors[0].message)
    # Many years or dates: the same shapes with their two-line words.
    many = [charts.budget_bars("b", "t", list(range(2010, 2026)), BUDGET),
            charts.execution_bars("e", "t", [{**EXECUTION[0], "기준일": f"'2{i}.1.1"} for i in range(9)])]
    for chart in many:
        assert chart is not None
        assert list(vega_lite.iter_errors(chart.spec)) == []


def svg_texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>.*?</text>", svg, re.DOTALL)]


def test_the_drawing_shows_every_year_and_the_missing_one():
    svg = charts.render_svg(budget().fixed_json)
    texts = svg_texts(svg)
    for year in ("2021", "2022", "2023", "2024"):
        assert year in texts
    assert charts.NO_DATA in texts
    assert "최종예산" in texts and "예산안" in texts


def test_with_many_years_the_words_go_on_two_lines():
    chart = charts.budget_bars("b", "t", list(range(2018, 2026)), BUDGET)
    assert chart is not None
    texts = svg_texts(charts.render_svg(chart.fixed_json))
    assert [str(y) for y in range(2018, 2026)] == [t for t in texts if re.fullmatch(r"\d{4}", t)]
    assert texts.count("자료없음") == 5 and "최종예산" in texts  # 자료 / 없음 and 최종 / 예산, one line each


@pytest.mark.parametrize("kind", MAKERS)
def test_the_drawings_words_stay_readable_on_a_phone(kind):
    """Shown at the 328 px column of a 360 px phone, no word under 10 px."""
    svg = charts.render_svg(MAKERS[kind]().fixed_json)
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
    view = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    assert width == view <= charts.SVG_WIDTH
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg)]
    assert sizes and min(sizes) * charts.PHONE_COLUMN / width >= 10
