"""The ``storyline`` command line. The only module that prints.

Exit codes: 0 all good, 1 some inputs dropped or failed (the rest stored), 2 bad usage.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from storyline import __version__
from storyline.errors import NotFoundError, StorylineError, UsageError
from storyline.model import Article

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
DEFAULT_DB = "storyline.db"
DEMO_DB = "storyline-demo.db"

logger = logging.getLogger("storyline")


class Ctx:
    def __init__(self, db: str, quiet: bool, verbose: int) -> None:
        self.db = db
        self.quiet = quiet
        self.verbose = verbose
        self.out = Console(highlight=False, soft_wrap=True)
        if not self.out.is_terminal:  # pipes and files: do not fold tables at 80 columns
            self.out = Console(highlight=False, soft_wrap=True, width=200)
        self.err = Console(stderr=True, highlight=False)
        if not self.err.is_terminal:
            self.err = Console(stderr=True, highlight=False, width=200)

    def store(self, *, must_exist: bool = True) -> Any:
        from storyline.store import Store

        if must_exist and not Path(self.db).exists():
            raise UsageError(
                f"no database at {self.db}: run `storyline add <inputs>` or `storyline demo` first, "
                "or point --db at an existing file"
            )
        return Store(self.db)

    @property
    def show_progress(self) -> bool:
        return not self.quiet and self.err.is_terminal


def _fail(ctx: Ctx, exc: StorylineError) -> NoReturn:
    ctx.err.print(f"[bold red]error:[/] {escape(str(exc))}")
    sys.exit(EXIT_USAGE if isinstance(exc, UsageError) else EXIT_PARTIAL)


def _parse_when(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        if len(value) == 10:
            d = date.fromisoformat(value)
            return datetime(d.year, d.month, d.day, tzinfo=timezone.utc)
        dt = datetime.fromisoformat(value)
        return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD or ISO 8601", param_hint=name)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", default=lambda: os.environ.get("STORYLINE_DB", DEFAULT_DB), show_default="storyline.db",
              help="SQLite database file (env STORYLINE_DB).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or summaries, only errors.")
@click.option("-v", "--verbose", count=True, help="Log more (-v info, -vv debug).")
@click.version_option(__version__, prog_name="storyline")
@click.pass_context
def cli(click_ctx: click.Context, db: str, quiet: bool, verbose: int) -> None:
    """Storyline: follow one news story across every outlet that carries it."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    if quiet:
        level = logging.ERROR
    from rich.logging import RichHandler

    logging.basicConfig(level=level, format="%(name)s: %(message)s", datefmt="[%X]",
                        handlers=[RichHandler(console=Console(stderr=True), show_path=False)])
    for noisy in ("trafilatura", "htmldate", "courlan", "httpx", "httpcore", "charset_normalizer"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING) if verbose < 2 else logging.DEBUG)
    click_ctx.obj = Ctx(db, quiet, verbose)


# --- add ------------------------------------------------------------------------------------------

def _parse_field_map(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in pairs:
        if "=" not in p:
            raise click.BadParameter(f"{p!r}: use OURS=THEIRS, e.g. text=body", param_hint="--field-map")
        ours, theirs = p.split("=", 1)
        out[ours.strip()] = theirs.strip()
    return out


def run_add(ctx: Ctx, inputs: list[str], options: Any, *, store: Any | None = None,
            workers: int | None = None, reuse: bool = True, stories: bool = True, quotes: bool = True,
            device: str = "cpu") -> Any:
    from storyline.pipeline import Pipeline
    from storyline.store import Store

    encoder = None
    if device != "cpu" and (reuse or stories or quotes):
        from storyline.embed import get_encoder

        encoder = get_encoder(device)
    own = store is None
    store = store or Store(ctx.db)
    try:
        pipe = Pipeline(store, workers=workers, reuse=reuse, stories=stories, quotes=quotes, encoder=encoder)
        if ctx.show_progress:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} read"),
                          TimeElapsedColumn(), console=ctx.err, transient=True) as bar:
                task = bar.add_task("reading articles", total=None)
                report = pipe.add(inputs, options, progress=lambda a: bar.advance(task))
        else:
            report = pipe.add(inputs, options)
    finally:
        if own:
            store.close()
    return report


def print_report(ctx: Ctx, report: Any) -> None:
    if ctx.quiet:
        return
    e = ctx.err
    e.print(f"read {report.read} inputs: [green]{report.inserted} added[/], {report.existing} already stored, "
            f"[{'red' if report.dropped else 'green'}]{len(report.dropped)} dropped[/]"
            + (f", {report.recleaned} re-cleaned" if report.recleaned else "")
            + (f", {report.reuse_links} reuse link(s) found" if report.reuse_links else "")
            + (f", {report.stories_assigned} put in stories ({report.new_stories} new)" if report.stories_assigned else "")
            + (f", {report.quotes} quote(s), {report.claims} claim(s)" if report.quote_articles else ""))
    for a in report.dropped:
        e.print(f"  [red]dropped[/] {escape(a.location)}: {a.drop_reason} — {escape(a.drop_detail or '')}")
    secs = report.stage_seconds
    total = report.total_seconds or 1e-9
    parts = ", ".join(f"{k} {v:.2f}s" for k, v in sorted(secs.items()) if v > 0)
    rate = report.read / total
    e.print(f"  time: {total:.2f}s ({rate:.{0 if rate >= 10 else 1}f} articles/s) — {parts}")


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--follow", is_flag=True, help="For feeds: fetch each entry's linked page and extract it.")
@click.option("--field-map", "field_map", multiple=True, metavar="OURS=THEIRS",
              help="JSON/JSONL field names, e.g. --field-map text=body --field-map title=headline.")
