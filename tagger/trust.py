"""Which model files tagger may unpickle.

A model file is a pickle, and unpickling can run any code in it. So tagger loads a model only
when it can verify where the file came from, before unpickling anything:

- models saved by tagger for this user carry an HMAC-SHA256 signature made with a secret key
  kept in the tagger home directory (``$TAGGER_HOME``, else ``$XDG_CONFIG_HOME/tagger``, else
  ``~/.config/tagger``), created on first save and readable by the user only;
- the bundled default model is trusted by its SHA-256, recorded in ``tagger/bundled.sha256``;
- any other file only when the user says so: ``tagger trust FILE`` records its SHA-256 in the
  home directory's ``trusted.txt`` (a changed file no longer matches), or ``--trust`` once.

>>> import tempfile, os
>>> os.environ["TAGGER_HOME"] = tempfile.mkdtemp()
>>> verify(b"payload", sign(b"payload"))
True
>>> verify(b"payload!", sign(b"payload"))
False
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import NamedTuple

from .errors import ModelError, OutputError
from .files import atomic_write

__all__ = [
    "Trusted",
    "bundled_hashes",
    "file_sha256",
    "home",
    "is_trusted",
    "known_as",
    "sign",
    "trust_file",
    "verify",
]

HOME_ENV = "TAGGER_HOME"
BUNDLED = Path(__file__).with_name("bundled.sha256")


def home() -> Path:
    """The directory holding the signing key and the list of trusted model files."""
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV])
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "tagger"


def _key(create: bool) -> bytes | None:
    """This user's signing key; when there is none, a new one with ``create``, else None.
    ModelError when it cannot be read, OutputError when it cannot be created."""
    path = home() / "key"
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (FileNotFoundError, NotADirectoryError):  # none (yet)
        pass
    except (OSError, ValueError) as exc:  # unreadable, or not the hex tagger writes
        reason = exc.strerror if isinstance(exc, OSError) else "damaged"
        raise ModelError(
            f"cannot read the key model files are signed with ({reason})",
            path=path,
            hint=f"make it readable, delete it if damaged (your models will then need 'tagger "
            f"trust'), or set {HOME_ENV} to another directory",
        ) from None
    if not create:
        return None
    try:
        key = _create_key(path)
    except OutputError as error:
        raise OutputError(
            f"cannot create the key model files are signed with: {error.message}",
            path=path,
            hint=f"set {HOME_ENV} to a directory you can write to",
        ) from None
    return key if key is not None else _key(create=True)  # theirs (made again if gone)


def _create_key(path: Path) -> bytes | None:
    """A new key written to ``path``, or None when another thread or process created one first
    (then that one is this user's key). The key is written whole to a file of its own, then
    linked as ``path``, which fails if ``path`` exists: replacing it, as an atomic write does,
    left the models the other one had just signed unloadable (first saves at once: a pool of
    workers in a fresh container). A reader never sees a key half written."""
    key = secrets.token_bytes(32)
    mine = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    with atomic_write(mine, permissions=0o600) as handle:
        handle.write(key.hex() + "\n")
    try:
        os.link(mine, path)
    except FileExistsError:
        return None
    except OSError:  # a file system without hard links: replaced, as before
        try:
            os.replace(mine, path)
        except OSError as exc:
            raise OutputError(
                f"cannot write this file ({exc.strerror or exc})", path=path
            ) from None
        return key
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(mine)
    return key


def sign(data: bytes) -> str:
    """An HMAC-SHA256 of ``data`` with this user's key (created if missing)."""
    key = _key(create=True)
    assert key is not None
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def verify(data: bytes, signature: str) -> bool:
    """Whether ``signature`` was made by ``sign`` with this user's key."""
    key = _key(create=False)
    if key is None or not signature:
        return False
    expected = hmac.new(key, data, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundled_hashes() -> set[str]:
    """SHA-256s of the model files that ship with tagger."""
    with contextlib.suppress(FileNotFoundError):
        return {line.split()[0] for line in BUNDLED.read_text("ascii").splitlines() if line.strip()}
    return set()


def _trusted_lines() -> list[str]:
    """The lines of ``trusted.txt`` (none when there is none yet); ModelError when it cannot
    be read."""
    path = home() / "trusted.txt"
    try:
        return path.read_text("utf-8").splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return []
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
        raise ModelError(
            f"cannot read the list of trusted model files ({reason})",
            path=path,
            hint=f"make it readable, or set {HOME_ENV} to another directory",
        ) from None


def _trusted() -> set[str]:
    return {line.split()[0] for line in _trusted_lines() if line.strip()}


def is_trusted(sha256: str) -> bool:
    """Whether a file with this SHA-256 ships with tagger or was trusted by the user."""
    return known_as(sha256) is not None


def known_as(sha256: str) -> str | None:
    """ "bundled" when a file with this SHA-256 ships with tagger, "listed" when the user
    trusted it (``trusted.txt``), else None.

    >>> known_as("0" * 64) is None
    True
    """
    if sha256 in bundled_hashes():
        return "bundled"
    return "listed" if sha256 in _trusted() else None


class Trusted(NamedTuple):
    """What ``trust_file`` did: the file's SHA-256, and why it was already trusted (nothing
    recorded): "signed" (saved by tagger for this user), "bundled" or "listed" (recorded
    before), or None when it is recorded now."""

    sha256: str
    already: str | None


def trust_file(path: str | Path) -> Trusted:
    """Record the SHA-256 of the model file ``path`` as trusted, unless tagger already loads
    it (see ``Trusted``). A damaged file (see ``modelfile.intact_origin``) is refused with a
    ModelError."""
    from .modelfile import intact_origin  # modelfile imports this module

    sha, already = intact_origin(path)
    if already is None:
        lines = _trusted_lines()
        lines.append(f"{sha}  {Path(path).resolve()}")
        try:
            with atomic_write(home() / "trusted.txt") as handle:
                handle.write("\n".join(lines) + "\n")
        except OutputError as error:
            raise OutputError(
                f"cannot record the trusted model file: {error.message}",
                path=error.path,
                hint=f"set {HOME_ENV} to a directory you can write to",
            ) from None
    return Trusted(sha, already)
