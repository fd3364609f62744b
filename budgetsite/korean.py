"""Korean particles that agree with the word before them (은/는, 이/가, 을/를,
으로/로, 과/와), chosen from the final consonant (받침) of its last syllable."""
from __future__ import annotations

_FIRST, _LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # ㄹ as a final consonant takes 로, not 으로


# How a number ending in this digit is read: 일(ㄹ) 이 삼(ㅁ) 사 오 육(ㄱ) 칠(ㄹ) 팔(ㄹ) 구.
_DIGIT_FINAL = {"1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0}
# ...and a round number by its last unit: 십(ㅂ) 백(ㄱ) 천(ㄴ) 만(ㄴ) 억(ㄱ).
_ZEROS_FINAL = {1: 17, 2: 1, 3: 4, 4: 4, 8: 1}


def _final(word: str) -> int | None:
    """The final-consonant index of the last syllable as read aloud (0 for
    none); None when it cannot be told (a Latin letter, a lone 0)."""
    text = word.strip().rstrip(")")
    if text.endswith("%"):
        return 0  # 퍼센트
    digits = len(text) - len(text.rstrip("0123456789,"))
    if digits:
        number = text[len(text) - digits:].replace(",", "")
        stripped = number.rstrip("0")
        if not stripped:
            return None
        zeros = len(number) - len(stripped)
        if not zeros:
            return _DIGIT_FINAL[stripped[-1]]
        return _ZEROS_FINAL.get(zeros) or _ZEROS_FINAL[zeros % 4 or 4]
    for ch in reversed(text):
        code = ord(ch)
        if _FIRST <= code <= _LAST:
            return (code - _FIRST) % 28
        if ch.isalnum():
            return None
    return None


PAIRS = {"은": ("은", "는"), "는": ("은", "는"), "이": ("이", "가"), "가": ("이", "가"),
         "을": ("을", "를"), "를": ("을", "를"), "과": ("과", "와"), "와": ("과", "와"),
         "으로": ("으로", "로"), "로": ("으로", "로")}


def josa(word: str, particle: str) -> str:
    """The particle as it must follow word: josa('정보통신과', '으로') == '로'."""
    with_final, without = PAIRS[particle]
    final = _final(word)
    if final is None:
        return f"{with_final[0]}({without})" if with_final != "으로" else "(으)로"
    if with_final == "으로":
        return "로" if final in (0, _RIEUL) else "으로"
    return with_final if final else without
