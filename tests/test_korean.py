"""Particles agree with the word before them, as a Korean reader expects."""
import pytest

from budgetsite.korean import josa


@pytest.mark.parametrize("word, particle, expected", [
    ("정보통신과", "으로", "로"),      # no final consonant
    ("서울기록원", "으로", "으로"),    # final ㄴ
    ("서울", "으로", "로"),            # final ㄹ takes 로
    ("예산안", "는", "은"), ("데이터센터", "은", "는"),
    ("최종예산", "가", "이"), ("예산현액", "이", "이"), ("본예산", "를", "을"), ("집행액", "와", "과"),
    ("15억 9,224만원", "으로", "으로"),
    ("2025", "으로", "로"),           # 이천이십오
    ("2021", "으로", "로"),           # ...일: final ㄹ
    ("2023", "으로", "으로"),         # ...삼
    ("10", "은", "은"), ("100", "이", "이"), ("1,000", "은", "은"), ("20", "가", "이"),
    ("14.5%", "로", "로"),            # 퍼센트
    ("SDDC", "으로", "(으)로"),       # a Latin abbreviation: a reader cannot tell, so both
])
def test_particle_follows_the_final_consonant(word, particle, expected):
    assert josa(word, particle) == expected
