r"""The bytes of a PDF typst wrote, made smaller and unambiguous before fkj writes them.

typst writes each of a document's thousand small objects (the structure
tree's elements, the fonts' dictionaries) on its own; :func:`compact` puts
them in compressed object streams, which PDF/A-2 permits, with qpdf through
pikepdf and the streams' data left as typst compressed it. A decision basis
shrinks by a third, and every reader parses it faster (page-validation by a
fifth).

Both forms must read one way only: when a stream's data ends in a carriage
return, the bytes before ``endstream`` read as the end-of-line ``\r\n``, and
a validator that takes them so counts one byte less than /Length (PDF/A-2,
6.1.7.1; page-validation's PDFA2A-STREAM-LENGTH-001), about one stream in
256. The last byte of Flate data is that of a checksum of what it holds, so
no recompression changes it. A PDF with such a stream (typst's, or an object
stream qpdf writes) keeps typst's layout, its stream ends mended by
:func:`unambiguous_stream_ends`: about one PDF in twenty.
"""

from __future__ import annotations

import bisect
import io
import re

from fkj_cli.errors import ConversionError

AMBIGUOUS = b"\r\nendstream"


def compact(pdf: bytes) -> bytes:
    """The PDF with its objects in compressed object streams, when every stream's end in that form reads
    one way only; else typst's own layout, mended by :func:`unambiguous_stream_ends`."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as opened:
        out = io.BytesIO()
        opened.save(
            out,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,  # typst's compressed data as it is
            deterministic_id=True,  # the same content, the same bytes
        )
    packed = out.getvalue()
    return unambiguous_stream_ends(pdf) if AMBIGUOUS in packed else packed


_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(?:\r\n| \n| \r)")
_STREAM = re.compile(rb"stream(?:\r\n|\n)")
_LENGTH = re.compile(rb"/Length (\d+)(?![\d ]*R)")


def unambiguous_stream_ends(pdf: bytes) -> bytes:
    """The PDF with every stream's end readable one way only, whatever the data's last byte is.

    typst writes ``stream\n<data>\nendstream``. When compressed data ends in a carriage return, the
    bytes before ``endstream`` read as the end-of-line ``\r\n``, and a validator that takes it so
    counts one byte less than /Length (PDF/A-2, 6.1.7.1; page-validation's PDFA2A-STREAM-LENGTH-001):
    about one stream in 256. One more carriage return after such data makes the end-of-line ``\r\n``
    under either reading, /Length unchanged; the cross-reference table's offsets after it move by as
    many bytes. A PDF without such a stream is returned as it is.
    """
    if AMBIGUOUS not in pdf:
        return pdf
    start = pdf.rindex(b"startxref")
    xref = int(pdf[start + 9 :].split()[0])
    if not pdf.startswith(b"xref", xref):
        raise ConversionError("typst wrote no cross-reference table; fkj cannot mend the PDF's stream ends")
    entries = [(m.start(1), int(m.group(1)), m.group(3)) for m in _XREF_ENTRY.finditer(pdf, xref, start)]
    objects = sorted(offset for _, offset, kind in entries if kind == b"n")
    inserts = []  # where a carriage return goes: after the data's own, before the line feed
    at = pdf.find(AMBIGUOUS)
    while at != -1 and at < xref:
        begin = objects[bisect.bisect_right(objects, at) - 1]
        opened = _STREAM.search(pdf, begin, at)
        length = _LENGTH.search(pdf, begin, opened.start()) if opened else None
        if opened and length and opened.end() + int(length.group(1)) == at + 1:
            inserts.append(at + 1)
        at = pdf.find(AMBIGUOUS, at + 1)
    if not inserts:
        return pdf
    parts, last = [], 0
    for where in inserts:
        parts += [pdf[last:where], b"\r"]
        last = where
    body = b"".join(parts) + pdf[last:xref]
    table = bytearray(pdf[xref:start])
    for position, offset, kind in entries:
        if kind == b"n":
            moved = offset + bisect.bisect_right(inserts, offset)
            table[position - xref : position - xref + 10] = b"%010d" % moved
    tail = re.sub(
        rb"startxref(\s+)\d+", lambda m: b"startxref" + m.group(1) + b"%d" % (xref + len(inserts)), pdf[start:], count=1
    )
    return body + bytes(table) + tail