@click.option("--source", "source", default=None, help="Outlet name to record for every input (overrides detection).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes reading local files (default: one per core; used from 48 files up).")
@click.option("--html-fast", is_flag=True, help="trafilatura's fast mode: about 1.5x faster on heavy pages, "
              "slightly lower recall on messy ones.")
@click.option("--no-reuse", "no_reuse", is_flag=True,
              help="Skip reuse detection (copies, rewrites) for now; the next add without it links these too.")
@click.option("--no-stories", "no_stories", is_flag=True,
              help="Skip story clustering for now; the next add without it puts these articles in stories.")
@click.option("--device", default=lambda: os.environ.get("STORYLINE_DEVICE", "cpu"), show_default="cpu",
              help="Where MiniLM runs: cpu (int8 ONNX) or cuda (torch, fp16; needs torch and the fp32 "
                   "weights: see docs/user-guide.md). Env: STORYLINE_DEVICE.")
@click.option("--no-quotes", "no_quotes", is_flag=True,
              help="Skip quotes and claims for now; the next add without it analyses these articles too.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def add(ctx: Ctx, inputs: tuple[str, ...], follow: bool, field_map: tuple[str, ...], source: str | None,
        workers: int | None, html_fast: bool, no_reuse: bool, no_stories: bool, device: str, no_quotes: bool,
        as_json: bool) -> None:
    """Add articles: files, folders, feeds, WARC, JSON(L), URLs, or - for stdin."""
    from storyline.ingest import ReadOptions

    options = ReadOptions(field_map=_parse_field_map(field_map), follow=follow, source=source, html_fast=html_fast)
    try:
        report = run_add(ctx, list(inputs), options, workers=workers, reuse=not no_reuse, stories=not no_stories,
                         quotes=not no_quotes, device=device)
    except StorylineError as exc:
        _fail(ctx, exc)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_report(ctx, report)
    sys.exit(EXIT_PARTIAL if report.dropped else EXIT_OK)


# --- listing ---------------------------------------------------------------------------------------

def _date(a: Article) -> str:
    return a.published_at.date().isoformat() if a.published_at else "—"


def _untitled(a: Article) -> str:
    first = a.text[a.sentences[0][0]:a.sentences[0][1]] if a.sentences else a.text[:80]
    return f"(untitled) {first[:77]}…" if len(first) > 77 else f"(untitled) {first}"


def _article_row(a: Article) -> dict[str, Any]:
    return {"id": a.id, "published_at": a.published_at.isoformat() if a.published_at else None,
            "source": a.source, "title": a.title, "byline": a.byline, "language": a.language,
            "location": a.location, "status": a.status, "drop_reason": a.drop_reason,
            "removed": len(a.removed), "chars": len(a.text)}


@cli.command()
@click.option("--source", default=None, help="Only this outlet (key or name, case-insensitive).")
@click.option("--since", default=None, help="Published on or after (YYYY-MM-DD).")
@click.option("--until", default=None, help="Published before (YYYY-MM-DD).")
@click.option("--status", type=click.Choice(["ok", "dropped", "all"]), default="ok", show_default=True)
@click.option("--language", default=None, help="ISO 639-1 code, e.g. en.")
@click.option("--limit", type=int, default=None)
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.pass_obj
def articles(ctx: Ctx, source: str | None, since: str | None, until: str | None, status: str,
             language: str | None, limit: int | None, as_json: bool) -> None:
    """List stored articles (newest last)."""
    try:
        with ctx.store() as store:
            rows = store.list_articles(source=source, since=_parse_when(since, "--since"),
                                       until=_parse_when(until, "--until"),
                                       status=None if status == "all" else status, language=language, limit=limit)
            links = store.reuse_links() if not as_json else []
    except StorylineError as exc:
        _fail(ctx, exc)
    if as_json:
        click.echo(json.dumps([_article_row(a) for a in rows], indent=2, ensure_ascii=False))
        return
    table = Table(show_lines=False, header_style="bold")
    table.add_column("id", no_wrap=True)
    table.add_column("date", no_wrap=True)
    for col in ("source", "title", "byline", "lang", "removed" if status != "dropped" else "reason"):
        table.add_column(col, overflow="fold")
    for a in rows:
        last = str(len(a.removed)) if status != "dropped" else f"{a.drop_reason}: {a.drop_detail or ''}"
        title = a.title or (a.location if a.status == "dropped" else _untitled(a))
        table.add_row(a.id, _date(a), a.source or "—", title or "—", a.byline or "—", a.language or "—", last)
    ctx.out.print(table)
    ctx.out.print(f"{len(rows)} article(s)")
    ok = [a.id for a in rows if a.status == "ok"]
    if ok:
        from storyline.reuse.stage import fold_copies

        n_versions = len(fold_copies(ok, links))
        ctx.out.print(f"{len(ok)} articles, {n_versions} independent versions once copies are folded"
                      " (duplicate and near-duplicate links)")


