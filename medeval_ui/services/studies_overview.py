"""The list of studies with their sizes, for the Studies page.

Three queries in all (studies, cases by study and language, outputs by study), whatever
the number of studies. Model names are not read here: this list is shown to clinicians.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

from medeval_ui.storage.engine import Database
from medeval_ui.storage.tables import Case, Output, Study


def list_studies_overview(db: Database) -> list[dict[str, Any]]:
    """One dict per study, ordered by slug.

    Keys: id, slug, title, languages (sorted tags of its cases), cases, outputs,
    rubric_id, rubric_version.
    """
    with db.read() as session:
        studies = session.execute(
            select(
                Study.id, Study.slug, Study.title, Study.rubric_id, Study.rubric_version
            ).order_by(Study.slug)
        ).all()
        case_counts: dict[int, int] = defaultdict(int)
        languages: dict[int, set[str]] = defaultdict(set)
        for study_id, language, n in session.execute(
            select(Case.study_id, Case.language, func.count()).group_by(
                Case.study_id, Case.language
            )
        ):
            case_counts[study_id] += n
            languages[study_id].add(language)
        output_counts: dict[int, int] = {
            study_id: n
            for study_id, n in session.execute(
                select(Case.study_id, func.count(Output.id))
                .join(Output, Output.case_id == Case.id)
                .group_by(Case.study_id)
            )
        }
    return [
        {
            "id": s.id,
            "slug": s.slug,
            "title": s.title,
            "languages": sorted(languages[s.id]),
            "cases": case_counts[s.id],
            "outputs": output_counts.get(s.id, 0),
            "rubric_id": s.rubric_id,
            "rubric_version": s.rubric_version,
        }
        for s in studies
    ]
