"""Course packs: written the same each time, read safely: traversal, links, bombs and collisions refused, each named."""

from __future__ import annotations

import io
import stat
import struct
import tracemalloc
import unicodedata
import warnings
import zipfile
from pathlib import Path

import pytest

from course.config import PROJECT_ROOT
from course.content.packs import (
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_NAME_LENGTH,
    PackError,
    check_pack,
    pack_files,
    read_pack,
    unpack_to,
    write_pack,
    zipped,
)

GOOD = Path(__file__).resolve().parent / "fixtures" / "modules" / "good"
REST = Path(__file__).resolve().parent / "fixtures" / "packs" / "rest-course"


def zip_of(*members: tuple[str | zipfile.ZipInfo, bytes], compression=zipfile.ZIP_DEFLATED) -> io.BytesIO:
    """A zip made by zipfile itself, as any tool might, with the members given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as pack:
        for name, data in members:
            pack.writestr(name, data)
    out.seek(0)
    return out


def problems(source) -> list[str]:
    """What read_pack refuses the source for."""
    with pytest.raises(PackError) as refused:
        read_pack(source)
    return refused.value.problems


def peak_memory_of(read) -> tuple[list[str], int]:
    """The problems read_pack found and the most memory Python held while it looked."""
    tracemalloc.start()
    try:
        found = problems(read)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return found, peak


def set_header_field(data: bytes, central_offset: int, local_offset: int | None, value: int) -> bytes:
    """The zip with a 4-byte field of its (only) member's central header, and local header, set to `value`."""
    raw = bytearray(data)
    struct.pack_into("<I", raw, raw.find(b"PK\x01\x02") + central_offset, value)
    if local_offset is not None:
        struct.pack_into("<I", raw, raw.find(b"PK\x03\x04") + local_offset, value)
    return bytes(raw)


# --- writing: the same course, the same bytes ------------------------------------------------


@pytest.mark.real_course
def test_the_real_course_round_trips_byte_for_byte(tmp_path):
    files = pack_files(PROJECT_ROOT / "modules")
    assert list(files) == sorted(files)
    assert "course.yaml" in files and "01-reward-system/quiz.yaml" in files
    first, second = io.BytesIO(), io.BytesIO()
    write_pack(files, first)
    write_pack(dict(reversed(files.items())), second)
    assert first.getvalue() == second.getvalue()  # deterministic, whatever order the files came in
    first.seek(0)
    assert read_pack(first) == files
    unpack_to(files, tmp_path)
    assert pack_files(tmp_path) == files
    assert check_pack(files).errors == []


def test_every_member_is_written_with_the_same_date_mode_and_method():
    with zipfile.ZipFile(io.BytesIO(zipped({"b/x.md": b"x", "a.yaml": b"a"}))) as pack:
        infos = pack.infolist()
    assert [info.filename for info in infos] == ["a.yaml", "b/x.md"]
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.external_attr >> 16 == stat.S_IFREG | 0o644
        assert info.compress_type == zipfile.ZIP_DEFLATED


def test_hidden_files_links_and_underscore_folders_are_left_out(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "lesson.md").write_text("text")
    (tmp_path / "a" / "_notes.md").write_text("kept: only folders starting with _ are skipped")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / "_drafts").mkdir()
    (tmp_path / "_drafts" / "x.md").write_text("x")
    (tmp_path / ".DS_Store").write_text("x")
    (tmp_path / "link.md").symlink_to("/etc/hostname")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.md").write_text("x")
    (tmp_path / "linked").symlink_to(outside, target_is_directory=True)
    assert pack_files(tmp_path) == {
        "a/_notes.md": b"kept: only folders starting with _ are skipped",
        "a/lesson.md": b"text",
    }


# --- reading: names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../evil.yaml", "/etc/passwd", "a/../../b.md", "C:/x.md", "C:x.md", "a\\b.md", "a//b.md", "a/./b.md"],
)
def test_a_path_outside_the_pack_is_refused(name):
    found = problems(zip_of((name, b"x"), ("course.yaml", b"id: x")))
    assert found == [f"{name!r}: not a plain relative path inside the pack"]