@cli.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="The export form of the article.")
@click.option("--clean", "clean_only", is_flag=True, help="Only the clean text, no struck-through removals.")
@click.pass_obj
def show(ctx: Ctx, article_id: str, as_json: bool, clean_only: bool) -> None:
    """Show one article: metadata, then its text with removed boilerplate struck through and the reason."""
    try:
        with ctx.store() as store:
            a = store.get_article(article_id)
    except StorylineError as exc:
        _fail(ctx, exc)
    if as_json:
        click.echo(json.dumps(a.to_dict() | {"original_text": a.raw_text}, indent=2, ensure_ascii=False))
        return
    out = ctx.out
    out.print(f"[bold]{escape(a.title or '(untitled)')}[/]")
    meta = [("id", a.id), ("source", a.source), ("byline", a.byline),
            ("published", a.published_at.isoformat() if a.published_at else None),
            ("date found by", a.date_method), ("language", a.language), ("from", a.location),
            ("status", a.status if a.status == "ok" else f"dropped: {a.drop_reason} — {a.drop_detail}")]
    for k, v in meta:
        if v:
            out.print(f"[dim]{k:>14}[/] {escape(str(v))}")
    out.print()
    if clean_only or not a.removed:
        out.print(Text(a.text))
    else:
        out.print(render_removals(a, color=out.is_terminal and not out.no_color))
        counts: dict[str, int] = {}
        for r in a.removed:
            counts[r.reason] = counts.get(r.reason, 0) + 1
        out.print()
        out.print("[dim]removed: " + ", ".join(f"{k} ×{v}" for k, v in sorted(counts.items())) + "[/]")


def render_removals(a: Article, *, color: bool) -> Text:
    """The original text with each removed span struck through and followed by its reason."""
    raw = a.raw_text
    out = Text()
    pos = 0
    for r in sorted(a.removed, key=lambda r: (r.start, r.end)):
        if r.start < pos:
            continue
        out.append(raw[pos:r.start])
        seg = raw[r.start:r.end]
        if color:
            out.append(seg, style="strike dim red")
        else:
            out.append(f"~~{seg}~~")
        out.append(f" [{r.reason}]", style="italic yellow" if color else "")
        pos = r.end
    out.append(raw[pos:])
    return out


@cli.command()
@click.argument("query")
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def search(ctx: Ctx, query: str, limit: int, as_json: bool) -> None:
    """Full-text search over titles and clean text (SQLite FTS5, ranked by BM25)."""
    try:
        with ctx.store() as store:
            hits = store.search(query, limit=limit)
    except StorylineError as exc:
        _fail(ctx, exc)
    if as_json:
        click.echo(json.dumps([_article_row(h.article) | {"score": h.score, "snippet": h.snippet} for h in hits],
                              indent=2, ensure_ascii=False))
        return
    for h in hits:
        a = h.article
        ctx.out.print(f"[bold cyan]{a.id}[/] {_date(a)} [green]{escape(a.source or '—')}[/] {escape(a.title or '')}")
        ctx.out.print(Text("    ").append_text(_highlight(h.snippet)))
    ctx.out.print(f"{len(hits)} match(es)")


def _highlight(snippet: str) -> Text:
    """Snippets from the store mark each match with SNIPPET_OPEN/SNIPPET_CLOSE; show them bold."""
    from storyline.store import SNIPPET_CLOSE, SNIPPET_OPEN

    out = Text()
    for i, part in enumerate(snippet.replace(SNIPPET_CLOSE, SNIPPET_OPEN).split(SNIPPET_OPEN)):
        out.append(part, style="bold yellow" if i % 2 else "")
    return out


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "parquet"]), default="json", show_default=True)
@click.option("-o", "--output", "output", default="-", help="Output file (- for stdout; parquet needs a file).")
@click.option("--no-dropped", is_flag=True, help="Leave dropped inputs out.")
@click.pass_obj
def export(ctx: Ctx, fmt: str, output: str, no_dropped: bool) -> None:
    """Export articles as JSON, JSONL, CSV or Parquet; JSON also carries stories, storylines, reuse links and
    groups, quotes (with their groups), claims and comparisons."""
    from storyline.store.export import export as do_export

    if fmt == "parquet" and output == "-":
        _fail(ctx, UsageError("parquet needs a file: add -o out.parquet"))
    try:
        with ctx.store() as store:
            if output == "-":
                do_export(store, fmt, sys.stdout, include_dropped=not no_dropped)  # type: ignore[arg-type]
            else:
                do_export(store, fmt, Path(output), include_dropped=not no_dropped)  # type: ignore[arg-type]
    except StorylineError as exc:
        _fail(ctx, exc)
    if output != "-" and not ctx.quiet:
        ctx.err.print(f"wrote {output}")


# --- reuse ----------------------------------------------------------------------------------------

def _other_side(link: dict[str, Any], me: str) -> dict[str, Any]:
    """A stored link seen from article ``me``: the other id, coverage of each side, direction."""
    mine = "a" if link["a"] == me else "b"
    theirs = "b" if mine == "a" else "a"
    sc = link["scores"]
    d = link["direction"]
    if d is None:
        flow = None
    else:
        flow = "from this" if d == f"{mine}->{theirs}" else "to this"
    return {"other": link[theirs], "kind": link["kind"], "direction": flow,
            "coverage_this": sc.get(f"containment_{mine}"), "coverage_other": sc.get(f"containment_{theirs}"),
            "passages": len(link["passages"])}


