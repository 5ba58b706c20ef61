"""Course packs: a course folder as a zip, written byte for byte the same each time and read back as if hostile.

A pack comes from outside (an admin's upload, a file handed over), so `read_pack` assumes it was
made to hurt the server and refuses it, naming every problem and the member it is in, when:

- a name could leave the folder it is unpacked into or mean another file elsewhere (path
  traversal): an absolute path, a `..`, `.` or empty part, a backslash, a colon (a drive letter,
  or an NTFS stream), a NUL byte, more than MAX_NAME_LENGTH characters;
- a member is not a regular file: a symbolic link could point a later read or write anywhere on
  the server, and a device or pipe has no place in a course;
- a member is encrypted (it cannot be checked, and no one has its password), or compressed other
  than stored or deflated (the methods zip tools write; bzip2 and lzma only widen what a bomb can use);
- two names would be one file on a case-insensitive or Unicode-normalising file system (macOS,
  Windows), or a file stands where other members need a folder: either would overwrite silently
  or fail half-way through unpacking;
- it is too big (a zip bomb). The sizes in the headers are written by whoever made the zip, so
  they are never trusted: each member is decompressed in chunks and counted, and reading stops
  as soon as a member passes MAX_MEMBER_BYTES or the bytes decompressed so far, refused members
  included, pass MAX_TOTAL_BYTES. Whatever the archive claims, the work done is bounded by the
  limits. There is no limit on the compression ratio: it would add nothing to the counted sizes
  (the compressed size is the header's word) and it refuses honest files, since a repetitive text
  deflates 300 to one and a stored pack is read back through these same checks. At most MAX_MEMBERS entries: each
  costs time to check, and the zip's directory is read whole.

Directory entries are skipped. Members the loader would skip anyway (names starting with ".",
folders starting with "." or "_", such as macOS's `__MACOSX/`) are checked but not read. A folder
zipped whole by a file manager has everything under one top folder (`mycourse/course.yaml`): when
course.yaml is not at the root and that single top folder holds it, the top folder is taken off.
"""

from __future__ import annotations

import io
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from .checks import CheckReport, check_course

MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 2 * 1024 * 1024
MAX_TOTAL_BYTES = 20 * 1024 * 1024
MAX_NAME_LENGTH = 255
_CHUNK = 64 * 1024
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, OSError)


class PackError(ValueError):
    """The pack cannot be read safely; `problems` names each member and what is wrong with it."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def pack_files(folder: Path) -> dict[str, bytes]:
    """Every file of a course folder by relative POSIX path, sorted; what the loader skips and links left out."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in _course_files(folder)}


def _course_files(folder: Path) -> Iterator[Path]:
    """Regular files in name order, never through a link, not into hidden or `_` folders."""
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.is_symlink() or path.name.startswith("."):
            continue
        if path.is_dir() and not path.name.startswith("_"):
            yield from _course_files(path)
        elif path.is_file():
            yield path


def write_pack(files: Mapping[str, bytes], out: BinaryIO) -> None:
    """A deterministic zip of the files: sorted names, a fixed date, one mode; the same files give the same bytes."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below is read as one
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            pack.writestr(info, files[name])


def zipped(files: Mapping[str, bytes]) -> bytes:
    """The files as a pack's bytes (write_pack into memory)."""
    out = io.BytesIO()
    write_pack(files, out)
    return out.getvalue()


def read_pack(source: BinaryIO | Path) -> dict[str, bytes]:
    """The pack's files by name, read within the limits above. :raise PackError: naming every problem."""
    try:
        with zipfile.ZipFile(source) as pack:
            files = _read_members(pack)
    except zipfile.BadZipFile:
        raise PackError(["the file is not a zip archive"]) from None
    return _without_top_folder(files)


def _read_members(pack: zipfile.ZipFile) -> dict[str, bytes]:
    entries = pack.infolist()
    if len(entries) > MAX_MEMBERS:
        raise PackError([f"{len(entries)} entries, more than the {MAX_MEMBERS} a pack may hold"])
    members = [info for info in entries if not info.filename.endswith("/")]  # is_dir() fails on an empty name
    problems = [problem for info in members for problem in _member_problems(info)]
    wanted = [info for info in members if not _skipped(info.filename)]
    problems += _collisions([info.filename for info in wanted])
    if problems:
        raise PackError(problems)
    return _read_within_limits(pack, wanted)


def _name_problems(name: str) -> list[str]:
    """What makes a name unsafe to write under a folder: the same test for read_pack and unpack_to."""
    if len(name) > MAX_NAME_LENGTH:
        return [f"{name[:40]}...: a name longer than {MAX_NAME_LENGTH} characters"]
    if any(char in name for char in "\\:\0") or any(part in ("", ".", "..") for part in name.split("/")):
        return [f"{name!r}: not a plain relative path inside the pack"]
    return []


