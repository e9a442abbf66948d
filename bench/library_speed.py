"""tag_texts against tag() in a loop, on 2,000 sentences of the seed articles (bundled model).

    .venv/bin/python bench/library_speed.py

Both in this process, one after the other, in CPU seconds; the ratio is what to compare.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tagger import load_compact, tag, tag_texts  # noqa: E402
from tagger.tagging import default_model_path  # noqa: E402


def main() -> None:
    model = load_compact(default_model_path())
    seeds = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    sentences = [s for s in re.split(r"(?<=[。！？])", seeds) if len(s.strip()) > 5]
    texts = (sentences * 20)[:2000]
    tag_texts(texts[:10], model)  # warm: the dictionary loaded, the first calls made
    start = time.process_time()
    looped = [tag(text, model) for text in texts]
    middle = time.process_time()
    batched = tag_texts(texts, model)
    end = time.process_time()
    assert len(looped) == len(batched)
    chars = sum(map(len, texts)) / len(texts)
    print(
        f"{len(texts)} texts of {chars:.0f} characters on average: tag() in a loop "
        f"{middle - start:.2f} CPU s, tag_texts {end - middle:.2f} CPU s: "
        f"{(middle - start) / (end - middle):.1f}x"
    )


if __name__ == "__main__":
    main()