@cli.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="The links as stored (export form), JSON.")
@click.pass_obj
def reuse(ctx: Ctx, article_id: str, as_json: bool) -> None:
    """Reuse links of one article: copies, partial reuse, rewrites and translations, with direction and coverage."""
    from storyline.reuse.provenance import reuse_group_of

    try:
        with ctx.store() as store:
            a = store.get_article(article_id)
            links = store.reuse_links(a.id)
            others = {}
            for ln in links:
                oid = ln["b"] if ln["a"] == a.id else ln["a"]
                others[oid] = store.get_article(oid)
            seen = bool(store.get_citations([a.id]))
            group = reuse_group_of(store, a.id)
    except StorylineError as exc:
        _fail(ctx, exc)
    if as_json:
        click.echo(json.dumps([_other_side(ln, a.id) | {"link": ln} for ln in links], indent=2, ensure_ascii=False))
        return
    out = ctx.out
    out.print(f"[bold]{escape(a.title or '(untitled)')}[/] [dim]{a.id} {escape(a.source or '')}[/]")
    if not links:
        out.print("no reuse links" + ("" if seen else " (this article has not been through reuse detection: "
                                      "it was added with --no-reuse; the next `storyline add` links it)"))
        return
    table = Table(header_style="bold")
    for col in ("other", "source", "title", "kind", "direction", "this covered", "other covered", "passages"):
        table.add_column(col, overflow="fold")
    for ln in links:
        o = _other_side(ln, a.id)
        oa = others[o["other"]]
        arrow = {"from this": "this → other", "to this": "other → this"}.get(o["direction"] or "", "unknown")
        table.add_row(oa.id, oa.source or "—", (oa.title or "")[:60], o["kind"], arrow,
                      f"{o['coverage_this']:.0%}", f"{o['coverage_other']:.0%}", str(o["passages"]))
    out.print(table)
    if group is not None:
        out.print(_group_line(group))
    out.print(f"{len(links)} link(s); see both texts with [bold]storyline diff {a.id[:10]} <other>[/]")


def _group_line(group: Any) -> str:
    """One line on a reuse group: copies of one another, or siblings of a common (named) source."""
    n = len(group.article_ids)
    if group.shared_source:
        who = (f"their texts credit [bold]{escape(group.source)}[/] "
               f"({group.evidence['citing_texts'][group.source]} of {n})"
               if group.source else "none of their texts credits one source")
        return f"{n} articles share text with no one containing another — a common source; {who}"
    copies = "copies or translations" if "translation" in group.evidence.get("link_kinds", {}) else "copies"
    if group.source:
        return (f"{n} articles share text (one contains another: {copies}); "
                f"{group.evidence['citing_texts'][group.source]} credit {escape(group.source)}")
    return f"{n} articles share text (one contains another: {copies})"


@cli.command()
@click.pass_obj
def relink(ctx: Ctx) -> None:
    """Judge every stored article's reuse links again (after an upgrade changed the rules).

    Links, passages, signatures and credits are recomputed from the stored clean texts; cached
    sentence vectors are reused, so nothing is embedded twice. Stories are not moved; quote groups
    are recomputed (a reuse link decides whether a reworded quote is a version of another)."""
    from storyline.pipeline import QuotesStep
    from storyline.reuse.stage import ReuseStage

    try:
        with ctx.store() as store:
            before = store.clear_reuse()
            rep = ReuseStage().run(store)
            qrep = QuotesStep().run(store, [], regroup=True)
    except StorylineError as exc:
        _fail(ctx, exc)
    ctx.out.print(f"relinked {rep.articles} article(s): {before} link(s) before, {rep.links} now "
                  f"({rep.candidates} candidate pairs aligned); {qrep.groups} quote group(s)")


# --- quotes and claims ------------------------------------------------------------------------------

def _story_members(store: Any, story_id: str) -> tuple[str, list[str]]:
    for s in store.stories():
        if s["id"] == story_id or s["id"].lower() == story_id.strip().lower():
            return s["id"], list(s["article_ids"])
    raise NotFoundError(f"no story {story_id!r} in this database: list them with `storyline stories`")


@cli.command()
@click.option("--story", "story_id", default=None, help="Only quotes in this story's articles.")
@click.option("--speaker", default=None, help="Only quotes whose speaker contains this (case-insensitive).")
@click.option("--json", "as_json", is_flag=True, help="The quotes in their export form, JSON.")
@click.pass_obj
def quotes(ctx: Ctx, story_id: str | None, speaker: str | None, as_json: bool) -> None:
    """Who said what: quotes with speaker, cue, kind and the outlets they came through."""
    try:
        with ctx.store() as store:
            ids = _story_members(store, story_id)[1] if story_id else None
            qs = store.quotes(ids, speaker=speaker)
            outlet = {a.id: a.source or a.source_key or "-" for a in (
                [store.get_article(i) for i in sorted({q.article_id for q in qs})])}
    except StorylineError as exc:
        _fail(ctx, exc)
    if as_json:
        from storyline.store.export import quote_record

        click.echo(json.dumps([quote_record(q) for q in qs], indent=2, ensure_ascii=False))
        return
    if not qs:
        ctx.err.print("no quotes found" + ("" if story_id or speaker else
                      ": add articles with `storyline add` (without --no-quotes)"))
        return
    t = Table(show_lines=False)
    for col in ("speaker", "kind", "cue", "quote", "article", "via"):
        t.add_column(col, overflow="fold")
    for q in qs:
        role = f" ({q.speaker_role})" if q.speaker_role else ""
        text = q.text if len(q.text) <= 160 else q.text[:157] + "..."
        # an unresolved description shows its words ("the utility (unresolved)"), no words at all "?"
        who = q.speaker or (f"{q.speaker_mention} (unresolved)" if q.speaker_mention else "?")
        t.add_row(escape(who + role), q.kind + (" denial" if q.denial else ""), escape(q.cue or ""),
                  escape(text) + (" [yellow](altered)[/]" if q.altered else ""),
                  f"{q.article_id[:8]} {escape(outlet.get(q.article_id, '-'))}",
                  escape(" > ".join(c.name for c in q.chain)))
    ctx.out.print(t)
    ctx.out.print(f"{len(qs)} quote(s)")


