"""The library as a user calls it: the public names of ``tagger`` and their arguments."""

from __future__ import annotations

import inspect
import warnings

import pytest

import tagger
from tagger.data import Example

from .conftest import corpus_examples


def test_every_public_name_resolves():
    for name in tagger.__all__:
        assert getattr(tagger, name) is not None, name


def test_the_warning_categories_and_topics_the_library_gives_are_public(single_model):
    conflicting = [*corpus_examples(), Example(corpus_examples()[0].text, ("weather-ai",))]
    with pytest.warns(tagger.DataWarning, match="different labels"):  # was tagger.data's only
        tagger.train(conflicting, test_size=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", tagger.DataWarning)
        with pytest.raises(tagger.DataWarning):
            tagger.train(conflicting, test_size=0)
    assert issubclass(tagger.ModelVersionWarning, UserWarning)
    assert issubclass(tagger.DamagedModelWarning, UserWarning)
    [article] = tagger.tag("阿里云发布新一代云服务器，云计算业务收入增长。", single_model)
    assert all(isinstance(topic, tagger.Topic) for topic in article.topics)


def test_to_dict_gives_a_copy_that_can_be_changed(single_model):
    text = "阿里云发布新一代云服务器，云计算业务收入增长。\n\n美国升级芯片出口管制，限制设备出口。"
    [article] = tagger.tag(text, single_model, explain=3)
    before = tagger.tag(text, single_model, explain=3)[0].to_dict()
    for found in (article.to_dict(), {"segments": [article.segments[0].to_dict()]}):
        segment = found["segments"][0]
        segment["labels"].append("changed")  # a JSON document being enriched, say
        segment["scores"]["changed"] = 1.0
        next(iter(segment["evidence"].values())).clear()
    assert article.to_dict() == before  # the segments' own lists and dicts were handed out


def test_cross_validation_to_dict_gives_a_copy(single_model):
    from tagger.evaluation import cross_validation

    result = cross_validation(corpus_examples(), lambda part: single_model, folds=2)
    found = result.to_dict()
    found["summary"]["accuracy"] = -1
    found["per_fold"][0]["accuracy"] = -1
    assert result.summary["accuracy"] >= 0 and result.per_fold[0]["accuracy"] >= 0


@pytest.mark.parametrize("compact", [False, True])
def test_scores_and_predict_take_a_list_of_texts_not_one_str(single_model, compact):
    from tagger.inference import CompactModel

    model = CompactModel.from_model(single_model) if compact else single_model
    texts = ["阿里云下调云服务器价格", "美国升级芯片出口管制"]
    with pytest.raises(TypeError, match=r"not one str .*character by character.*\[text\]"):
        model.predict(texts[0])  # gave one prediction a character: 11 rows, silently
    with pytest.raises(TypeError, match="not one str"):
        model.scores(texts[0])
    assert model.predict(t for t in texts) == model.predict(texts)  # any iterable
    assert model.scores(tuple(texts)).tolist() == model.scores(texts).tolist()
    for missing in (None, float("nan")):
        with pytest.raises(TypeError, match=r"texts\[1\] must be a str, not .*missing value"):
            model.scores([texts[0], missing])
    with pytest.raises(TypeError, match="texts must be a list of texts, not int"):
        model.scores(3)


def test_type_checkers_see_every_public_name_with_its_type():
    """``tagger`` imports its names on first use (``__getattr__``), so a type checker saw
    ``from tagger import tag`` as Any; the TYPE_CHECKING imports and a written-out __all__
    give it the real names, and they must match the lazy table."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(tagger))
    [block] = [
        n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    ]
    imported = {a.name: node.module for node in block.body for a in node.names}
    assert imported == tagger._EXPORTS
    [names] = [
        ast.literal_eval(n.value)
        for n in tree.body
        if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "__all__"
    ]
    assert names == sorted(tagger._EXPORTS)
    assert inspect.signature(tagger.load_compact).return_annotation == "CompactModel"  # was Any


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tagger.read_examples(b"data.jsonl"), "paths must be a file path or a list"),
        (lambda: tagger.read_examples(None), "paths must be a file path or a list of them, not"),
        (lambda: tagger.read_examples([None]), r"paths\[0\] must be a file path .* not NoneType"),
        (lambda: tagger.load_model(None), "path must be a file path .* not NoneType"),
        (lambda: tagger.load_compact(3), "path must be a file path .* not int"),
        (lambda: tagger.read_article(None), "source must be a file path .* not NoneType"),
    ],
    ids=["bytes", "None", "None in a list", "load_model", "load_compact", "read_article"],
)
def test_functions_that_read_a_file_name_the_argument_that_is_no_path(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_every_public_function_and_method_has_a_docstring_example():
    missing = []
    for name in tagger.__all__:
        obj = getattr(tagger, name)
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            methods = {
                f"{name}.{attr}": value
                for attr, value in vars(obj).items()
                if not attr.startswith("_") and inspect.isfunction(value)
            }
        else:
            methods = {name: obj} if inspect.isfunction(obj) else {}
        missing += [where for where, f in methods.items() if ">>>" not in (f.__doc__ or "")]
    assert not missing  # was load_model, tag_paths, Comparison.to_dict (no docstring) and more
