"""The lead page's Leaderboard tab, its handlers called as plain functions on both engines:
the table and figures for a lead, the filters, the position-bias line, the export link,
a clinician refused, and a study without votes answered with a message."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import plotly.graph_objects as go
import pytest

from medeval_ui.config import Settings
from medeval_ui.services import users
from medeval_ui.services.pairwise import next_pair, submit_vote
from medeval_ui.stats.position_bias import position_bias
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos import pairs as repo
from medeval_ui.web.pages import lead, lead_leaderboard
from medeval_ui.web.pages.lead_leaderboard import (
    ALL,
    TABLE_HEADERS,
    leaderboard_filter_choices,
    leaderboard_studies,
    load_leaderboard,
    position_line,
)
from tests.browser.compare_fixtures import MODELS, PW, make_pair_study
from tests.study_builder import make_rating_study

LEA, ROOT, AMY = gr.Request(username="lea"), gr.Request(username="root"), gr.Request(username="amy")
NAMES = [f"{m} {v}" for m, v in MODELS]


pytestmark = pytest.mark.usefixtures("cheap_hasher")


@pytest.fixture
def voted(db: Database, settings: Settings, tmp_path: Path) -> str:
    """Two languages x 3 cases x 3 model pairs, 2 votes each; the first model wins all
    it meets, ties between the other two."""
    make_pair_study(
        db,
        settings,
        tmp_path / "lb",
        slug="lb",
        languages=("en", "fr"),
        groups=3,
        votes_per_pair=2,
        rubric="medpalm2_pairwise",
        image=False,
        min_votes=20,
    )
    users.add_user(db, "lea", "lead", password=PW)
    users.add_user(db, "root", "admin", password=PW)
    for name in ("amy", "ben"):
        users.add_user(db, name, "clinician", password=PW, languages=["en", "fr"])
    best = NAMES[0]
    for name in ("amy", "ben"):
        while (pair := next_pair(db, name, "lb")) is not None:
            with db.read() as session:
                texts = repo.output_texts_and_models(
                    session, [pair.left_output_id, pair.right_output_id]
                )
            left = f"{texts[pair.left_output_id][1]} {texts[pair.left_output_id][2]}"
            right = f"{texts[pair.right_output_id][1]} {texts[pair.right_output_id][2]}"
            choice = "a" if left == best else "b" if right == best else "tie"
            axes = {"consensus": choice} if pair.language == "en" else {}
            submit_vote(db, name, pair.assignment_id, choice, axes, "", pair.client_token)
    return "lb"


def test_the_leaderboard_for_a_lead(db: Database, voted: str) -> None:
    summary, notes, rows, ratings, win_rate, counts, position, export = load_leaderboard(
        db, voted, ALL, ALL, 200, 7, LEA
    )
    assert "36 votes on 3 models" in summary
    assert len(rows) == 3 and all(len(r) == len(TABLE_HEADERS) for r in rows)
    top = rows[0]
    assert top[0] == NAMES[0] and top[4] == 1 and top[5] == 24
    assert isinstance(top[1], float) and top[2] != "—"
    assert "bound" in top[7]  # it won everything it met: unbounded
    assert all(r[6] == "" for r in rows)  # 24 votes each, min_votes 20
    assert {r[0] for r in rows} == set(NAMES)
    assert isinstance(ratings, go.Figure) and ratings.data[0].error_y.array is not None
    assert isinstance(win_rate, go.Figure) and isinstance(counts, go.Figure)
    heat = win_rate.data[0]
    i, j = list(heat.y).index(NAMES[0]), list(heat.x).index(NAMES[1])
    assert heat.z[i][j] == 1.0 and heat.text[i][j] == "100%<br>n=12"
    assert counts.data[0].z[i][j] == 12
    assert position.startswith("Position: left won") and "decisive votes" in position
    assert "(95% CI" in position
    assert "/api/export/votes.arena?study=lb" in export
    assert notes == ""
    # The same with the same seed, for an admin: identical numbers.
    again = load_leaderboard(db, voted, ALL, ALL, 200, 7, ROOT)
    assert again[2] == rows


def test_filters_by_language_and_axis(db: Database, voted: str) -> None:
    languages, axes = leaderboard_filter_choices(db, voted, LEA)
    assert languages["choices"] == [("All languages", ALL), ("en", "en"), ("fr", "fr")]
    assert axes["choices"][0] == ("Overall vote", ALL)
    assert [a for _, a in axes["choices"][1:]] == ["consensus"]
    french = load_leaderboard(db, voted, "fr", ALL, 100, 0, LEA)
    assert "18 votes" in french[0] and "language fr" in french[0]
    assert all(r[6] == "provisional (< 20 votes)" for r in french[2])  # 12 votes each
    axis = load_leaderboard(db, voted, ALL, "consensus", 100, 0, LEA)
    assert "18 votes" in axis[0] and "axis consensus" in axis[0]
    none = load_leaderboard(db, voted, "de", ALL, 100, 0, LEA)
    assert none[0].startswith("**No votes yet in this study (language de)")
    with pytest.raises(gr.Error, match="rounds"):
        load_leaderboard(db, voted, ALL, ALL, 0, 0, LEA)
    with pytest.raises(gr.Error, match="whole number"):
        load_leaderboard(db, voted, ALL, ALL, 10.5, 0, LEA)


def test_a_clinician_is_refused(db: Database, voted: str) -> None:
    for call in (
        lambda: load_leaderboard(db, voted, ALL, ALL, 100, 0, AMY),
        lambda: leaderboard_filter_choices(db, voted, AMY),
        lambda: leaderboard_studies(db, AMY),
    ):
        with pytest.raises(gr.Error, match="role lead or admin"):
            call()
    with pytest.raises(gr.Error, match="session has ended"):
        load_leaderboard(db, voted, ALL, ALL, 100, 0, gr.Request(username=None))


def test_a_study_without_votes_says_so(db: Database, settings: Settings, tmp_path: Path) -> None:
    make_pair_study(db, settings, tmp_path / "empty", slug="empty")
    make_rating_study(db, settings, tmp_path / "ratings", slug="ratings-only")
    users.add_user(db, "lea", "lead", password=PW)
    studies_update = leaderboard_studies(db, LEA)
    assert studies_update["choices"] == [("Blind duel (empty)", "empty")]
    out = load_leaderboard(db, "empty", ALL, ALL, 1000, 0, LEA)
    assert out[0].startswith("**No votes yet in this study.**")
    assert out[2] == [] and out[3] is None and out[4] is None and out[5] is None
    assert "votes.arena?study=empty" in out[7]
    languages, _axes = leaderboard_filter_choices(db, "empty", LEA)
    assert languages["choices"] == [("All languages", ALL)]
    assert load_leaderboard(db, None, ALL, ALL, 1000, 0, LEA)[0] == "Choose a study."
    with pytest.raises(gr.Error, match="no study"):
        load_leaderboard(db, "nope", ALL, ALL, 1000, 0, LEA)


def test_position_line_reads_as_designed() -> None:
    fair = position_bias(["left"] * 250 + ["right"] * 230 + ["tie"] * 5)
    assert position_line(fair).startswith(
        "Position: left won 52% of 480 decisive votes (95% CI 48-57%): no evidence of position bias"
    )
    assert "favoured" in position_line(position_bias(["left"] * 90 + ["right"] * 10))
    assert "cannot be assessed" in position_line(position_bias(["tie"]))


def test_the_lead_page_has_the_tab(db: Database, settings: Settings) -> None:
    page = lead.build_lead_blocks(db, settings)
    config = repr(page.get_config_file())
    assert "Leaderboard" in config and "lb-table" in config and "lb-winrate" in config
    assert lead_leaderboard.DEFAULT_ROUNDS == 1000