_STANCE_MARK = {"asserts": "asserts", "reports": "reports", "denies": "[red]denies[/]",
                "disputes": "[yellow]disputes[/]"}


@cli.command()
@click.option("--story", "story_id", required=True, help="The story (see `storyline stories`).")
@click.option("--limit", type=int, default=20, show_default=True, help="At most this many claims, most widely carried first.")
@click.option("--json", "as_json", is_flag=True, help="The claims in their export form, JSON.")
@click.pass_obj
def claims(ctx: Ctx, story_id: str, limit: int, as_json: bool) -> None:
    """Claims x outlets: who asserts, reports, denies or disputes each claim of a story."""
    try:
        with ctx.store() as store:
            sid, ids = _story_members(store, story_id)
            cls = store.claims(ids)
            unread = set(ids) & set(store.ids_without_quote_run()) if not cls else set()
            member = set(ids)
            linked = sorted({s.article_id for c in cls[:limit] for s in c.stances} - member)
            arts = {i: store.get_article(i) for i in [*ids, *linked]}
    except StorylineError as exc:
        _fail(ctx, exc)
    from storyline.nlp.claims import rank_claims

    cls = rank_claims(cls, member)
    if as_json:
        from storyline.store.export import claim_record

        click.echo(json.dumps([claim_record(c) for c in cls[:limit]], indent=2, ensure_ascii=False))
        return
    if not cls:
        if unread:
            ctx.err.print(f"no claims in story {sid}: {len(unread)} of its {len(ids)} article(s) were added with "
                          "--no-quotes; the next `storyline add` without it analyses them")
        else:
            ctx.err.print(f"no claims in story {sid}: none of its statements is check-worthy, carried by two "
                          "articles or denied")
        return
    order = sorted(ids, key=lambda i: ((arts[i].source or arts[i].source_key or "").lower(), i))
    order += [i for i in linked if any(s.article_id == i for c in cls[:limit] for s in c.stances)]
    t = Table(show_lines=True, title=f"claims of story {sid}")
    t.add_column("claim", overflow="fold", max_width=60)
    t.add_column("holder", overflow="fold")
    for i in order:
        t.add_column(escape(f"{(arts[i].source or arts[i].source_key or '?')[:18]}\n{i[:8]}")
                     + ("" if i in member else "\n[dim](linked story)[/]"), overflow="fold")
    for c in cls[:limit]:
        cells = []
        for i in order:
            here = [s for s in c.stances if s.article_id == i]
            cells.append("\n".join(f"{_STANCE_MARK[s.stance]}" + (f" ({escape(s.holder)})" if s.holder and s.stance != "asserts" else "")
                                   + (f" [yellow]≠ {escape(', '.join(fig))}[/]" if (fig := c.differing_figures(s)) else "")
                                   for s in here) or "")
        text = c.text if len(c.text) <= 200 else c.text[:197] + "..."
        # no holder: the outlets' own claim, or one known only from its denials
        holder = c.holder or ("outlet" if any(s.stance == "asserts" for s in c.stances) else "—")
        t.add_row(escape(text), escape(holder), *cells)
    ctx.out.print(t)
    ctx.out.print(f"{min(limit, len(cls))} of {len(cls)} claim(s)")


# --- stories --------------------------------------------------------------------------------------

def _day(iso: str | None) -> str:
    return iso[:10] if iso else "—"


def _story_rows(store: Any, since: datetime | None, until: datetime | None, source: str | None) -> list[dict[str, Any]]:
    from storyline.stories import fold_outlets, story_entities

    out = []
    for s in store.stories():
        if since is not None and s["last_seen"] and datetime.fromisoformat(s["last_seen"]) < since:
            continue
        if until is not None and s["first_seen"] and datetime.fromisoformat(s["first_seen"]) >= until:
            continue
        arts = {i: store.get_article(i) for i in s["article_ids"]}
        if source is not None and not any(
                source.lower() in ((a.source_key or "").lower(), (a.source or "").lower()) for a in arts.values()):
            continue
        out.append({"id": s["id"], "title": s["title"], "first_seen": s["first_seen"], "last_seen": s["last_seen"],
                    "articles": len(s["article_ids"]), "article_ids": s["article_ids"],
                    "representative_id": s["representative_id"], "entities": story_entities(s),
                    "outlets": fold_outlets(store, s["article_ids"], arts), "storyline_id": s["storyline_id"]})
    out.sort(key=lambda r: (-r["articles"], -(datetime.fromisoformat(r["last_seen"]).timestamp()
                                              if r["last_seen"] else float("-inf")), r["id"]))
    return out


