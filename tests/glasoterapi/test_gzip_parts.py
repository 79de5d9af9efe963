"""Gzip made of parts compressed apart (glasoterapi/gzip_parts.py), read back by
Python's own gzip, as a browser reads it."""

import gzip
import os

import pytest

from glasoterapi.gzip_parts import deflated, gzip_member, stored


@pytest.mark.parametrize(
    ("parts", "values"),
    [
        ([b"<p>only constant text</p>" * 50], []),
        ([b"", b"<p>", b""], [b"nonce", b"token"]),
        ([b"<head>" * 300, b"</body>" * 300], [os.urandom(70_000)]),
    ],
    ids=["no values", "empty parts", "a value longer than a stored block"],
)
def test_a_member_of_parts_and_values_reads_back_as_the_whole(parts, values):
    pieces = [p + v for p, v in zip(parts, [*values, b""], strict=True)]
    content = b"".join(pieces)
    blocks = []
    for part, value in zip(parts, [*values, b""], strict=True):
        blocks += [deflated(part), stored(value)]

    member = gzip_member(blocks, pieces)

    assert gzip.decompress(member) == content