def test_directory_entries_are_skipped():
    assert read_pack(zip_of(("01-a/", b""), ("01-a/module.yaml", b"id: a"))) == {"01-a/module.yaml": b"id: a"}


def test_a_nul_byte_that_zipfile_would_cut_off_is_refused():
    # zipfile shortens "course.yaml\0.exe" to "course.yaml" when reading; the name as stored is checked.
    raw = zip_of(("course.yamlX.exe", b"x")).getvalue().replace(b"course.yamlX.exe", b"course.yaml\0.exe")
    found = problems(io.BytesIO(raw))
    assert found == ["'course.yaml\\x00.exe': not a plain relative path inside the pack"]


def test_a_name_too_long_is_refused():
    name = "a" * (MAX_NAME_LENGTH - 2) + ".md"
    assert problems(zip_of((name, b"x"))) == [f"{name[:40]}...: a name longer than {MAX_NAME_LENGTH} characters"]
    assert read_pack(zip_of((name[1:], b"x"))) == {name[1:]: b"x"}  # 255 exactly is allowed


def test_names_that_differ_only_in_case_are_refused():
    found = problems(zip_of(("Course.yaml", b"a"), ("course.yaml", b"b")))
    assert found == ["course.yaml: the same file as Course.yaml"]


def test_names_that_differ_only_in_unicode_normalisation_are_refused():
    composed, decomposed = unicodedata.normalize("NFC", "café.md"), unicodedata.normalize("NFD", "café.md")
    assert composed != decomposed
    assert problems(zip_of((composed, b"a"), (decomposed, b"b"))) == [f"{decomposed}: the same file as {composed}"]


def test_a_name_twice_is_refused():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns "Duplicate name", then writes it anyway
        pack = zip_of(("course.yaml", b"id: a"), ("course.yaml", b"id: b"))
    assert problems(pack) == ["course.yaml: twice in the pack"]


def test_a_file_where_a_folder_must_be_is_refused():
    found = problems(zip_of(("01-a", b"x"), ("01-A/lessons/x.md", b"y")))
    assert found == ["01-a: a file where other members need a folder"]


# --- reading: kinds of member --------------------------------------------------------------------


def test_a_symbolic_link_is_refused():
    link = zipfile.ZipInfo("01-a/lessons/01.md")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    assert problems(zip_of((link, b"/etc/passwd"))) == ["01-a/lessons/01.md: a symbolic link"]


def test_a_link_is_refused_whatever_system_the_zip_says_made_it():
    link = zipfile.ZipInfo("course.yaml")
    link.create_system = 0  # MS-DOS, as 7-Zip on Windows writes it, with the Unix mode still in the high bits
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    assert problems(zip_of((link, b"/etc/passwd"))) == ["course.yaml: a symbolic link"]


def test_a_device_is_refused():
    device = zipfile.ZipInfo("course.yaml")
    device.external_attr = (stat.S_IFCHR | 0o644) << 16
    assert problems(zip_of((device, b""))) == ["course.yaml: not a regular file"]


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


def test_a_member_compressed_with_bzip2_is_refused():
    found = problems(zip_of(("course.yaml", b"id: x"), compression=zipfile.ZIP_BZIP2))
    assert found == ["course.yaml: compressed with method 12, not stored or deflated"]


def test_a_member_whose_data_is_corrupt_is_refused():
    raw = bytearray(zip_of(("course.yaml", b"id: x\n" * 50)).getvalue())
    data_at = raw.find(b"course.yaml") + len("course.yaml")  # the local header's name, then the deflated data
    raw[data_at : data_at + 8] = b"\xff" * 8
    found = problems(io.BytesIO(bytes(raw)))
    assert len(found) == 1 and found[0].startswith("course.yaml: unreadable (")


# --- reading: sizes and bombs ------------------------------------------------------------------