@cli.command()
@click.option("--since", default=None, help="Stories active on or after (YYYY-MM-DD).")
@click.option("--until", default=None, help="Stories that started before (YYYY-MM-DD).")
@click.option("--source", default=None, help="Only stories carried by this outlet (key or name).")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.pass_obj
def stories(ctx: Ctx, since: str | None, until: str | None, source: str | None, as_json: bool) -> None:
    """List stories, most active first (articles, then latest)."""
    try:
        with ctx.store() as store:
            rows = _story_rows(store, _parse_when(since, "--since"), _parse_when(until, "--until"), source)
    except StorylineError as exc:
        _fail(ctx, exc)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(header_style="bold")
    for col in ("id", "first", "last", "articles", "title", "outlets (copies folded)", "storyline"):
        table.add_column(col, overflow="fold")
    for r in rows:
        outlets = ", ".join(f"{k} {v}" for k, v in r["outlets"].items())
        table.add_row(r["id"], _day(r["first_seen"]), _day(r["last_seen"]), str(r["articles"]),
                      escape(r["title"] or "(untitled)"), escape(outlets), r["storyline_id"] or "—")
    ctx.out.print(table)
    ctx.out.print(f"{len(rows)} stor{'y' if len(rows) == 1 else 'ies'}; see [bold]storyline story <id>[/]")


def _link_kind(store: Any, aid: str, members: set[str]) -> str:
    from storyline.reuse.links import LINK_KINDS

    kinds = sorted({ln["kind"] for ln in store.reuse_links(aid) if (ln["b"] if ln["a"] == aid else ln["a"]) in members},
                   key=LINK_KINDS.index)
    return kinds[0] if kinds else "independent"


@cli.command()
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.pass_obj
def story(ctx: Ctx, story_id: str, as_json: bool) -> None:
    """One story: its timeline (date, outlet, title, link kind to the rest) and storyline links."""
    from storyline.reuse.provenance import articles_source
    from storyline.stories import fold_outlets, story_entities

    try:
        with ctx.store() as store:
            merges = dict((a, k) for k, a, _ in store.load_clusterer_state().get("merges", []))
            sid = story_id.upper()
            while sid in merges:
                sid = merges[sid]
            rec = next((s for s in store.stories() if s["id"] == sid), None)
            if rec is None:
                raise NotFoundError(f"no story {story_id!r}: see `storyline stories`")
            members = set(rec["article_ids"])
            arts = {i: store.get_article(i) for i in rec["article_ids"]}
            timeline = []
            for i in sorted(members, key=lambda i: (arts[i].published_at is None,
                                                    arts[i].published_at.timestamp() if arts[i].published_at else 0, i)):
                a = arts[i]
                timeline.append({"id": i, "published_at": a.published_at.isoformat() if a.published_at else None,
                                 "source": a.source, "title": a.title, "link": _link_kind(store, i, members - {i})})
            links = [ln for ln in store.storyline_links() if sid in (ln["from"], ln["to"])]
            outlets = fold_outlets(store, rec["article_ids"], arts)
            source = articles_source(store, rec["article_ids"])
    except StorylineError as exc:
        _fail(ctx, exc)
    data = {"id": sid, "title": rec["title"], "first_seen": rec["first_seen"], "last_seen": rec["last_seen"],
            "representative_id": rec["representative_id"], "entities": story_entities(rec), "outlets": outlets,
            "storyline_id": rec["storyline_id"], "timeline": timeline, "storyline_links": links,
            "common_source": source.source, "common_source_evidence": source.evidence}
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    out = ctx.out
    out.print(f"[bold]{sid}[/] {escape(rec['title'] or '(untitled)')}")
    out.print(f"{_day(rec['first_seen'])} → {_day(rec['last_seen'])}, {len(members)} article(s); "
              f"outlets (copies folded): {escape(', '.join(f'{k} {v}' for k, v in outlets.items()))}")
    out.print("key entities: " + escape(", ".join(data["entities"]) or "—"))
    if source.source:
        out.print(f"common source credited in the texts: [bold]{escape(source.source)}[/] "
                  f"({source.evidence['citing_texts'][source.source]} of {len(members)} articles)")
    table = Table(header_style="bold", title="Timeline")
    for col in ("date", "outlet", "title", "link to the rest", "id"):
        table.add_column(col, overflow="fold")
    for t in timeline:
        table.add_row(_day(t["published_at"]), escape(t["source"] or "—"), escape(t["title"] or "(untitled)"),
                      t["link"], t["id"][:10])
    out.print(table)
    for ln in links:
        out.print(f"storyline {rec['storyline_id']}: {ln['from']} → {ln['to']} — {_evidence(ln['evidence'])}")


