"""Export the store as JSON, JSONL, CSV or Parquet; the contract is docs/export-format.md.

Every format streams: articles are read in batches (:meth:`Store.iter_articles`) and written as they
come, so memory does not grow with the database. Output is deterministic: articles sorted by
(published_at, id) with undated ones last, keys in a fixed order, no timestamps, so exporting the same
database twice gives identical bytes.

Later capabilities add top-level JSON sections (``stories``, ``reuse``, ``quotes``, ...) with
:func:`register_section`; the envelope and the ``articles`` list do not change when they do.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from storyline.errors import StoreError, UsageError
from storyline.model import EXPORT_FORMAT_VERSION, Article

if TYPE_CHECKING:
    from storyline.store.db import Store

Format = Literal["json", "jsonl", "csv", "parquet"]
FORMATS: tuple[str, ...] = ("json", "jsonl", "csv", "parquet")

#: Section name -> callable(store) giving the section's records (dicts), for the JSON export.
EXPORT_SECTIONS: dict[str, Callable[["Store"], Iterable[Mapping[str, Any]]]] = {}
#: Planned sections are written in this order; any other registered section follows, by name.
SECTION_ORDER = ("stories", "storylines", "reuse", "reuse_groups", "quotes", "claims", "comparisons")

CSV_COLUMNS = (
    "id", "path", "url", "source", "title", "byline", "published_at", "language", "status",
    "drop_reason", "text", "removed_count", "removed_json",
)
_BATCH = 500
_PARQUET_ROWS_PER_GROUP = 5000


def register_section(name: str, fn: Callable[["Store"], Iterable[Mapping[str, Any]]]) -> None:
    """Add a top-level list to the JSON export, e.g. ``register_section("stories", stories_for_export)``."""
    if name in ("format", "version", "generated_by", "articles"):
        raise UsageError(f"{name!r} is a reserved key of the export envelope; pick another section name.")
    EXPORT_SECTIONS[name] = fn


def article_record(a: Article, cited: list[str] | None = None) -> dict[str, Any]:
    """The exported form of one article: :meth:`Article.to_dict` plus ``original_text`` after ``text``
    and ``cited_sources`` last (the outlets its clean text credits; ``cited`` as stored by the reuse
    stage, else found in the text now: the same function gives the same list)."""
    out: dict[str, Any] = {}
    for k, v in a.to_dict().items():
        out[k] = v
        if k == "text":
            out["original_text"] = a.raw_text
    if cited is None:
        from storyline.reuse.links import credited_outlets

        cited = credited_outlets(a) if a.text else []
    out["cited_sources"] = list(cited)
    return out


def _with_citations(store: "Store", articles: Iterator[Article]) -> Iterator[tuple[Article, list[str] | None]]:
    """Articles paired with their stored cited sources (None when the reuse stage has not seen them)."""
    batch: list[Article] = []

    def flush() -> Iterator[tuple[Article, list[str] | None]]:
        got = store.get_citations([a.id for a in batch])
        for a in batch:
            yield a, got.get(a.id)
        batch.clear()

    for a in articles:
        batch.append(a)
        if len(batch) >= _BATCH:
            yield from flush()
    yield from flush()


def reuse_records(store: "Store") -> Iterator[dict[str, Any]]:
    """The ``reuse`` export section: every link sorted by (a, b), passages in order of ``a_start``."""
    for ln in store.reuse_links():
        yield {
            "a": ln["a"], "b": ln["b"], "kind": ln["kind"], "direction": ln["direction"],
            "scores": ln["scores"],
            "passages": [{k: p[k] for k in ("a_start", "a_end", "b_start", "b_end", "similarity", "match")}
                         for p in ln["passages"]],
            "evidence": ln["evidence"],
        }


def _ordered_sections(sections: Mapping[str, Callable[..., Any]]) -> list[str]:
    known = [s for s in SECTION_ORDER if s in sections]
    return known + sorted(s for s in sections if s not in SECTION_ORDER)


# --------------------------------------------------------------------------- writers


def _write_json(store: "Store", fh: IO[str], articles: Iterator[tuple[Article, list[str] | None]],
                sections: Mapping[str, Callable[["Store"], Iterable[Mapping[str, Any]]]]) -> int:
    from storyline import __version__

    def dump_list(key: str, items: Iterable[Mapping[str, Any]], last: bool) -> int:
        n = 0
        fh.write(f"  {json.dumps(key)}: [")
        for item in items:
            fh.write(",\n" if n else "\n")
            body = json.dumps(item, ensure_ascii=False, indent=2)
            fh.write("\n".join("    " + line for line in body.split("\n")))
            n += 1
        fh.write("\n  ]" if n else "]")
        fh.write("\n" if last else ",\n")
        return n

    head = {"format": "storyline-export", "version": EXPORT_FORMAT_VERSION, "generated_by": f"storyline {__version__}"}
    fh.write("{\n")
    for k, v in head.items():
        fh.write(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n")
    names = _ordered_sections(sections)
    n = dump_list("articles", (article_record(a, c) for a, c in articles), last=not names)
    for i, name in enumerate(names):
        dump_list(name, sections[name](store), last=i == len(names) - 1)
    fh.write("}\n")
    return n


def _write_jsonl(fh: IO[str], articles: Iterator[tuple[Article, list[str] | None]]) -> int:
    n = 0
    for a, c in articles:
        line = json.dumps(article_record(a, c), ensure_ascii=False, separators=(",", ":"))
        # U+2028/U+2029 are legal in JSON but some line splitters break on them: escape them.
        fh.write(line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n")
        n += 1
    return n


def _write_csv(fh: IO[str], articles: Iterator[tuple[Article, list[str] | None]]) -> int:
    w = csv.writer(fh, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    n = 0
    for a, _c in articles:
        d = a.to_dict()
        removed = d["removed"]
        w.writerow([
            "" if d[c] is None else d[c]
            for c in CSV_COLUMNS[:-2]
        ] + [len(removed), json.dumps(removed, ensure_ascii=False, separators=(",", ":"))])
        n += 1
    return n


def parquet_schema() -> Any:
    """The fixed Parquet schema of the article export."""
    import pyarrow as pa

    s = pa.string()
    removal = pa.struct([("text", s), ("reason", s), ("start", pa.int64()), ("end", pa.int64())])
    return pa.schema([
        pa.field("id", s, nullable=False),
        ("input_kind", s), ("path", s), ("url", s), ("source", s), ("source_key", s),
        ("title", s), ("byline", s),
        ("published_at", s),
        ("published_utc", pa.timestamp("us", tz="UTC")),
        ("date_precision", s), ("date_method", s), ("language", s),
        ("text", s), ("original_text", s),
        ("removed", pa.list_(removal)),
        ("sentences", pa.list_(pa.list_(pa.int64()))),
        ("status", s), ("drop_reason", s), ("drop_detail", s),
        ("meta", s),
        ("cited_sources", pa.list_(s)),
    ], metadata={b"format": b"storyline-export", b"version": EXPORT_FORMAT_VERSION.encode()})


def _write_parquet(fh: IO[bytes], articles: Iterator[tuple[Article, list[str] | None]]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    n = 0
    rows: list[dict[str, Any]] = []
    with pq.ParquetWriter(fh, schema, compression="zstd") as writer:
        def flush() -> None:
            if rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows.clear()

        for a, c in articles:
            d = article_record(a, c)
            d["published_utc"] = a.published_at.astimezone(timezone.utc) if a.published_at else None
            d["meta"] = json.dumps(d["meta"], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            rows.append(d)
            n += 1
            if len(rows) >= _PARQUET_ROWS_PER_GROUP:
                flush()
        flush()
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


# --------------------------------------------------------------------------- entry point


def export(
    store: "Store",
    fmt: Format,
    out: Path | str | IO[Any],
    *,
    include_dropped: bool = True,
    sections: Mapping[str, Callable[["Store"], Iterable[Mapping[str, Any]]]] | None = None,
    batch_size: int = _BATCH,
) -> int:
    """Write the store's articles to ``out`` (a path, or an open file) and return how many were written.

    ``fmt`` is ``json`` (an envelope with ``articles`` and any registered sections), ``jsonl`` (one
    article per line, no envelope), ``csv`` (flat columns) or ``parquet``. A path is written through a
    temporary file and renamed, so a failed export never leaves half a file behind. ``sections``
    replaces the registered JSON sections (pass ``{}`` for articles only).
    """
    if fmt not in FORMATS:
        raise UsageError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    secs = EXPORT_SECTIONS if sections is None else sections
    articles = _with_citations(
        store, store.iter_articles(status=None if include_dropped else "ok", batch_size=batch_size))

    def run(fh: IO[Any]) -> int:
        if fmt == "json":
            return _write_json(store, fh, articles, secs)
        if fmt == "jsonl":
            return _write_jsonl(fh, articles)
        if fmt == "csv":
            return _write_csv(fh, articles)
        return _write_parquet(fh, articles)

    if isinstance(out, (str, Path)):
        path = Path(out)
        tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
        try:
            if fmt == "parquet":
                with open(tmp, "wb") as fb:
                    n = run(fb)
            else:
                with open(tmp, "w", encoding="utf-8", newline="") as ft:
                    n = run(ft)
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"Cannot write {path}: {exc}.") from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return n

    binary = isinstance(out, (io.RawIOBase, io.BufferedIOBase)) or "b" in getattr(out, "mode", "")
    if fmt == "parquet":
        if not binary:
            raise UsageError("Parquet is binary: pass a path or a file opened in binary mode ('wb').")
        return run(out)
    if binary:
        wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="")  # type: ignore[arg-type]
        try:
            return run(wrapper)
        finally:
            wrapper.flush()
            wrapper.detach()
    return run(out)


register_section("reuse", reuse_records)


def _reuse_groups(store: "Store") -> Iterable[Mapping[str, Any]]:
    from storyline.reuse.provenance import reuse_groups

    return [g.to_dict() for g in reuse_groups(store)]


register_section("reuse_groups", _reuse_groups)


def _stories(store: "Store") -> Iterable[Mapping[str, Any]]:
    from storyline.stories import story_export_records

    return story_export_records(store)


def _storylines(store: "Store") -> Iterable[Mapping[str, Any]]:
    from storyline.stories import storyline_export_records

    return storyline_export_records(store)


register_section("stories", _stories)
register_section("storylines", _storylines)


def quote_records(store: "Store") -> Iterator[dict[str, Any]]:
    """The ``quotes`` section (1.4): every stored quote, sorted by (article_id, start, end, id)."""
    for q in sorted(store.quotes(), key=lambda q: (q.article_id, q.start, q.end, q.id)):
        yield quote_record(q)


def quote_record(q: Any) -> dict[str, Any]:
    """The export form of one :class:`~storyline.model.Quote` (keys in the documented order)."""
    return {
        "id": q.id, "article_id": q.article_id, "text": q.text, "start": q.start, "end": q.end,
        "kind": q.kind, "cue": q.cue, "speaker": q.speaker, "speaker_start": q.speaker_start,
        "speaker_end": q.speaker_end, "chain": [c.to_dict() for c in q.chain], "group_id": q.group_id,
        "altered": q.altered, "speaker_role": q.speaker_role, "denial": q.denial, "difference": q.difference,
    }


def claim_records(store: "Store") -> Iterator[dict[str, Any]]:
    """The ``claims`` section (1.4; stances' ``figures`` since 1.7): canonical claims sorted by (scope,
    rank in scope), stances in (article, stance) order."""
    for c in store.claims():
        yield claim_record(c)


def claim_record(c: Any) -> dict[str, Any]:
    """The export form of one :class:`~storyline.model.Claim`."""
    return {
        "id": c.id, "text": c.text, "holder": c.holder,
        "stances": [{"article_id": s.article_id, "stance": s.stance, "start": s.start, "end": s.end,
                     "holder": s.holder, "holder_role": s.holder_role, "quote_id": s.quote_id,
                     "figures": c.differing_figures(s)}
                    for s in c.stances],
        "scope": c.scope, "score": c.score,
    }


def _quote_groups(store: "Store") -> Iterable[Mapping[str, Any]]:
    return [g.to_dict() for g in sorted(store.quote_groups(), key=lambda g: g.id)]


register_section("quotes", quote_records)
register_section("claims", claim_records)
register_section("quote_groups", _quote_groups)


def _comparisons(store: "Store") -> Iterable[Mapping[str, Any]]:
    from storyline.compare import comparison_records

    return comparison_records(store)


register_section("comparisons", _comparisons)
