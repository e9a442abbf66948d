"""Model files are unpickled only when tagger can verify them or the user trusts them."""

from __future__ import annotations

import hashlib
import json
import pickle
import secrets
import stat

import numpy as np
import pytest
from typer.testing import CliRunner

from tagger.cli import app
from tagger.data import Example
from tagger.errors import ModelError, OutputError
from tagger.evaluation import compare, evaluate
from tagger.model import load_model
from tagger.modelfile import (
    FORMAT,
    FORMAT_VERSION,
    MAGIC,
    DamagedModelWarning,
    ModelVersionWarning,
    load_compact,
    read_card,
    read_header,
)
from tagger.tagging import render_paths, tag, tag_paths, tag_texts
from tagger.trust import bundled_hashes, file_sha256, home, trust_file

from .conftest import ROOT


class Exploit:
    """Unpickling this creates a marker file: what a malicious model could do."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def malicious_model(path, marker, *, header=True):
    payload = pickle.dumps(Exploit(marker))
    fields = {"format": FORMAT, "format_version": FORMAT_VERSION, "arrays_length": 0}
    fields["arrays_sha256"] = hashlib.sha256(b"").hexdigest()
    fields["sha256"] = hashlib.sha256(payload).hexdigest()
    fields["card"] = {"labels": {"cloud": 1}}
    fields["signature"] = "0" * 64
    with open(path, "wb") as handle:
        if header:
            handle.write(MAGIC + json.dumps(fields).encode("ascii") + b"\n")
        handle.write(payload)
    return path


def test_a_crafted_model_is_not_unpickled(tmp_path):
    marker = tmp_path / "pwned"
    path = malicious_model(tmp_path / "evil.joblib", marker)
    with pytest.raises(ModelError, match=r"refusing to load .*Fix: .*tagger trust .*--trust"):
        load_model(path)
    assert not marker.exists()
    # the test can fail: trusting the file does run its code
    with pytest.raises(ModelError), pytest.warns(ModelVersionWarning):
        load_model(path, trust=True)
    assert marker.exists()


def test_a_plain_pickle_is_not_a_model_and_is_not_unpickled(tmp_path):
    marker = tmp_path / "pwned"
    path = malicious_model(tmp_path / "evil.joblib", marker, header=False)
    with pytest.raises(ModelError, match="not a tagger model file"):
        load_model(path)
    assert not marker.exists()


def test_cli_refuses_with_a_clear_error_and_info_reads_the_card_only(tmp_path):
    marker = tmp_path / "pwned"
    path = malicious_model(tmp_path / "evil.joblib", marker)
    article = tmp_path / "a.txt"
    article.write_text("云计算市场份额变化。", encoding="utf-8")
    result = CliRunner().invoke(app, ["tag", str(article), "--model", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "tagger trust" in result.output
    result = CliRunner().invoke(app, ["info", str(path), "--json"])
    assert result.exit_code == 0 and json.loads(result.output) == {"labels": {"cloud": 1}}
    assert not marker.exists()


def test_own_models_load_and_others_need_trust(single_model, tmp_path, monkeypatch):
    path = single_model.save(tmp_path / "m.joblib")
    assert load_model(path).labels == single_model.labels  # signed with this user's key
    monkeypatch.setenv("TAGGER_HOME", str(tmp_path / "colleague"))  # another user's machine
    with pytest.raises(ModelError, match="refusing to load"):
        load_model(path)
    result = CliRunner().invoke(app, ["trust", str(path)])
    assert result.exit_code == 0, result.output
    assert file_sha256(path) in (home() / "trusted.txt").read_text("utf-8")
    assert np.array_equal(load_model(path).scores(["云"]), single_model.scores(["云"]))


def test_tagging_and_evaluating_functions_take_trust_for_another_users_model(
    single_model, tmp_path, monkeypatch
):
    path = single_model.save(tmp_path / "m.joblib")
    article = tmp_path / "a.txt"
    article.write_text("阿里云下调云服务器价格。", encoding="utf-8")
    examples = [Example("阿里云下调云服务器价格。", ("cloud",))]
    monkeypatch.setenv("TAGGER_HOME", str(tmp_path / "service"))  # a service run as another user
    calls = {  # had no trust=: the only way was load_compact(path, trust=True) first
        "tag": lambda **kw: tag("阿里云下调云服务器价格。", path, **kw),
        "tag_texts": lambda **kw: tag_texts(["阿里云下调云服务器价格。"], path, **kw),
        "tag_paths": lambda **kw: list(tag_paths([article], path, **kw)),
        "render_paths": lambda **kw: list(render_paths([article], str, path, **kw)),
        "evaluate": lambda **kw: evaluate(path, examples, **kw),
        "compare": lambda **kw: compare(path, single_model, examples, **kw),
    }
    for name, call in calls.items():
        with pytest.raises(ModelError, match="refusing to load"):
            call()
        assert call(trust=True), name
    expected = [t.label for t in tag("阿里云下调云服务器价格。", single_model)[0].topics]
    assert [
        t.label for t in tag("阿里云下调云服务器价格。", path, trust=True)[0].topics
    ] == expected
    assert (
        evaluate(path, examples, trust=True).to_dict() == evaluate(single_model, examples).to_dict()
    )
    assert not (tmp_path / "service" / "trusted.txt").exists()  # trusted for the call only


def test_a_modified_model_is_refused(single_model, tmp_path):
    path = single_model.save(tmp_path / "m.joblib")
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="damaged or was modified"):
        load_model(path)


def test_a_damaged_model_is_not_trusted_and_info_warns(single_model, tmp_path, monkeypatch):
    path = single_model.save(tmp_path / "m.joblib")
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))
    monkeypatch.setenv("TAGGER_HOME", str(tmp_path / "colleague"))
    result = CliRunner().invoke(app, ["trust", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "m.joblib: the model file is damaged or was modified" in result.output
    assert not (home() / "trusted.txt").exists()
    result = CliRunner().invoke(app, ["info", str(path)])
    assert result.exit_code == 0, result.output
    assert "Warning: " in result.output and "damaged or was modified" in result.output
    assert "single-label model, 3 labels" in result.output  # the card, from the header
    with pytest.warns(DamagedModelWarning, match="damaged"):
        assert read_card(path)["labels"] == single_model.card["labels"]


def test_signing_key_is_private(single_model, tmp_path):
    single_model.save(tmp_path / "m.joblib")
    assert stat.S_IMODE((home() / "key").stat().st_mode) == 0o600


def test_the_bundled_model_is_trusted_by_its_recorded_hash():
    path = ROOT / "models" / "default.joblib"
    assert file_sha256(path) in bundled_hashes()
    header, _ = read_header(path)
    assert header["card"]["multi_label"] is True


def test_an_unusable_tagger_home_gives_tagger_errors(single_model, tmp_path, monkeypatch):
    """A home below a file (or one the service user may not write: HOME=/nonexistent) raised
    NotADirectoryError from reading the key, even to tag with the bundled model."""
    own = single_model.save(tmp_path / "m.joblib")
    (tmp_path / "notes").write_text("a file", encoding="utf-8")
    monkeypatch.setenv("TAGGER_HOME", str(tmp_path / "notes" / "tagger"))
    bundled = load_compact(ROOT / "models" / "default.joblib")  # trusted by its hash
    assert bundled.labels
    with pytest.raises(ModelError, match="refusing to load"):  # no key here to verify it
        load_compact(own)
    with pytest.raises(OutputError, match=r"cannot create the key .*Fix: set TAGGER_HOME"):
        single_model.save(tmp_path / "again.joblib")
    assert not (tmp_path / "again.joblib").exists()
    result = CliRunner().invoke(app, ["trust", str(own)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot record the trusted model file" in result.output


def test_a_damaged_signing_key_is_a_model_error(single_model, tmp_path, monkeypatch):
    monkeypatch.setenv("TAGGER_HOME", str(tmp_path / "home"))
    path = single_model.save(tmp_path / "m.joblib")
    (home() / "key").write_text("not hex\n", encoding="ascii")  # was ValueError from fromhex
    with pytest.raises(ModelError, match=r"key: cannot read the key .* \(damaged\)"):
        load_compact(path)


def test_trusting_a_model_already_trusted_says_so(single_model, tmp_path, monkeypatch):
    monkeypatch.setenv("TAGGER_HOME", str(tmp_path / "me"))
    path = single_model.save(tmp_path / "m.joblib")
    result = CliRunner().invoke(app, ["trust", str(path)])  # signed with this user's key
    assert result.exit_code == 0, result.output
    assert "already trusted: it was saved by tagger for this user" in result.output
    assert not (home() / "trusted.txt").exists()  # nothing to record
    monkeypatch.setenv("TAGGER_HOME", str(tmp_path / "colleague"))
    first = CliRunner().invoke(app, ["trust", str(path)])
    assert first.exit_code == 0 and f"Trusted {path}" in first.output, first.output
    listed = (home() / "trusted.txt").read_text("utf-8")
    again = CliRunner().invoke(app, ["trust", str(path)])
    assert again.exit_code == 0, again.output
    assert "Trusted" not in again.output and f"{path} is already trusted" in again.output
    assert file_sha256(path)[:16] in again.output
    assert (home() / "trusted.txt").read_text("utf-8") == listed
    assert trust_file(path) == (file_sha256(path), "listed")
    bundled = ROOT / "models" / "default.joblib"
    assert trust_file(bundled) == (file_sha256(bundled), "bundled")


def test_a_key_created_meanwhile_is_kept_not_replaced(single_model, tmp_path, monkeypatch):
    """Several first saves at once (threads, or a pool's workers, in a fresh container) each
    created a key and replaced the key file with it: the models signed with the keys replaced
    no longer loaded ("refusing to load"). Here another process creates the key while this one
    makes its own: this save uses that key, and a model signed with it still loads."""
    monkeypatch.setenv("TAGGER_HOME", str(tmp_path / "home"))
    theirs = tmp_path / "theirs.joblib"
    own = tmp_path / "own.joblib"
    made = secrets.token_bytes

    def meanwhile(n):  # the other process saves its first model between our look and write
        if not (tmp_path / "home" / "key").exists():
            monkeypatch.setattr(secrets, "token_bytes", made)
            single_model.save(theirs)
        return made(n)

    monkeypatch.setattr(secrets, "token_bytes", meanwhile)
    single_model.save(own)
    for path in (theirs, own):
        assert load_model(path).labels == single_model.labels
    assert [p.name for p in (tmp_path / "home").iterdir()] == ["key"]  # no file left behind
