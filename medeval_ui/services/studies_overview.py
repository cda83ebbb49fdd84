"""The list of studies with their sizes, for the Studies page.

Three queries in all (studies, cases by study and language, outputs by study), whatever
the number of studies. Model names are not read here: this list is shown to clinicians.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos.cases import case_counts_by_study_and_language
from medeval_ui.storage.repos.outputs import output_counts_by_study
from medeval_ui.storage.repos.studies import study_summaries


def list_studies_overview(db: Database) -> list[dict[str, Any]]:
    """One dict per study, ordered by slug.

    Keys: id, slug, title, languages (sorted tags of its cases), cases, outputs,
    rubric_id, rubric_version.
    """
    with db.read() as session:
        studies = study_summaries(session)
        case_counts: dict[int, int] = defaultdict(int)
        languages: dict[int, set[str]] = defaultdict(set)
        for study_id, language, n in case_counts_by_study_and_language(session):
            case_counts[study_id] += n
            languages[study_id].add(language)
        output_counts = output_counts_by_study(session)
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