def _evidence(ev: dict[str, Any]) -> str:
    gap = ev.get("gap_days")
    return (f"shared entities: {', '.join(ev.get('shared_entities', []))}; "
            f"gap: {'undated' if gap is None else f'{gap:g} days'}; similarity {ev.get('similarity', 0):.2f}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="JSON output (the export form).")
@click.pass_obj
def storylines(ctx: Ctx, as_json: bool) -> None:
    """Storylines: stories linked over time, each link with its evidence."""
    from storyline.stories import storyline_export_records

    try:
        with ctx.store() as store:
            lines = storyline_export_records(store)
            titles = {s["id"]: s for s in store.stories()}
    except StorylineError as exc:
        _fail(ctx, exc)
    if as_json:
        click.echo(json.dumps(lines, indent=2, ensure_ascii=False))
        return
    out = ctx.out
    for ln in lines:
        out.print(f"[bold]{ln['id']}[/] ({len(ln['story_ids'])} stories)")
        for sid in ln["story_ids"]:
            s = titles[sid]
            out.print(f"  {sid}  {_day(s['first_seen'])} → {_day(s['last_seen'])}  {len(s['article_ids'])} art.  "
                      f"{escape(s['title'] or '(untitled)')}")
        for lk in ln["links"]:
            out.print(f"    {lk['from']} → {lk['to']}: {escape(_evidence(lk['evidence']))}")
    out.print(f"{len(lines)} storyline(s)")


_MATCH_STYLE = {"exact": ("=", "green"), "paraphrase": ("≈", "cyan"), "changed": ("≠", "yellow"),
                "missing": ("−", "red"), "added": ("+", "magenta")}


def diff_rows(a_text: str, b_text: str, passages: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """Rows (kind, A text, B text) for a side-by-side view: passages in A order, A's unaligned text
    as ``missing`` (from B), B's unaligned text as ``added``, after the passage it follows in B."""
    ps = sorted(passages, key=lambda p: (p["a_start"], p["b_start"]))
    # B's gaps, each attached to the passage ending right before it in B (None: before every passage)
    b_order = sorted(range(len(ps)), key=lambda i: ps[i]["b_start"])
    after: dict[int | None, list[str]] = {}
    pos, prev = 0, None
    for i in b_order:
        gap = b_text[pos:ps[i]["b_start"]].strip()
        if gap:
            after.setdefault(prev, []).append(gap)
        pos, prev = max(pos, ps[i]["b_end"]), i
    tail = b_text[pos:].strip()
    if tail:
        after.setdefault(prev, []).append(tail)
    rows: list[tuple[str, str, str]] = [("added", "", g) for g in after.get(None, [])]
    apos = 0
    for i, p in enumerate(ps):
        gap = a_text[apos:p["a_start"]].strip()
        if gap:
            rows.append(("missing", gap, ""))
        rows.append((p["match"], a_text[p["a_start"]:p["a_end"]], b_text[p["b_start"]:p["b_end"]]))
        apos = max(apos, p["a_end"])
        rows.extend(("added", "", g) for g in after.get(i, []))
    gap = a_text[apos:].strip()
    if gap:
        rows.append(("missing", gap, ""))
    return rows


@cli.command()
@click.argument("a_id")
@click.argument("b_id")
@click.pass_obj
def diff(ctx: Ctx, a_id: str, b_id: str) -> None:
    """Two articles side by side: aligned passages (= exact, ≈ paraphrase, ≠ changed), text of the first
    missing from the second (−) and text the second adds (+)."""
    try:
        with ctx.store() as store:
            a, b = store.get_article(a_id), store.get_article(b_id)
            if a.id == b.id:
                raise UsageError("give two different articles")
            lo, hi = sorted([a.id, b.id])
            stored = [ln for ln in store.reuse_links(a.id) if (ln["a"], ln["b"]) == (lo, hi)]
            if stored:
                link = stored[0]
                passages = link["passages"]
                kind, direction = link["kind"], link["direction"]
                if a.id != lo:  # stored as (b, a): swap the sides
                    passages = [{"a_start": p["b_start"], "a_end": p["b_end"], "b_start": p["a_start"],
                                 "b_end": p["a_end"], "similarity": p["similarity"], "match": p["match"]}
                                for p in passages]
                    direction = {"a->b": "b->a", "b->a": "a->b"}.get(direction or "")
            else:  # not linked (or never judged): align now
                from storyline.reuse.align import align

                passages = [p._asdict() for p in align(a.text, a.sentences, b.text, b.sentences)]
                kind, direction = "no link", None
    except StorylineError as exc:
        _fail(ctx, exc)
    out = ctx.out
    color = out.is_terminal and not out.no_color
    head = {"a->b": "first → second", "b->a": "second → first"}.get(direction or "", "direction unknown")
    out.print(f"[bold]{kind}[/], {head}; {len(passages)} aligned passage(s)")
    table = Table(header_style="bold", show_lines=True, expand=True)
    table.add_column("", no_wrap=True, width=1)
    table.add_column(escape(f"{a.id[:10]} {a.source or ''}: {a.title or ''}"), ratio=1, overflow="fold")
    table.add_column(escape(f"{b.id[:10]} {b.source or ''}: {b.title or ''}"), ratio=1, overflow="fold")
    for m, ta, tb in diff_rows(a.text, b.text, passages):
        mark, style = _MATCH_STYLE[m]
        st = style if color else ""
        if m == "missing" and color:
            st = "dim red"
        table.add_row(Text(mark, style=st), Text(ta, style=st), Text(tb, style=st))
    out.print(table)
    out.print("= exact   ≈ paraphrase   ≠ changed (number, name or negation differs)   "
              "− only in the first   + only in the second")


# --- db -------------------------------------------------------------------------------------------

@cli.group()
def db() -> None:
    """Database maintenance."""


@db.command("info")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def db_info(ctx: Ctx, as_json: bool) -> None:
    """Schema version, migrations, counts and size of the database."""
    try:
        with ctx.store() as store:
            info = store.info()
    except StorylineError as exc:
        _fail(ctx, exc)
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False, default=str))
        return
    _print_mapping(ctx, info)


def _print_mapping(ctx: Ctx, info: dict[str, Any], indent: int = 0) -> None:
    for k, v in info.items():
        if isinstance(v, dict):
            ctx.out.print(" " * indent + f"[bold]{k}[/]")
            _print_mapping(ctx, v, indent + 2)
        elif isinstance(v, list):
            ctx.out.print(" " * indent + f"[bold]{k}[/]")
            for item in v:
                ctx.out.print(" " * (indent + 2) + escape(str(item)))
        else:
            ctx.out.print(" " * indent + f"[dim]{k}:[/] {escape(str(v))}")


