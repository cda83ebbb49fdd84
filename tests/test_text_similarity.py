"""Token similarity of sampled answers, in several scripts (DESIGN §4, sample consistency)."""

from __future__ import annotations

import pytest

from medeval_ui.stats.text_similarity import (
    METRICS,
    SampleSimilarity,
    jaccard,
    mean_over_units,
    sample_similarity,
    similarity_summary,
    tokens,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The patient's BP is 120/80 mmHg; start_Metformin 500mg.",
            ["the", "patient", "s", "bp", "is", "120", "80", "mmhg", "start", "metformin", "500mg"],
        ),
        # Japanese: no spaces, one token per character; Latin inside stays a word.
        ("CT検査を行います。", ["ct", "検", "査", "を", "行", "い", "ま", "す"]),
        ("高血压患者", ["高", "血", "压", "患", "者"]),
        # Hebrew with points, Arabic with harakat: the marks stay inside their words.
        ("שָׁלוֹם עוֹלָם, המטופל", ["שָׁלוֹם", "עוֹלָם", "המטופל"]),
        ("المريضُ يعاني من ارتفاعِ ضغط الدم.", ["المريضُ", "يعاني", "من", "ارتفاعِ", "ضغط", "الدم"]),
        # Devanagari vowel signs are combining marks too; Thai is split per character.
        ("रोगी को उच्च रक्तचाप है", ["रोगी", "को", "उच्च", "रक्तचाप", "है"]),
        ("ความดัน", ["ค", "ว", "า", "ม", "ดั", "น"]),
        ("", []),
        ("  ... !!", []),
    ],
)
def test_tokens_per_script(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_japanese_answer_is_not_one_token() -> None:
    answer = "高血圧の患者には、まず生活習慣の改善を勧めます。"
    assert len(tokens(answer)) == 22


def test_jaccard() -> None:
    assert jaccard({"a", "b", "c"}, {"b", "c", "d"}) == pytest.approx(0.5)
    assert jaccard({"a"}, {"a"}) == 1.0
    assert jaccard({"a"}, set()) == 0.0
    assert jaccard(set(), set()) is None


def test_sample_similarity_of_three_answers() -> None:
    texts = ["Take aspirin daily.", "Take aspirin every day.", "Avoid aspirin."]
    result = sample_similarity(texts)
    # unigram sets {take aspirin daily} {take aspirin every day} {avoid aspirin}
    unigram = (2 / 5 + 1 / 4 + 1 / 5) / 3
    # bigrams {take-aspirin, aspirin-daily} {take-aspirin, aspirin-every, every-day} {avoid-aspirin}
    bigram = (1 / 4 + 0 + 0) / 3
    assert result.unigram_jaccard == pytest.approx(unigram)
    assert result.bigram_jaccard == pytest.approx(bigram)
    assert result.length_mean == pytest.approx(3.0)
    assert result.length_sd == pytest.approx(1.0)  # lengths 3, 4, 2: sample SD
    assert result.n_texts == 3


def test_sample_similarity_edges() -> None:
    assert sample_similarity(["only one"]) == SampleSimilarity(None, None, 2.0, 0.0, 1)
    assert sample_similarity([]) == SampleSimilarity(None, None, 0.0, 0.0, 0)
    short = sample_similarity(["yes", "yes", ""])
    # The empty answer shares nothing with "yes"; the two "yes" have no bigrams at all.
    assert short.unigram_jaccard == pytest.approx(1 / 3) and short.bigram_jaccard is None
    same_ja = sample_similarity(["高血圧です", "高血圧です"])
    assert same_ja.unigram_jaccard == 1.0 and same_ja.bigram_jaccard == 1.0


def test_similarity_summary_over_units() -> None:
    units = [
        ["a b c", "a b d"],  # unigram 2/4, bigram 1/3
        ["x y", "x y"],  # 1, 1
        ["alone"],  # fewer than 2 texts: not counted
    ]
    summary = similarity_summary(units, rounds=500)
    assert set(summary) == set(METRICS)
    uni = summary["unigram_jaccard"]
    assert uni.value == pytest.approx(0.75) and (uni.n, uni.n_obs) == (2, 4) and uni.small
    assert uni.lower == pytest.approx(0.5) and uni.upper == pytest.approx(1.0)
    assert summary["bigram_jaccard"].value == pytest.approx(2 / 3)
    sd = summary["length_sd"]
    assert sd.value == 0.0 and sd.lower == sd.upper == 0.0 and "no variation" in sd.label
    assert similarity_summary(units, rounds=500) == summary


def test_similarity_summary_edges_say_why() -> None:
    lonely = similarity_summary([["one answer"], []])
    assert all(e.value is None and "fewer than 2 samples" in e.undefined for e in lonely.values())
    terse = similarity_summary([["yes", "no"], ["ok", "ok"]])
    assert terse["bigram_jaccard"].value is None
    assert "bigrams" in terse["bigram_jaccard"].undefined
    assert terse["unigram_jaccard"].value == pytest.approx(0.5)


def test_mean_over_units_has_a_bootstrap_interval_and_says_why_at_the_edges() -> None:
    import numpy as np

    values = [0.2, 0.9, 0.5, 0.7, 0.4] * 8
    e = mean_over_units(values, n_obs=120, rounds=2000, seed=3)
    assert e.value == pytest.approx(np.mean(values)) and e.n == 40 and e.n_obs == 120
    assert e.lower is not None and e.upper is not None and e.lower < e.value < e.upper
    # A percentile bootstrap of a mean: close to the normal interval at n = 40.
    half = 1.96 * np.std(values, ddof=0) / np.sqrt(len(values))
    assert e.upper - e.lower == pytest.approx(2 * half, rel=0.15)
    assert not e.small and e.label == "bootstrap over units"
    same = mean_over_units([0.8] * 3, n_obs=6)
    assert same.value == pytest.approx(0.8) and same.lower == same.upper and same.small
    assert "single point" in same.label
    none = mean_over_units([], n_obs=0)
    assert none.value is None and none.undefined == "no unit to average"
