"""Gzip for a page of constant parts and per-visitor values, without compressing the
whole page for every visitor.

A gzip member (RFC 1952) is a header, one DEFLATE stream (RFC 1951) and a trailer
with the CRC-32 and length of the uncompressed data. A DEFLATE stream is a series
of blocks, and a compressor flushed with Z_SYNC_FLUSH ends on a byte boundary with
no block marked final, so streams compressed apart can follow each other. The
constant parts of a cached page are compressed once, when it is stored; per
response only the values in between (a CSP nonce, a masked CSRF token) are added,
as stored (uncompressed) blocks, and the member is closed with an empty final block.

Against BREACH, the header carries a file name of random length, as Django's
GZipMiddleware pads it (django.utils.text.compress_string). The per-visitor values
are never compressed, so no other text on the page can reveal them through the
compressed length.
"""

from __future__ import annotations

import gzip
import secrets
import struct
import zlib
from collections.abc import Iterable

from django.middleware.gzip import GZipMiddleware

# What GZipMiddleware.process_response compresses at.
LEVEL = 6
# Magic, DEFLATE, a file name follows, no modification time, no extra flags, OS
# unknown.
HEADER = bytes([0x1F, 0x8B, 8, gzip.FNAME, 0, 0, 0, 0, 0, 255])
# BFINAL=1 and BTYPE=01 (fixed Huffman codes), then the end-of-block code.
EMPTY_FINAL_BLOCK = b"\x03\x00"
STORED_BLOCK_MAX = 0xFFFF


def deflated(part: bytes) -> bytes:
    """`part` as DEFLATE blocks that end on a byte boundary, none of them final."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(part) + compressor.flush(zlib.Z_SYNC_FLUSH)


def stored(value: bytes) -> bytes:
    """`value` as stored DEFLATE blocks (RFC 1951, 3.2.4), none of them final."""
    blocks = []
    for start in range(0, len(value), STORED_BLOCK_MAX):
        chunk = value[start : start + STORED_BLOCK_MAX]
        # BFINAL=0 and BTYPE=00 in the first byte, then LEN and its complement.
        blocks.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF))
        blocks.append(chunk)
    return b"".join(blocks)


def gzip_member(blocks: Iterable[bytes], uncompressed: Iterable[bytes]) -> bytes:
    """The gzip member made of `blocks` (the output of `deflated` and `stored`, in
    order) for the content whose pieces are `uncompressed`, in the same order."""
    crc, length = 0, 0
    for piece in uncompressed:
        crc, length = zlib.crc32(piece, crc), length + len(piece)
    return b"".join(
        [
            HEADER,
            random_file_name(),
            *blocks,
            EMPTY_FINAL_BLOCK,
            struct.pack("<II", crc, length & 0xFFFFFFFF),
        ]
    )


def random_file_name() -> bytes:
    return b"a" * secrets.randbelow(GZipMiddleware.max_random_bytes) + b"\x00"
