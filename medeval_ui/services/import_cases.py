"""Import cases (and their images) into a study: all or nothing, idempotent.

Order matters for "a bad file changes nothing": every row is parsed and every image is
read and rendered before the transaction starts; images are written to the content-addressed
media folder just before commit (a leftover file after a failed commit is harmless: nothing
refers to it, and the same content would land at the same name).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from medeval_ui.config import Settings
from medeval_ui.errors import ImageError, InputFileError
from medeval_ui.exchange.images import ImageLimits, PreparedImage, prepare_image, write_prepared
from medeval_ui.exchange.mapping import ColumnMapping
from medeval_ui.exchange.reading import Table
from medeval_ui.exchange.records import CASE_FIELDS, CaseRecord, parse_case, shown
from medeval_ui.services.import_common import ImportSummary, Parsed, read_records, record_import
from medeval_ui.services.studies import find_study, require_study
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos.cases import (
    case_ids_by_external_id,
    cases_by_external_id,
    image_hashes_by_case,
    insert_case_images,
    insert_cases,
)

if TYPE_CHECKING:
    from medeval_ui.storage.repos.cases import CaseRow


def import_cases(
    db: Database,
    settings: Settings,
    study_slug: str,
    path: Path,
    mapping: ColumnMapping | None = None,
    *,
    name: str | None = None,
    sheet: str | None = None,
    actor: str = "cli",
) -> ImportSummary:
    require_study(db, study_slug)
    mapping = mapping or ColumnMapping()
    wide = mapping.is_wide

    def parse(
        values: dict[str, Any], meta: dict[str, Any], suffix: str | None
    ) -> CaseRecord | None:
        if wide and values.get("prompt") in (None, ""):
            return None  # this language is missing from this row: nothing to import
        return parse_case(values, meta, suffix, wide)

    required = ("prompt",) if wide else ("external_id", "language", "prompt")
    table, resolver, parsed = read_records(
        path, mapping, CASE_FIELDS, "prompt", parse, name=name, sheet=sheet, required=required
    )
    summary = ImportSummary("cases", table.name)
    if wide:
        expected = len(table.rows) * len(resolver.suffixes)
        if expected > len(parsed):
            summary.notes.append(f"{expected - len(parsed)} empty language cells skipped")
    _check_unique(table, parsed)
    limits = ImageLimits(settings.max_image_bytes, settings.max_image_pixels)
    images = _prepare_images(table, parsed, path.parent, limits)
    media = Path(settings.media_dir)

    with db.write() as session:
        study = find_study(session, study_slug)
        existing = cases_by_external_id(session, study.id)
        existing_images = image_hashes_by_case(session, study.id)
        new: list[Parsed[CaseRecord]] = []
        for item in parsed:
            rec = item.record
            old = existing.get(rec.external_id)
            shas = tuple(images[(item.index, p)].meta.sha256 for p in rec.images)
            if old is None:
                new.append(item)
                summary.by_language[rec.language] += 1
                continue
            changed = _differs(old, rec, existing_images.get(old.id, ()), shas)
            if changed:
                raise table.error(
                    item.index,
                    f"case '{rec.external_id}' already exists in study "
                    f"'{study_slug}' with a different {changed}; give a changed case a new "
                    "external_id",
                    changed,
                )
            summary.unchanged += 1
        insert_cases(session, [_case_row(study.id, p.record) for p in new])
        summary.created = len(new)
        if new and any(p.record.images for p in new):
            ids = case_ids_by_external_id(session, study.id)
            rows = [
                _image_row(ids[p.record.external_id], pos, images[(p.index, rel)], rel)
                for p in new
                for pos, rel in enumerate(p.record.images)
            ]
            insert_case_images(session, rows)
            for prepared in {id(i): i for i in images.values()}.values():
                write_prepared(prepared, media)
        record_import(session, summary, actor=actor, study_id=study.id, what="cases")
    return summary


def _check_unique(table: Table, parsed: list[Parsed[CaseRecord]]) -> None:
    seen: dict[str, int] = {}
    for item in parsed:
        ext = item.record.external_id
        if ext in seen:
            raise table.error(
                item.index,
                f"external_id '{ext}' already appears on "
                f"{table.unit} {table.numbers[seen[ext]]}; ids must be unique",
                "external_id",
            )
        seen[ext] = item.index


def _prepare_images(
    table: Table, parsed: list[Parsed[CaseRecord]], base: Path, limits: ImageLimits
) -> dict[tuple[int, str], PreparedImage]:
    """Read and render every referenced image once; refuse paths outside the file's folder."""
    root = base.resolve()
    by_path: dict[Path, PreparedImage] = {}
    out: dict[tuple[int, str], PreparedImage] = {}
    for item in parsed:
        for rel in item.record.images:
            try:
                target = (root / rel).resolve()
                found = target.is_file()
            except OSError as err:  # e.g. a name longer than the file system allows
                raise table.error(
                    item.index,
                    f"image path {shown(rel)} cannot be opened ({err.strerror})",
                    "images",
                ) from None
            if Path(rel).is_absolute() or not target.is_relative_to(root):
                raise table.error(
                    item.index,
                    f"image path '{rel}' leaves the folder of the "
                    "import file; give paths relative to it",
                    "images",
                )
            if not found:
                raise table.error(
                    item.index, f"image '{rel}' not found next to the import file", "images"
                )
            if target not in by_path:
                try:
                    by_path[target] = prepare_image(target, rel, limits)
                except ImageError as err:
                    raise InputFileError(
                        table.name,
                        str(err),
                        row=table.numbers[item.index],
                        field="images",
                        unit=table.unit,
                    ) from None
            out[(item.index, rel)] = by_path[target]
    return out


def _differs(
    old: CaseRow, rec: CaseRecord, old_shas: tuple[str, ...], shas: tuple[str, ...]
) -> str:
    """The first field that differs, or '' when the stored case equals the record."""
    for field in ("group_id", "language", "prompt", "reference_answer", "specialty", "modality"):
        if getattr(old, field) != getattr(rec, field):
            return field
    if old.meta != rec.metadata:  # name the metadata column whose value changed
        keys = sorted(set(old.meta) | set(rec.metadata))
        return next((k for k in keys if old.meta.get(k) != rec.metadata.get(k)), "metadata")
    return "images" if old_shas != shas else ""


def _case_row(study_id: int, rec: CaseRecord) -> dict[str, Any]:
    return {
        "study_id": study_id,
        "external_id": rec.external_id,
        "group_id": rec.group_id,
        "language": rec.language,
        "prompt": rec.prompt,
        "reference_answer": rec.reference_answer,
        "specialty": rec.specialty,
        "modality": rec.modality,
        "metadata": rec.metadata,
    }


def _image_row(case_id: int, position: int, img: PreparedImage, rel: str) -> dict[str, Any]:
    m = img.meta
    return {
        "case_id": case_id,
        "position": position,
        "sha256": m.sha256,
        "kind": m.kind,
        "display_sha256": m.display_sha256,
        "width": m.width,
        "height": m.height,
        "modality": m.modality,
        "window": m.window,
        "source_name": rel,
    }
