"""tagger: tag Chinese news segments with topics (jieba, TF-IDF and a linear classifier).

>>> from tagger import segment
>>> [a.title for a in segment("微软AI之困\\n\\n本报记者 宋婧\\n\\n微软正在开发自己的推理模型。")]
['微软AI之困']

Names are imported on first use, so ``tagger tag`` does not pay for scikit-learn's import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and editors see: each name typed, not Any
    from .data import DataSummary, DataWarning, Example, read_examples, summarize
    from .errors import DataError, ModelError, OutputError, TaggerError
    from .evaluation import Comparison, EvaluationReport, compare, evaluate
    from .model import TaggerModel, load_model, train
    from .modelfile import DamagedModelWarning, ModelVersionWarning, load_compact
    from .segmenting import Article, Segment, segment
    from .tagging import (
        TaggedArticle,
        TaggedSegment,
        Topic,
        default_model_path,
        read_article,
        render_paths,
        tag,
        tag_paths,
        tag_texts,
    )

__version__ = "0.1.0"

_EXPORTS = {
    "Article": "segmenting",
    "Segment": "segmenting",
    "segment": "segmenting",
    "DataSummary": "data",
    "DataWarning": "data",
    "Example": "data",
    "read_examples": "data",
    "summarize": "data",
    "DataError": "errors",
    "ModelError": "errors",
    "OutputError": "errors",
    "TaggerError": "errors",
    "Comparison": "evaluation",
    "EvaluationReport": "evaluation",
    "compare": "evaluation",
    "evaluate": "evaluation",
    "TaggerModel": "model",
    "load_model": "model",
    "train": "model",
    "DamagedModelWarning": "modelfile",
    "ModelVersionWarning": "modelfile",
    "load_compact": "modelfile",
    "TaggedArticle": "tagging",
    "TaggedSegment": "tagging",
    "Topic": "tagging",
    "default_model_path": "tagging",
    "read_article": "tagging",
    "tag": "tagging",
    "tag_paths": "tagging",
    "tag_texts": "tagging",
    "render_paths": "tagging",
}

__all__ = [  # written out, for type checkers; a test checks it is _EXPORTS'
    "Article",
    "Comparison",
    "DamagedModelWarning",
    "DataError",
    "DataSummary",
    "DataWarning",
    "EvaluationReport",
    "Example",
    "ModelError",
    "ModelVersionWarning",
    "OutputError",
    "Segment",
    "TaggedArticle",
    "TaggedSegment",
    "TaggerError",
    "TaggerModel",
    "Topic",
    "compare",
    "default_model_path",
    "evaluate",
    "load_compact",
    "load_model",
    "read_article",
    "read_examples",
    "render_paths",
    "segment",
    "summarize",
    "tag",
    "tag_paths",
    "tag_texts",
    "train",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'tagger' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return [*globals(), *__all__]