@cli.command()
@click.pass_obj
def sources(ctx: Ctx) -> None:
    """Outlets in the database with their article counts."""
    try:
        with ctx.store() as store:
            rows = store.sources()
    except StorylineError as exc:
        _fail(ctx, exc)
    table = Table(header_style="bold")
    table.add_column("key")
    table.add_column("name")
    table.add_column("articles", justify="right")
    for key, name, n in rows:
        table.add_row(key, name or "", str(n))
    ctx.out.print(table)


# --- demo -----------------------------------------------------------------------------------------

@cli.command()
@click.option("--keep", is_flag=True, help="Keep an existing demo database instead of rebuilding it.")
@click.pass_obj
def demo(ctx: Ctx, keep: bool) -> None:
    """Build a fresh database from the bundled demo corpus and show what Storyline found."""
    from storyline.demo import corpus_inputs, summarize

    db_path = Path(ctx.db if ctx.db != DEFAULT_DB or os.environ.get("STORYLINE_DB") else DEMO_DB)
    ctx.db = str(db_path)
    if db_path.exists() and not keep:
        _remove_storyline_db(ctx, db_path)
    from storyline.ingest import ReadOptions

    try:
        report = run_add(ctx, corpus_inputs(), ReadOptions())
        print_report(ctx, report)
        with ctx.store() as store:
            summarize(store, report, ctx.out)
    except StorylineError as exc:
        _fail(ctx, exc)
    ctx.out.print(f"\ndemo database: {db_path}  (try: storyline --db {db_path} articles)")


def _remove_storyline_db(ctx: Ctx, path: Path) -> None:
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        con.execute("SELECT 1 FROM schema_migrations LIMIT 1")
        con.close()
    except sqlite3.Error:
        _fail(ctx, UsageError(f"{path} exists and is not a Storyline database; choose another --db"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- web UI and report ------------------------------------------------------------------------------

@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one).")
@click.pass_obj
def serve(ctx: Ctx, host: str, port: int) -> None:
    """Serve the web UI: stories with search and filters, story timelines and provenance graphs,
    articles with removed boilerplate and shared passages, two versions side by side. Ctrl-C stops."""
    from storyline.web import serve as run_server

    try:
        run_server(ctx.db, host, port, ready=lambda url: ctx.err.print(f"serving {escape(ctx.db)} at {url} (Ctrl-C stops)"))
    except StorylineError as exc:
        _fail(ctx, exc)
    except KeyboardInterrupt:
        ctx.err.print("stopped")


@cli.command()
@click.argument("story_id")
@click.option("-o", "--output", "output", default="-", help="Output file (- for stdout).")
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True,
              help="html: one self-contained file (inline CSS and SVG, no external requests); md: a summary.")
@click.pass_obj
def report(ctx: Ctx, story_id: str, output: str, fmt: str) -> None:
    """Write one story as a self-contained HTML file or a Markdown summary."""
    from storyline.web.report import write_report

    try:
        with ctx.store() as store:
            write_report(store, story_id, sys.stdout if output == "-" else Path(output), fmt, db_name=Path(ctx.db).name)
    except StorylineError as exc:
        _fail(ctx, exc)
    if output != "-" and not ctx.quiet:
        ctx.err.print(f"wrote {output}")


@cli.command()
@click.argument("story_id")
@click.option("--article", "article_id", default=None, help="Only this version (id or prefix).")
@click.option("--json", "as_json", is_flag=True, help="The comparisons in their export form (with evidence), JSON.")
@click.pass_obj
def compare(ctx: Ctx, story_id: str, article_id: str | None, as_json: bool) -> None:
    """What each version of a story adds (new facts, commentary, off-topic) and omits."""
    from storyline.compare import compare_story

    try:
        with ctx.store() as store:
            comps = compare_story(store, story_id)
            if article_id:
                full = store.get_article(article_id).id
                comps = [c for c in comps if c.article_id == full]
                if not comps:
                    raise NotFoundError(f"article {article_id!r} is not a version of story {story_id!r}")
            titles = {c.article_id: store.get_article(c.article_id) for c in comps}
    except StorylineError as exc:
        _fail(ctx, exc)
    if as_json:
        click.echo(json.dumps([c.to_dict(evidence=True) for c in comps], indent=2, ensure_ascii=False))
        return
    out = ctx.out
    for c in comps:
        a = titles[c.article_id]
        out.print(f"[bold]{c.article_id[:10]}[/] {escape(a.source or '—')}: {escape(a.title or '(untitled)')}")
        out.print(f"  shared paragraphs: {len(c.shared)}")
        for kind in ("new_fact", "commentary", "off_topic"):
            items = [x for x in c.additions if x["kind"] == kind]
            out.print(f"  {kind} ({len(items)})")
            for x in items:
                out.print(f"    [{x['start']}:{x['end']}] {escape(x['text'][:100])}")
        out.print(f"  omits ({len(c.omissions)})")
        for o in c.omissions:
            ref = o["ref"]
            out.print(f"    {o['kind']}: {escape(o['text'][:90])} — in {', '.join(i[:10] for i in ref['carried_by'])}")
        if c.loaded_terms:
            out.print("  loaded terms: " + escape(", ".join(dict.fromkeys(t["text"] for t in c.loaded_terms))))


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_PARTIAL)
    except NotFoundError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_USAGE)
    except StorylineError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_PARTIAL)
    except KeyboardInterrupt:
        click.echo("interrupted: what was stored so far is kept; run the same command again to finish", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
