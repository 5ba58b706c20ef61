"""Reading a pack safely: traversal, links, bombs, too many or too large members are refused, each named."""

from __future__ import annotations

import io
import stat
import struct
import tracemalloc
import zipfile

import pytest

from course.config import PROJECT_ROOT
from course.content import check_course
from course.content.packs import (
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    PackError,
    pack_files,
    read_pack,
    unpack_to,
    zipped,
)


def zip_of(*members: tuple[str | zipfile.ZipInfo, bytes], compression=zipfile.ZIP_DEFLATED) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as pack:
        for name, data in members:
            pack.writestr(name, data)
    out.seek(0)
    return out


def problems(source) -> list[str]:
    with pytest.raises(PackError) as refused:
        read_pack(source)
    return list(refused.value.problems)


@pytest.mark.real_course
def test_the_real_course_round_trips_byte_for_byte(tmp_path):
    files = pack_files(PROJECT_ROOT / "modules")
    assert "course.yaml" in files and "01-reward-system/quiz.yaml" in files
    data = zipped(files)
    assert zipped(files) == data  # deterministic: the same files, the same bytes
    assert read_pack(io.BytesIO(data)) == files
    unpack_to(files, tmp_path)
    assert pack_files(tmp_path) == files
    assert check_course(tmp_path).errors == []


def test_hidden_files_links_and_underscore_folders_are_left_out(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "lesson.md").write_text("text")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / "_drafts").mkdir()
    (tmp_path / "_drafts" / "x.md").write_text("x")
    (tmp_path / ".DS_Store").write_text("x")
    (tmp_path / "link.md").symlink_to("/etc/hostname")
    assert pack_files(tmp_path) == {"a/lesson.md": b"text"}


@pytest.mark.parametrize("name", ["../evil.yaml", "/etc/passwd", "a/../../b.md", "C:/x.md", "a\\b.md", "a//b.md"])
def test_a_path_outside_the_pack_is_refused(name):
    found = problems(zip_of((name, b"x"), ("course.yaml", b"id: x")))
    assert found == [f"{name!r}: not a plain relative path inside the pack"]


def test_a_symbolic_link_is_refused():
    link = zipfile.ZipInfo("01-a/lessons/01.md")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    assert problems(zip_of((link, b"/etc/passwd"))) == ["01-a/lessons/01.md: a symbolic link"]


def test_a_member_made_with_no_type_bits_is_a_regular_file():
    plain = zipfile.ZipInfo("course.yaml")
    plain.create_system = 3
    plain.external_attr = 0o600 << 16  # as zipfile.writestr(name, ...) writes it
    assert read_pack(zip_of((plain, b"id: x"))) == {"course.yaml": b"id: x"}


def test_an_encrypted_member_is_refused():
    raw = bytearray(zip_of(("course.yaml", b"id: x"), compression=zipfile.ZIP_STORED).getvalue())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the "encrypted" flag, both headers
        at = raw.find(signature) + offset
        struct.pack_into("<H", raw, at, struct.unpack_from("<H", raw, at)[0] | 0x1)
    assert problems(io.BytesIO(bytes(raw))) == ["course.yaml: encrypted"]


def test_too_many_members_are_refused():
    members = [(f"f{i}.md", b"") for i in range(MAX_MEMBERS + 1)]
    assert problems(zip_of(*members, compression=zipfile.ZIP_STORED)) == [
        f"{MAX_MEMBERS + 1} entries, more than the {MAX_MEMBERS} a pack may hold"
    ]


def test_a_member_over_the_size_limit_is_refused():
    found = problems(zip_of(("big.md", bytes(MAX_MEMBER_BYTES + 1)), compression=zipfile.ZIP_STORED))
    assert found == ["big.md: over the 2 MiB a file may hold"]


def test_the_total_limit_holds_across_members():
    members = [(f"m{i}.md", bytes(MAX_MEMBER_BYTES - 10)) for i in range(11)]
    assert problems(zip_of(*members, compression=zipfile.ZIP_STORED)) == [
        "m10.md: over the 20 MiB a pack may hold in all"
    ]


def test_a_zip_bomb_is_stopped_early():
    """50 MB of zeros deflate to about 50 KB; reading stops past 2 MiB, and memory stays small."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack, pack.open("bomb.md", "w") as member:
        for _ in range(50):
            member.write(bytes(1024 * 1024))
    assert len(out.getvalue()) < 200_000
    out.seek(0)
    tracemalloc.start()
    found = problems(out)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert found == ["bomb.md: over the 2 MiB a file may hold"]
    assert peak < 8 * 1024 * 1024


def _lie_about_size(data: bytes, name: bytes, size: int) -> bytes:
    """The zip with the member's declared uncompressed size set to `size` in both headers."""
    raw = bytearray(data)
    local = raw.find(b"PK\x03\x04")
    struct.pack_into("<I", raw, local + 22, size)
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, size)
    assert name in raw
    return bytes(raw)


def test_a_bomb_that_declares_a_small_size_is_still_stopped():
    honest = zip_of(("liar.md", bytes(8 * 1024 * 1024))).getvalue()
    found = problems(io.BytesIO(_lie_about_size(honest, b"liar.md", 100)))
    assert len(found) == 1 and found[0].startswith("liar.md: ")


def test_names_that_differ_only_in_case_are_refused():
    found = problems(zip_of(("Course.yaml", b"a"), ("course.yaml", b"b")))
    assert found == ["course.yaml: the same file as Course.yaml"]


def test_something_that_is_not_a_zip_is_refused():
    assert problems(io.BytesIO(b"just text")) == ["the file is not a zip archive"]


def test_every_problem_is_named_at_once():
    found = problems(zip_of(("../a.md", b""), ("/b.md", b""), ("ok.md", b"")))
    assert len(found) == 2


def test_a_folder_zipped_whole_is_read_from_inside_its_top_folder():
    files = read_pack(zip_of(("rest/course.yaml", b"id: x"), ("rest/01-a/module.yaml", b"id: a")))
    assert files == {"course.yaml": b"id: x", "01-a/module.yaml": b"id: a"}
    loose = read_pack(zip_of(("a/x.md", b""), ("b/y.md", b"")))
    assert set(loose) == {"a/x.md", "b/y.md"}  # two top folders: kept as they are
