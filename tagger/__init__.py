"""tagger: tag Chinese news segments with topics (jieba, TF-IDF and a linear classifier).

>>> from tagger import segment
>>> [a.title for a in segment("微软AI之困\\n\\n本报记者 宋婧\\n\\n微软正在开发自己的推理模型。")]
['微软AI之困']
"""

__version__ = "0.1.0"

from .data import DataSummary, Example, read_examples, summarize
from .errors import DataError, ModelError, TaggerError
from .evaluation import EvaluationReport, evaluate
from .model import TaggerModel, load_model, train
from .segmenting import Article, Segment, segment
from .tagging import TaggedArticle, TaggedSegment, default_model_path, tag, tag_paths

__all__ = [
    "Article",
    "Comparison",
    "DataError",
    "DataSummary",
    "EvaluationReport",
    "Example",
    "ModelError",
    "Segment",
    "TaggedArticle",
    "TaggedSegment",
    "TaggerError",
    "TaggerModel",
    "compare",
    "default_model_path",
    "evaluate",
    "load_model",
    "read_examples",
    "segment",
    "summarize",
    "tag",
    "tag_paths",
    "train",
]