def test_too_many_members_are_refused():
    members = [(f"f{i}.md", b"") for i in range(MAX_MEMBERS + 1)]
    assert problems(zip_of(*members, compression=zipfile.ZIP_STORED)) == [
        f"{MAX_MEMBERS + 1} entries, more than the {MAX_MEMBERS} a pack may hold"
    ]


def test_a_member_over_the_size_limit_is_refused():
    found = problems(zip_of(("big.md", bytes(MAX_MEMBER_BYTES + 1)), compression=zipfile.ZIP_STORED))
    assert found == ["big.md: over the 2 MiB a file may hold"]
    exact = read_pack(zip_of(("big.md", bytes(MAX_MEMBER_BYTES)), compression=zipfile.ZIP_STORED))
    assert len(exact["big.md"]) == MAX_MEMBER_BYTES


def test_the_total_limit_holds_across_members():
    members = [(f"m{i:02}.md", bytes(MAX_MEMBER_BYTES - 10)) for i in range(11)]
    found = problems(zip_of(*members, compression=zipfile.ZIP_STORED))
    assert found == ["m10.md: over the 20 MiB a pack may hold in all"]


def test_refused_members_count_towards_the_total_so_reading_stops():
    """Twelve members each just over the limit: refused one by one until 20 MiB were read, then no more."""
    members = [(f"m{i:02}.md", bytes(MAX_MEMBER_BYTES + 1)) for i in range(12)]
    found = problems(zip_of(*members, compression=zipfile.ZIP_STORED))
    assert found == [f"m{i:02}.md: over the 2 MiB a file may hold" for i in range(9)] + [
        "m09.md: over the 20 MiB a pack may hold in all"
    ]  # m10 and m11 never decompressed


def test_a_zip_bomb_is_stopped_early():
    """50 MB of zeros deflate to about 50 KB; reading stops just past 2 MiB, and memory stays small."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack, pack.open("bomb.md", "w") as member:
        for _ in range(50):
            member.write(bytes(1024 * 1024))
    assert len(out.getvalue()) < 200_000
    out.seek(0)
    found, peak = peak_memory_of(out)
    assert found == ["bomb.md: over the 2 MiB a file may hold"]
    assert peak < 2 * MAX_MEMBER_BYTES


def test_a_highly_compressible_file_within_the_limits_is_read():
    """1 MiB of zeros deflates about 1000 to 1: no ratio limit, the counted sizes bound the work."""
    assert read_pack(zip_of(("zeros.md", bytes(1024 * 1024)))) == {"zeros.md": bytes(1024 * 1024)}


def test_a_bomb_that_declares_a_small_size_is_still_stopped():
    """Its headers claim 100 bytes: zipfile stops there and the checksum gives the lie away."""
    honest = zip_of(("liar.md", bytes(8 * 1024 * 1024))).getvalue()
    liar = set_header_field(honest, 24, 22, 100)  # uncompressed size, in both headers
    found = problems(io.BytesIO(liar))
    assert len(found) == 1 and found[0].startswith("liar.md: unreadable (Bad CRC-32")


def test_a_bomb_that_lies_about_its_compressed_size_is_stopped_by_the_counted_size():
    """Its header claims 1 MB compressed for its 50 MB: the count still stops it at 2 MiB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as pack:
        pack.writestr("liar.md", bytes(50 * 1024 * 1024), zipfile.ZIP_DEFLATED)
        pack.writestr("padding.md", bytes(1024 * 1024), zipfile.ZIP_STORED)  # real bytes for the lie to cover
    liar = set_header_field(out.getvalue(), 20, None, 1_000_000)  # compressed size, central header
    with zipfile.ZipFile(io.BytesIO(liar)) as pack:
        assert pack.getinfo("liar.md").compress_size == 1_000_000
    found, peak = peak_memory_of(io.BytesIO(liar))
    # Python 3.12's zipfile refuses compressed data that runs into the next member before we count.
    assert found in (["liar.md: over the 2 MiB a file may hold"], ["liar.md: unreadable (Overlapped entries)"])
    assert peak < 2 * MAX_MEMBER_BYTES