def _member_problems(info: zipfile.ZipInfo) -> list[str]:
    # orig_filename: zipfile cuts `filename` at a NUL byte, which would hide it.
    name, problems = info.filename, _name_problems(info.orig_filename)
    # The Unix mode sits in the high 16 bits (7-Zip puts it there too); tools that set none leave zero.
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind and kind != stat.S_IFREG:
        problems.append(f"{name}: {'a symbolic link' if kind == stat.S_IFLNK else 'not a regular file'}")
    if info.flag_bits & 0x1:
        problems.append(f"{name}: encrypted")
    elif info.compress_type not in _METHODS:
        problems.append(f"{name}: compressed with method {info.compress_type}, not stored or deflated")
    return problems


def _skipped(name: str) -> bool:
    """Hidden files and folders, and folders the loader leaves out (`_drafts/`, `__MACOSX/`)."""
    parts = name.split("/")
    return any(part.startswith(".") for part in parts) or any(part.startswith("_") for part in parts[:-1])


def _collisions(names: list[str]) -> list[str]:
    """Names that would be one file on macOS or Windows, and files where a folder must be."""
    problems: list[str] = []
    first: dict[str, str] = {}
    for name in names:
        key = _folded(name)
        if key in first:
            same = "twice in the pack" if first[key] == name else f"the same file as {first[key]}"
            problems.append(f"{name}: {same}")
        first.setdefault(key, name)
    folders = {key.rsplit("/", n)[0] for key in first for n in range(1, key.count("/") + 1)}
    problems += [f"{name}: a file where other members need a folder" for key, name in first.items() if key in folders]
    return problems


def _folded(name: str) -> str:
    """The name as a case-insensitive, Unicode-normalising file system sees it (caseless matching, NFD)."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", name).casefold())


def _read_within_limits(pack: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> dict[str, bytes]:
    files, problems, used = {}, [], 0
    for info in members:
        data, counted, problem = _read_member(pack, info, MAX_TOTAL_BYTES - used)
        used += counted  # refused members count too: the limit is on the work done
        if problem:
            problems.append(problem)
        else:
            files[info.filename] = data
        if used > MAX_TOTAL_BYTES:
            break
    if problems:
        raise PackError(problems)
    return files


def _read_member(pack: zipfile.ZipFile, info: zipfile.ZipInfo, room: int) -> tuple[bytes, int, str | None]:
    """The member's bytes, how many were decompressed, and the problem if a limit was passed (reading stops there)."""
    chunks, size = [], 0
    try:
        with pack.open(info) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                problem = _limit_passed(info, size, room)
                if problem:
                    return b"", size, problem
                chunks.append(chunk)
    except _UNREADABLE as error:
        return b"", size, f"{info.filename}: unreadable ({error})"
    return b"".join(chunks), size, None


def _limit_passed(info: zipfile.ZipInfo, size: int, room: int) -> str | None:
    """Which limit `size` decompressed bytes of the member pass, if any (counted, never the header's size)."""
    if size > MAX_MEMBER_BYTES:
        return f"{info.filename}: over the {MAX_MEMBER_BYTES // 2**20} MiB a file may hold"
    if size > room:
        return f"{info.filename}: over the {MAX_TOTAL_BYTES // 2**20} MiB a pack may hold in all"
    return None


def _without_top_folder(files: dict[str, bytes]) -> dict[str, bytes]:
    """A folder zipped whole (`mycourse/course.yaml`): its single top folder taken off."""
    tops = {name.split("/", 1)[0] for name in files}
    if "course.yaml" in files or len(tops) != 1:
        return files
    top = f"{tops.pop()}/"
    if f"{top}course.yaml" not in files:
        return files
    return {name.removeprefix(top): data for name, data in files.items()}


def unpack_to(files: Mapping[str, bytes], folder: Path) -> None:
    """Write the files under `folder` (new or empty), never over a file or through a link. :raise PackError:"""
    problems = [problem for name in files for problem in _name_problems(name)] + _collisions(list(files))
    if problems:
        raise PackError(problems)
    for name, data in files.items():
        path = folder.joinpath(*name.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as out:  # O_EXCL: fails on a file or a link already there
            out.write(data)


def check_pack(files: Mapping[str, bytes]) -> CheckReport:
    """The content check (check_course) of the files, unpacked into a temporary folder; problems name pack paths."""
    with tempfile.TemporaryDirectory(prefix="course-pack-") as folder:
        unpack_to(files, Path(folder))
        return check_course(folder)
