"""Build the demo crawl ``corpus/crawl.warc.gz`` from the HTML pages in ``warc_src/``.

Run from anywhere::

    .venv/bin/python src/storyline/demo/build_warc.py            # writes corpus/crawl.warc.gz
    .venv/bin/python src/storyline/demo/build_warc.py --out x.warc.gz

The output is byte-for-byte reproducible: record ids are UUIDv5 of the target URI and record type,
WARC dates are fixed crawl times, and warcio's gzip members carry no timestamp. Running the script
again over unchanged sources gives the same file, so the committed WARC can be checked against it.

What the crawl holds (in order):

1. ``warcinfo``                                   -- skip (not a capture)
2. ``response`` text/plain   robots.txt            -- skip (not HTML)
3. ``request``  + ``response`` text/html  page 1   -- skip the request, read the response
4. ``response`` image/png    the site logo         -- skip (not HTML)
5. ``request``  + ``response`` text/html  page 2   -- skip the request, read the response
6. ``request``  + ``response`` text/html  page 3   -- skip the request, read the response
"""

from __future__ import annotations

import argparse
import struct
import sys
import uuid
import zlib
from email.utils import format_datetime
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
SRC = HERE / "warc_src"
DEFAULT_OUT = HERE / "corpus" / "crawl.warc.gz"
NAMESPACE = uuid.UUID("6f1c7a1e-2b0d-5c43-9a55-53746f72796c")  # fixed, for reproducible record ids

#: (source file in warc_src/, target URI, crawl time UTC, Last-Modified UTC)
PAGES = [
    (
        "harborviewherald-2025-03-04-benzene-order.html",
        "https://www.harborviewherald.example/2025/03/04/do-not-drink-order-east-harborview-benzene/",
        datetime(2025, 3, 5, 2, 11, 7, tzinfo=timezone.utc),
        datetime(2025, 3, 5, 1, 15, 0, tzinfo=timezone.utc),
    ),
    (
        "harborviewherald-2025-04-09-pellam-report.html",
        "https://www.harborviewherald.example/2025/04/09/regulator-pellam-pipe-ferrymead-benzene-report/",
        datetime(2025, 4, 10, 6, 2, 44, tzinfo=timezone.utc),
        datetime(2025, 4, 9, 21, 5, 0, tzinfo=timezone.utc),
    ),
    (
        "valdoriadailypost-2025-05-15-mortgage-pain.html",
        "https://www.valdoriadailypost.example/news/money/mortgage-pain-rate-hike-160-crowns-minister-pressure-questions-a91724.html",
        datetime(2025, 5, 15, 11, 48, 30, tzinfo=timezone.utc),
        datetime(2025, 5, 15, 7, 30, 0, tzinfo=timezone.utc),
    ),
]

ROBOTS_URI = "https://www.harborviewherald.example/robots.txt"
ROBOTS_TIME = datetime(2025, 3, 5, 2, 11, 5, tzinfo=timezone.utc)
ROBOTS_BODY = (
    b"User-agent: *\n"
    b"Disallow: /wp-admin/\n"
    b"Disallow: /login/\n"
    b"Allow: /wp-admin/admin-ajax.php\n"
    b"\n"
    b"Sitemap: https://www.harborviewherald.example/sitemap_index.xml\n"
)
PNG_URI = "https://www.harborviewherald.example/wp-content/themes/herald/img/logo-32.png"
PNG_TIME = datetime(2025, 3, 5, 2, 11, 9, tzinfo=timezone.utc)

#: Documentation-range addresses (RFC 5737), one per host.
HOST_IPS = {"www.harborviewherald.example": "192.0.2.44", "www.valdoriadailypost.example": "198.51.100.17"}

USER_AGENT = "storyline-demo-crawler/0.1 (+https://storyline.example/bot)"


def _png(width: int = 32, height: int = 32) -> bytes:
    """A small, valid RGB PNG (a navy square with a lighter band), built without extra packages."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = []
    for y in range(height):
        colour = b"\x3a\x6e\xa5" if 12 <= y < 20 else b"\x0b\x1f\x3a"
        rows.append(b"\x00" + colour * width)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _warc_date(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _record_id(uri: str, kind: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(NAMESPACE, kind + ' ' + uri)}>"


def _host(uri: str) -> str:
    return uri.split("/")[2]


def _path(uri: str) -> str:
    return "/" + uri.split("/", 3)[3]


def _response(writer: WARCWriter, uri: str, when: datetime, body: bytes, content_type: str,
              last_modified: datetime | None = None, server: str = "nginx"):
    headers = [
        ("Date", format_datetime(when, usegmt=True)),
        ("Server", server),
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
    ]
    if last_modified is not None:
        headers.append(("Last-Modified", format_datetime(last_modified, usegmt=True)))
    headers.append(("Cache-Control", "max-age=300"))
    http_headers = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    return writer.create_warc_record(
        uri,
        "response",
        payload=BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict={
            "WARC-Record-ID": _record_id(uri, "response"),
            "WARC-Date": _warc_date(when),
            "WARC-IP-Address": HOST_IPS[_host(uri)],
        },
    )


def _request(writer: WARCWriter, uri: str, when: datetime, concurrent_to: str):
    http_headers = StatusAndHeaders(
        f"GET {_path(uri)} HTTP/1.1",
        [
            ("Host", _host(uri)),
            ("User-Agent", USER_AGENT),
            ("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"),
            ("Accept-Encoding", "identity"),
            ("Connection", "close"),
        ],
        is_http_request=True,
    )
    return writer.create_warc_record(
        uri,
        "request",
        http_headers=http_headers,
        warc_headers_dict={
            "WARC-Record-ID": _record_id(uri, "request"),
            "WARC-Date": _warc_date(when),
            "WARC-Concurrent-To": concurrent_to,
        },
    )


def build(out: Path) -> int:
    """Write the WARC to ``out``; returns the number of records written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.0")

        info = (
            "software: storyline demo build_warc.py (warcio)\r\n"
            "format: WARC File Format 1.0\r\n"
            "description: Storyline demo crawl of fictional news sites (.example domains)\r\n"
            f"robots: obey\r\nhttp-header-user-agent: {USER_AGENT}\r\n"
        ).encode("utf-8")
        writer.write_record(
            writer.create_warc_record(
                "",
                "warcinfo",
                payload=BytesIO(info),
                length=len(info),
                warc_content_type="application/warc-fields",
                warc_headers_dict={
                    "WARC-Record-ID": _record_id("crawl.warc.gz", "warcinfo"),
                    "WARC-Date": _warc_date(ROBOTS_TIME),
                    "WARC-Filename": "crawl.warc.gz",
                },
            )
        )
        count += 1

        writer.write_record(_response(writer, ROBOTS_URI, ROBOTS_TIME, ROBOTS_BODY, "text/plain; charset=utf-8"))
        count += 1

        for i, (name, uri, when, modified) in enumerate(PAGES):
            body = (SRC / name).read_bytes()
            resp = _response(writer, uri, when, body, "text/html; charset=UTF-8", modified)
            req = _request(writer, uri, when, resp.rec_headers.get_header("WARC-Record-ID"))
            writer.write_record(req)
            writer.write_record(resp)
            count += 2
            if i == 0:  # the logo was fetched along with the first page
                writer.write_record(_response(writer, PNG_URI, PNG_TIME, _png(), "image/png"))
                count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output path (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    n = build(args.out)
    print(f"wrote {n} records to {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
