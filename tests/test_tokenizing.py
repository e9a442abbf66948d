from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tagger.features import word_grams
from tagger.tokenizing import JiebaTokenizer, _main_dictionary, _prune_caches, normalize


def test_user_words_keep_domain_terms_whole():
    plain = JiebaTokenizer()
    custom = JiebaTokenizer(user_words=["星际之门", "智算中心 1000 n"])
    text = "星际之门项目与智算中心"
    assert "星际之门" not in plain(text)
    assert {"星际之门", "智算中心"} <= set(custom(text))


def test_stop_words_punctuation_and_case():
    tok = JiebaTokenizer(stop_words=["的"])
    words = tok("微软的ＡＩ芯片，OpenAI！")
    assert "的" not in words
    assert "，" not in words and "！" not in words
    assert "ai" in words and "openai" in words


def test_pickles_without_its_jieba_instance_and_works_after_loading():
    tok = JiebaTokenizer(user_words=["星际之门"])
    before = tok("手握星际之门项目")
    data = pickle.dumps(tok)
    assert b"FREQ" not in data  # the jieba dictionary is not pickled
    loaded = pickle.loads(data)
    assert loaded._jieba is None
    assert loaded("手握星际之门项目") == before
    assert loaded.config() == tok.config()


def test_does_not_touch_jiebas_global_tokenizer():
    JiebaTokenizer(user_words=["星际之门"])("星际之门")
    assert "星际之门" not in jieba.dt.FREQ


def test_config_records_a_hash_of_the_dictionary():
    a = JiebaTokenizer(user_words=["星际之门"]).config()
    b = JiebaTokenizer(user_words=["星际之门", "智算中心"]).config()
    assert a["user_dict_sha256"] != b["user_dict_sha256"]
    assert a["user_words"] == 1 and a["hmm"] is False


def test_jieba_start_up_messages_do_not_reach_the_user():
    code = "from tagger.tokenizing import JiebaTokenizer; print(JiebaTokenizer()('云计算'))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "prefix dict" not in result.stderr
    assert result.stderr == ""


def test_loading_jiebas_dictionary_writes_no_temporary_file_and_leaves_its_logger_alone(
    tmp_path,
):
    code = (
        "import logging, jieba\n"
        "from tagger.tokenizing import JiebaTokenizer\n"
        "print(JiebaTokenizer()('云计算'), logging.getLevelName(logging.getLogger('jieba').level))\n"
    )
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "TAGGER_HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path / "tmp")}
    for _ in range(2):  # the first run builds tagger's cache of the dictionary, the second reads it
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        assert result.stderr == ""
        assert result.stdout.split()[-1] == "DEBUG"  # jieba's own level: the user's to change
    assert list((tmp_path / "tmp").iterdir()) == []  # no jieba.cache in the temporary directory
    assert list((tmp_path / "home" / "cache").glob("jieba-dict-*.npz"))


def test_word_ngrams_and_normalize():
    assert word_grams(JiebaTokenizer()("人工智能芯片"), 2) == ["人工智能", "芯片", "人工智能 芯片"]
    assert normalize("ＧＰＵ\u3000Ａ") == "gpu a"


def test_zero_width_characters_do_not_cut_words():
    # text copied from web pages hides zero width spaces inside words
    tok = JiebaTokenizer()
    assert tok("市场\u200b份额\u2060增长") == tok("市场份额增长") == ["市场份额", "增长"]
    assert normalize("云\u200c计\u200d算\ufeff") == "云计算"


def test_from_files_reads_dictionary_and_stop_words(tmp_path):
    (tmp_path / "dict.txt").write_text("# comment\n星际之门 100\n", encoding="utf-8")
    (tmp_path / "stop.txt").write_text("项目\n", encoding="utf-8")
    tok = JiebaTokenizer.from_files(tmp_path / "dict.txt", tmp_path / "stop.txt")
    assert tok("星际之门项目") == ["星际之门"]


