"""Course packs: a course folder zipped, read back safely, and checked like the built-in course.

A pack comes from outside (an admin's upload, a file handed over), so reading one assumes it
may be hostile:

- names: no absolute paths, `..`, backslashes, drive letters, NUL bytes or empty parts, so
  nothing is ever written outside the folder it is unpacked into (path traversal);
- kinds: regular files only, never a symbolic link (a link could point anywhere on the server);
- size: at most MAX_MEMBERS members, MAX_MEMBER_BYTES each and MAX_TOTAL_BYTES in all, counted
  while decompressing rather than trusted from the headers: a zip bomb, even one that lies about
  its size, is stopped after at most a few megabytes. (No limit on the compression ratio: it adds
  nothing to the counts, and a repetitive text file can legitimately deflate 300 to one.)
- no encrypted members, no two members whose names differ only in case.

Every problem is collected and named; the pack is refused if there is any. What is inside is then
checked like any course (services/course_packs.py).
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import BinaryIO

MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 2 * 1024 * 1024
MAX_TOTAL_BYTES = 20 * 1024 * 1024
MAX_NAME_LENGTH = 255
_CHUNK = 64 * 1024
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class PackError(ValueError):
    """The pack cannot be read safely; `problems` names each member and what is wrong with it."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


def _skipped(relative: PurePosixPath) -> bool:
    """Hidden files and folders, and folders the loader leaves out (`_drafts/`)."""
    return any(part.startswith(".") for part in relative.parts) or any(
        part.startswith("_") for part in relative.parts[:-1]
    )


def pack_files(folder: Path) -> dict[str, bytes]:
    """Every file of a course folder by relative POSIX path, sorted; hidden files and links left out."""
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = PurePosixPath(path.relative_to(folder).as_posix())
        if path.is_symlink() or not path.is_file() or _skipped(relative):
            continue
        files[str(relative)] = path.read_bytes()
    return dict(sorted(files.items()))


def write_pack(files: Mapping[str, bytes], out: BinaryIO) -> None:
    """A deterministic zip of the files: sorted names, a fixed date, one mode; the same files give the same bytes."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.create_system = 3  # Unix, so the mode above is read as one
            pack.writestr(info, files[name])


def read_pack(source: BinaryIO | Path) -> dict[str, bytes]:
    """The pack's files by name, read within the limits above. :raise PackError: naming every problem."""
    try:
        with zipfile.ZipFile(source) as pack:
            return _read_members(pack)
    except zipfile.BadZipFile:
        raise PackError(["the file is not a zip archive"]) from None


def _read_members(pack: zipfile.ZipFile) -> dict[str, bytes]:
    members = [info for info in pack.infolist() if not info.is_dir()]
    if len(members) > MAX_MEMBERS:
        raise PackError([f"{len(members)} files, more than the {MAX_MEMBERS} a pack may hold"])
    problems: list[str] = []
    files: dict[str, bytes] = {}
    seen: dict[str, str] = {}
    total = 0
    for info in members:
        member_problems = _member_problems(info)
        folded = info.filename.casefold()
        if folded in seen:
            member_problems.append(f"{info.filename}: the same name as {seen[folded]}")
        seen.setdefault(folded, info.filename)
        if member_problems:
            problems += member_problems
            continue
        data, problem = _bounded_read(pack, info, MAX_TOTAL_BYTES - total)
        if problem:
            problems.append(problem)
            if total + len(data) >= MAX_TOTAL_BYTES:
                break
            continue
        total += len(data)
        files[info.filename] = data
    if problems:
        raise PackError(problems)
    return _without_top_folder(files)


def _member_problems(info: zipfile.ZipInfo) -> list[str]:
    name, problems = info.filename, []
    parts = name.split("/")
    if (
        not name
        or "\\" in name
        or "\0" in name
        or name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
        or any(part in ("", ".", "..") for part in parts)
    ):
        problems.append(f"{name!r}: not a plain relative path inside the pack")
    if len(name) > MAX_NAME_LENGTH:
        problems.append(f"{name[:40]}...: a name longer than {MAX_NAME_LENGTH} characters")
    # Unix zips keep the file's mode in the high bits; many tools leave the type bits at zero.
    kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0
    if kind and kind != stat.S_IFREG:
        problems.append(f"{name}: {'a symbolic link' if kind == stat.S_IFLNK else 'not a regular file'}")
    if info.flag_bits & 0x1:
        problems.append(f"{name}: encrypted")
    return problems


def _bounded_read(pack: zipfile.ZipFile, info: zipfile.ZipInfo, room: int) -> tuple[bytes, str | None]:
    """The member's bytes, or a problem once it passes a limit: sizes are counted, not taken from the headers."""
    limit = min(MAX_MEMBER_BYTES, room)
    chunks, size = [], 0
    try:
        with pack.open(info) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    what = "over the 2 MiB a file may hold" if limit == MAX_MEMBER_BYTES else "over the pack's 20 MiB"
                    return b"", f"{info.filename}: {what}"
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        return b"", f"{info.filename}: unreadable ({error})"
    return b"".join(chunks), None


def _without_top_folder(files: dict[str, bytes]) -> dict[str, bytes]:
    """A folder zipped by a file manager holds everything inside one top folder: take it off."""
    if "course.yaml" in files or not files:
        return files
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) != 1 or any("/" not in name for name in files):
        return files
    return {name.split("/", 1)[1]: data for name, data in files.items()}


def unpack_to(files: Mapping[str, bytes], folder: Path) -> None:
    """Write the pack's files under `folder` (names were checked by read_pack)."""
    for name, data in files.items():
        path = folder.joinpath(*PurePosixPath(name).parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def zipped(files: Mapping[str, bytes]) -> bytes:
    """The files as a pack's bytes."""
    out = io.BytesIO()
    write_pack(files, out)
    return out.getvalue()
