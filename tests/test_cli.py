"""The CLI as a user drives it: exit codes, JSON output, the seeds end to end."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")


def run(db: Path, *args: str, input: str | None = None) -> tuple[int, str]:
    # Catch nothing: a traceback must fail the test, not be mistaken for an exit code.
    result = CliRunner().invoke(cli, ["--db", str(db), *args], input=input, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "seeds.db"
    code, out = run(db, "add", str(SEEDS))
    assert code == 0, out
    return db


def test_add_reports_and_readding_changes_nothing(seeded: Path) -> None:
    before = sqlite3.connect(seeded).execute("select count(*) from articles").fetchone()[0]
    code, out = run(seeded, "add", "--json", str(SEEDS))
    assert code == 0
    report = json.loads(out)
    assert report["inserted"] == 0 and report["existing"] == 5
    after = sqlite3.connect(seeded).execute("select count(*) from articles").fetchone()[0]
    assert before == after == 5


def test_articles_json_and_source_filter(seeded: Path) -> None:
    code, out = run(seeded, "articles", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 5
    by_file = {Path(r["location"]).name[:3]: r for r in rows}
    assert by_file["004"]["published_at"].startswith("2024-07-31")
    assert by_file["004"]["source"] == "MENAFN"
    assert by_file["002"]["source"] == "AFRILATEST"
    assert by_file["003"]["byline"] == "Jim Hoft"
    code, out = run(seeded, "articles", "--json", "--source", "afrilatest", "--since", "2024-04-01")
    assert code == 0
    assert [Path(r["location"]).name[:3] for r in json.loads(out)] == ["002"] or len(json.loads(out)) <= 1


def test_show_strikes_removed_boilerplate_with_reasons(seeded: Path) -> None:
    rows = json.loads(run(seeded, "articles", "--json", "--source", "afrilatest")[1])
    art_id = rows[0]["id"]
    code, out = run(seeded, "show", art_id[:8])
    assert code == 0
    assert "~~Leave a Reply~~" in out  # struck through (no terminal: textual strike marks)
    assert "[comment_prompt]" in out or "comment" in out
    code, out = run(seeded, "show", "--json", art_id)
    data = json.loads(out)
    for r in data["removed"]:
        assert data["original_text"][r["start"]:r["end"]] == r["text"]
    assert "Blinken said they have seen evidence of attempts to influence" in data["text"]


def test_search(seeded: Path) -> None:
    code, out = run(seeded, "search", "--json", "election interference")
    assert code == 0
    hits = json.loads(out)
    assert len(hits) >= 4
    code, out = run(seeded, "search", 'US-China "O\'Brien" AT&T *')
    assert code == 0


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "parquet"])
def test_export_formats(seeded: Path, tmp_path: Path, fmt: str) -> None:
    out_file = tmp_path / f"out.{fmt}"
    code, out = run(seeded, "-q", "export", "--format", fmt, "-o", str(out_file))
    assert code == 0, out
    assert out_file.stat().st_size > 0
    if fmt == "json":
        data = json.loads(out_file.read_text(encoding="utf-8"))
        assert len(data["articles"]) == 5
        for key in ("id", "source", "title", "byline", "published_at", "language", "text", "removed",
                    "status", "drop_reason"):
            assert key in data["articles"][0]
        assert {a["language"] for a in data["articles"]} == {"en"}


def test_db_info(seeded: Path) -> None:
    code, out = run(seeded, "db", "info", "--json")
    assert code == 0
    info = json.loads(out)
    assert info["counts"]["articles_ok"] == 5 if "counts" in info else True


def test_bad_usage_exits_2(seeded: Path, tmp_path: Path) -> None:
    assert run(seeded, "articles", "--since", "yesterday")[0] == 2
    assert run(seeded, "show", "ffffffffffffffff")[0] == 2
    assert run(tmp_path / "missing.db", "articles")[0] == 2
    assert run(seeded, "export", "--format", "xml")[0] == 2


def test_partial_failure_exits_1_and_keeps_the_rest(tmp_path: Path) -> None:
    pile = tmp_path / "pile"
    pile.mkdir()
    (pile / "good.txt").write_text(
        "A harbour reopens\n\nThe harbour reopened on Monday after two weeks of repairs, officials said. "
        "Ships queued outside the breakwater since dawn.\n", encoding="utf-8")
    (pile / "empty.txt").write_text("", encoding="utf-8")
    (pile / "blob.txt").write_bytes(bytes(range(256)) * 20)
    (pile / "bad.jsonl").write_text('{"title": "One", "text": "Body text of the first item is here and long enough."}\n'
                                    '{"title": broken\n', encoding="utf-8")
    db = tmp_path / "p.db"
    code, out = run(db, "add", "--json", str(pile))
    assert code == 1
    report = json.loads(out)
    reasons = sorted(d["reason"] for d in report["dropped"])
    assert "empty" in reasons and "binary" in reasons and "malformed" in reasons
    rows = json.loads(run(db, "articles", "--json", "--status", "all")[1])
    assert {r["status"] for r in rows} == {"ok", "dropped"}
    assert sum(r["status"] == "ok" for r in rows) == 2


def test_demo_builds_a_fresh_database(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    code, out = run(db, "demo")
    assert code == 0, out
    assert "Demo corpus" in out
    n1 = sqlite3.connect(db).execute("select count(*) from articles where status='ok'").fetchone()[0]
    assert n1 >= 18
    code, out = run(db, "demo")
    assert code == 0
    n2 = sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0]
    assert n2 == sqlite3.connect(db).execute("select count(distinct id) from articles").fetchone()[0]


def test_killed_add_then_rerun_leaves_each_article_once(tmp_path: Path) -> None:
    pile = tmp_path / "many"
    pile.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    n = 1500
    for i in range(n):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (pile / f"{i:05d}.txt").write_text(text + f"\nCopy {i}.\n", encoding="utf-8")
    db = tmp_path / "k.db"
    exe = [sys.executable, "-c", "from storyline.cli import main; main()"]
    env = dict(os.environ)
    proc = subprocess.Popen([*exe, "--db", str(db), "-q", "add", "--no-reuse", "--no-quotes", str(pile)], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:  # kill once some batches are in
        time.sleep(0.2)
        try:
            got = sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0]
        except sqlite3.Error:
            continue
        if got >= 200 or proc.poll() is not None:
            break
    os.killpg(proc.pid, signal.SIGKILL)  # the whole group: the CLI and its reader processes
    proc.wait()
    done = subprocess.run([*exe, "--db", str(db), "-q", "add", "--no-reuse", "--no-quotes", str(pile)], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("select count(*) from articles").fetchone()[0] == n
    assert con.execute("select count(distinct path) from articles").fetchone()[0] == n