def test_bad_dictionary_line_names_file_and_line(tmp_path):
    import pytest

    from tagger.errors import DataError

    (tmp_path / "dict.txt").write_text("星际之门 100\n星际 之门 很多 词\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"dict.txt, line 2: not a jieba dictionary line"):
        JiebaTokenizer.from_files(tmp_path / "dict.txt")


def test_cached_main_dictionary_gives_jiebas_own_tokens(tmp_path):
    code = (
        "import jieba, logging; jieba.setLogLevel(logging.WARNING)\n"
        "from tagger.tokenizing import JiebaTokenizer, _main_dictionary\n"
        "text = '微软正在开发自己的人工智能推理模型，与OpenAI展开竞争。阿里云下调云服务器价格。'\n"
        "plain = jieba.Tokenizer(); plain.initialize()\n"
        "freq, total = _main_dictionary()\n"
        "assert freq == plain.FREQ and total == plain.total\n"
        "print(JiebaTokenizer().jieba.lcut(text) == plain.lcut(text))\n"
    )
    env = {**__import__("os").environ, "TAGGER_HOME": str(tmp_path)}
    for _ in range(2):  # the first run writes the cache, the second reads it
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        assert result.stdout.strip() == "True"
    assert list((tmp_path / "cache").glob("jieba-dict-*.npz"))


def test_writing_the_dictionary_cache_removes_old_ones_but_the_most_recent(tmp_path, monkeypatch):
    """Caches for other keys (another jieba, or the same reinstalled) were never removed: about
    11 MB each. The newest few stay (installs sharing the home); nobody else's files go."""
    monkeypatch.setenv("TAGGER_HOME", str(tmp_path))
    folder = tmp_path / "cache"
    folder.mkdir()
    old = [folder / f"jieba-dict-0.42.{i}-5000-170000000{i}.npz" for i in range(4)]
    for age, path in enumerate(old):  # old[0] the oldest
        path.write_bytes(b"old cache")
        os.utime(path, (1e9 + age, 1e9 + age))
    others = [folder / name for name in ("jieba-dict-notes.txt", "other.npz", "jieba-dict.npz")]
    for path in others:
        path.write_text("not tagger's", encoding="utf-8")
    (folder / "jieba-dict-0.1-1-1.npz").mkdir()  # a directory of that name: left alone
    freq, total = _main_dictionary.__wrapped__()  # builds and writes this jieba's cache
    assert freq and total
    kept = sorted(p.name for p in folder.glob("jieba-dict-*-*-*.npz") if p.is_file())
    new = [n for n in kept if n not in {p.name for p in old}]
    assert len(new) == 1 and kept == sorted([*new, old[2].name, old[3].name])
    assert all(p.exists() for p in others) and (folder / "jieba-dict-0.1-1-1.npz").is_dir()


def test_pruning_dictionary_caches_never_fails(tmp_path, monkeypatch):
    for i in range(5):
        (tmp_path / f"jieba-dict-0.42.1-5000-{i}.npz").write_bytes(b"old cache")

    def refuse(self, missing_ok=False):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "unlink", refuse)
    _prune_caches(tmp_path / "jieba-dict-0.42.1-5000-4.npz")  # no error: they stay
    assert len(list(tmp_path.iterdir())) == 5
    _prune_caches(tmp_path / "missing" / "jieba-dict-0.42.1-5000-9.npz")  # no folder: no error


SEED_TEXTS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
PIECES = st.sampled_from(
    ["云计算", "芯片", "星际之门", "的", "了", "。", "，", "AI", "gpt-4", "3.5%", "c++", " ",
     "\r\n", "\n", "\t", "😀", "é", "ー", "〇", "鿕", "人工智能大模型", "李飞飞", "十四五", "#"]
)  # fmt: skip


@pytest.mark.parametrize("hmm", [True, False])
def test_cutting_gives_exactly_jiebas_words_on_the_seed_articles(hmm):
    tok = JiebaTokenizer(user_words=["星际之门", "智算中心 1000 n"], hmm=hmm)
    for path in SEED_TEXTS:
        for line in path.read_text(encoding="utf-8").splitlines():
            assert tok.cut(line) == tok.jieba.lcut(line, HMM=hmm), line


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join), st.booleans())
def test_cutting_gives_exactly_jiebas_words_on_any_text(text, hmm):
    tok = JiebaTokenizer(hmm=hmm)
    assert tok.cut(text) == tok.jieba.lcut(text, HMM=hmm)