# --- reading: what is not a pack, and what is ---------------------------------------------------


@pytest.mark.parametrize("data", [b"just text", b"", b"PK\x03\x04" + bytes(100)])
def test_something_that_is_not_a_zip_is_refused(data):
    assert problems(io.BytesIO(data)) == ["the file is not a zip archive"]


def test_a_pack_cut_short_is_refused():
    whole = zipped(pack_files(GOOD))
    assert problems(io.BytesIO(whole[: len(whole) // 2])) == ["the file is not a zip archive"]


def test_a_pack_is_read_from_a_path(tmp_path):
    (tmp_path / "rest.zip").write_bytes(zipped(pack_files(REST)))
    assert read_pack(tmp_path / "rest.zip") == pack_files(REST)


def test_every_problem_is_named_at_once():
    found = problems(zip_of(("../a.md", b""), ("/b.md", b""), ("ok.md", b"")))
    assert found == [
        "'../a.md': not a plain relative path inside the pack",
        "'/b.md': not a plain relative path inside the pack",
    ]


def test_a_folder_zipped_whole_is_read_from_inside_its_top_folder():
    files = read_pack(zip_of(("rest/course.yaml", b"id: x"), ("rest/01-a/module.yaml", b"id: a")))
    assert files == {"course.yaml": b"id: x", "01-a/module.yaml": b"id: a"}
    loose = read_pack(zip_of(("a/x.md", b""), ("b/y.md", b"")))
    assert set(loose) == {"a/x.md", "b/y.md"}  # two top folders: kept as they are
    module_only = read_pack(
        zip_of(
            ("01-a/module.yaml", b"id: a"),
        )
    )
    assert set(module_only) == {"01-a/module.yaml"}  # no course.yaml in the top folder: kept as it is


def test_a_course_zipped_by_macos_finder_reads_as_the_course(tmp_path):
    """Finder adds a folder entry, AppleDouble files under __MACOSX/ and .DS_Store: all left out."""
    course = pack_files(REST)
    members = [("rest-course/", b""), ("rest-course/.DS_Store", b"\0\0")]
    for name, data in course.items():
        members += [(f"rest-course/{name}", data), (f"__MACOSX/rest-course/._{Path(name).name}", b"\0\5\26\7")]
    assert read_pack(zip_of(*members)) == course


# --- unpacking and checking --------------------------------------------------------------------


def test_unpack_to_refuses_unsafe_names_and_writes_nothing(tmp_path):
    with pytest.raises(PackError) as refused:
        unpack_to(
            {"course.yaml": b"id: x", "../escaped.md": b"x", "": b"x", "A.md": b"", "a.md": b""}, tmp_path / "pack"
        )
    assert refused.value.problems == [
        "'../escaped.md': not a plain relative path inside the pack",
        "'': not a plain relative path inside the pack",
        "a.md: the same file as A.md",
    ]
    assert not (tmp_path / "escaped.md").exists() and not (tmp_path / "pack").exists()


def test_unpack_to_never_writes_through_a_link(tmp_path):
    target = tmp_path / "target.md"
    target.write_text("untouched")
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "course.yaml").symlink_to(target)
    with pytest.raises(FileExistsError):
        unpack_to({"course.yaml": b"id: x"}, tmp_path / "pack")
    assert target.read_text() == "untouched"


def test_a_good_pack_checks_clean():
    report = check_pack(read_pack(io.BytesIO(zipped(pack_files(GOOD)))))
    assert report.errors == []


def test_check_pack_names_the_file_with_a_content_problem():
    files = pack_files(GOOD)
    lesson = "01-first/lessons/01-why-sleep.md"
    files[lesson] = files[lesson].replace(b'sources:\n  - "Fixture Sleep Society. Sleep Basics: A Guide. 2024."\n', b"")
    assert b"sources:" not in files[lesson]
    report = check_pack(read_pack(io.BytesIO(zipped(files))))
    assert [str(problem) for problem in report.errors] == [
        f"{lesson}: sources: missing (a list with at least one entry)"
    ]
