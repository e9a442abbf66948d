"""Throw a corpus of bad inputs at `tagger tag` (text and HTML files, Word documents) and `tagger train` and
count what happens.

    .venv/bin/python bench/bad_inputs.py [--cases 600] [--big-mb 100] [--out bench/bad_inputs.md]

Every case runs the real command line in this process (Typer's CliRunner). A case is
- a clear error: exit status 1, an "Error:" line, no traceback;
- a crash: any other failure (an exception escaping, a traceback, another exit status);
- lost or corrupted output: an existing model or output file changed by a failed run, or left
  unreadable by any run.
A last case tags a --big-mb file in a child process and records its peak memory (streaming).
"""

from __future__ import annotations

import argparse
import codecs
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tagger.cli import app  # noqa: E402
from tagger.model import load_model  # noqa: E402

GOOD = [
    "阿里云下调云服务器价格，云计算价格战升级。",
    "美国升级芯片出口管制，限制光刻机出口。",
    "谷歌机器学习模型预测天气又快又准。",
    "运营商启动6G网络标准研究。",
]
LABELS = ["cloud", "semiconductors", "weather-ai", "telecom"]


def text_cases(rng: random.Random) -> list[tuple[str, bytes]]:
    """Article files: odd encodings, binary, control characters, emoji, empty, huge lines."""
    article = "标题：云计算变局\n\n" + "\n\n".join(GOOD) + "\n"
    cases: list[tuple[str, bytes]] = [("empty", b""), ("blank", " \n\u3000\n".encode())]
    for encoding in (
        "utf-8",
        "utf-8-sig",
        "gb18030",
        "gbk",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "big5",
    ):
        with_bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else b""
        try:
            cases.append((f"encoding {encoding}", with_bom + article.encode(encoding)))
        except UnicodeEncodeError:
            cases.append((f"encoding {encoding} (lossy)", article.encode(encoding, "replace")))
    cases.append(("traditional", "雲計算價格戰升級。\n\n美國升級晶片出口管制。".encode()))
    cases.append(("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))))
    cases.append(("one long line", ("云计算" * 300_000).encode()))
    cases.append(
        ("control characters", "".join(chr(i) for i in range(32)).encode() + article.encode())
    )
    cases.append(("emoji", ("😀🚀" * 50 + article).encode()))
    cases.append(("truncated utf-8", article.encode()[:-1]))
    cases.append(
        ("crlf and full-width", article.replace("\n", "\r\n").replace("：", "\u3000").encode())
    )
    while len(cases) < 250:
        kind = rng.choice(["random bytes", "mutated", "mixed", "nul"])
        if kind == "random bytes":
            data = rng.randbytes(rng.randint(1, 3000))
        elif kind == "mutated":
            data = bytearray(article.encode(rng.choice(["utf-8", "gb18030", "utf-16"])))
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            data = bytes(data)
        elif kind == "mixed":
            parts = [rng.choice(GOOD).encode(rng.choice(["utf-8", "gb18030"])) for _ in range(8)]
            data = b"\n\n".join(parts)
        else:
            data = article.encode() + b"\x00" * rng.randint(1, 50) + article.encode()
        cases.append((kind, data))
    return cases


def html_cases(rng: random.Random) -> list[tuple[str, bytes]]:
    """Web pages: malformed markup, lying or unknown charsets, unclosed elements, mutations."""
    body = "".join(f"<p>{text}</p>" for text in GOOD)
    page = (
        f'<html><head><meta charset="utf-8"><title>云计算</title></head><body>{body}</body></html>'
    )
    cases: list[tuple[str, bytes]] = [
        ("html empty", b""),
        ("html no body text", b"<html><head><title>t</title></head><body></body></html>"),
        ("html charset lie", page.replace("utf-8", "gbk").encode()),
        ("html unknown charset", page.replace("utf-8", "x-klingon").encode()),
        ("html gb18030 declared", page.replace("utf-8", "gb2312").encode("gb18030")),
        ("html utf-16 declared, no bom", page.replace("utf-8", "utf-16").encode()),
        ("html unclosed comment", ("<!-- " + page).encode()),
        ("html unclosed script", ("<script>" + page).encode()),
        ("html unclosed title", page.replace("</title>", "").encode()),
        ("html deep nesting", ("<div>" * 50_000 + "云计算" + "</div>" * 50_000).encode()),
        ("html many entities", ("&#x4e91;&amp;&bogus;&#99999999;" * 10_000).encode()),
        ("html cdata and pi", ("<![CDATA[x]]><?php echo 1; ?>" + page).encode()),
    ]
    while len(cases) < 80:  # markup broken at random places (characters, not bytes)
        chars = list(page)
        for _ in range(rng.randint(1, 30)):
            chars[rng.randrange(len(chars))] = rng.choice("<>/!-\"'&;=")
        cases.append(("html mutated", "".join(chars).encode(rng.choice(["utf-8", "gb18030"]))))
    return cases


def docx_cases(rng: random.Random) -> list[tuple[str, bytes]]:
    """Word documents: other formats under .docx, broken zips and XML, a zip bomb, entities,
    and mutations of a good document's bytes and of its XML."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in GOOD)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'

    def docx(files: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return buffer.getvalue()

    good = docx({"[Content_Types].xml": "<Types/>", "word/document.xml": xml})
    laughs = '<!DOCTYPE d [<!ENTITY a "云云云云云云云云云云">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    cases: list[tuple[str, bytes]] = [
        ("docx good", good),
        ("docx stored, not deflated", docx({"word/document.xml": xml}, zipfile.ZIP_STORED)),
        ("docx empty file", b""),
        ("docx no text", docx({"word/document.xml": f'<w:document xmlns:w="{w}"/>'})),
        ("docx no document.xml", docx({"xl/workbook.xml": "<workbook/>"})),
        ("docx an odt", docx({"mimetype": "application/vnd.oasis.opendocument.text"})),
        ("docx password-protected (OLE)", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
        ("docx a pdf", b"%PDF-1.7\n" + bytes(200)),
        ("docx plain text", "云计算".encode()),
        ("docx cut short", good[: len(good) // 2]),
        ("docx malformed xml", docx({"word/document.xml": xml[:-20]})),
        ("docx entities (billion laughs)", docx({"word/document.xml": laughs + "]>" + xml[38:]})),
        (
            "docx external entity",
            docx(
                {
                    "word/document.xml": '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    + xml[38:]
                }
            ),
        ),
        (
            "docx gbk declared",
            docx({"word/document.xml": xml.replace("UTF-8", "GBK").encode("gbk")}),
        ),
        ("docx zip bomb", docx({"word/document.xml": xml[:-30] + " " * (300 << 20) + xml[-30:]})),
    ]
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    imports = docx(  # parts imported whole (w:altChunk): a page, plain text, a .docx
        {
            "[Content_Types].xml": '<Types><Default Extension="html" ContentType="text/html"/>'
            '<Default Extension="txt" ContentType="text/plain"/><Override PartName="/word/c.docx" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
            "word/_rels/document.xml.rels": "<Relationships>"
            + "".join(
                f'<Relationship Id="rId{i}" Target="c.{ext}"/>'
                for i, ext in enumerate(("html", "txt", "docx"))
            )
            + "</Relationships>",
            "word/document.xml": xml.replace(
                "</w:body>",
                "".join(f'<w:altChunk xmlns:r="{r}" r:id="rId{i}"/>' for i in range(3))
                + "</w:body>",
            ),
            "word/c.html": f"<p>{GOOD[0]}</p>",
            "word/c.txt": GOOD[1],
            "word/c.docx": good,
        }
    )
    cases.append(("docx with imported parts", imports))
    while len(cases) < 75:  # bytes of the whole file changed at random
        data = bytearray(rng.choice([good, imports]))
        for _ in range(rng.randint(1, 10)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        cases.append(("docx mutated bytes", bytes(data)))
    while len(cases) < 110:  # the XML broken at random places (characters), zipped intact
        chars = list(xml)
        for _ in range(rng.randint(1, 20)):
            chars[rng.randrange(len(chars))] = rng.choice("<>/!-\"'&;=:")
        cases.append(("docx mutated xml", docx({"word/document.xml": "".join(chars)})))
    return cases


def data_cases(rng: random.Random) -> list[tuple[str, str, bytes]]:
    """Labeled data files: malformed JSON, missing fields, bad labels, odd CSV, one class."""

    def jsonl(rows: list) -> bytes:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()

    good = [{"text": t, "label": label} for t, label in zip(GOOD, LABELS)] * 3
    cases: list[tuple[str, str, bytes]] = [
        ("empty jsonl", ".jsonl", b""),
        ("one class", ".jsonl", jsonl([{"text": t, "label": "cloud"} for t in GOOD])),
        ("conflicting duplicates", ".jsonl", jsonl([*good, {"text": GOOD[0], "label": "telecom"}])),
        ("no text field", ".jsonl", jsonl([{"body": "x", "label": "a"}])),
        ("no label field", ".jsonl", jsonl([{"text": "x"}])),
        ("numeric label", ".jsonl", jsonl([{"text": "x", "labels": [1]}])),
        ("null label", ".jsonl", jsonl([{"text": "x", "label": None}])),
        ("list text", ".jsonl", jsonl([{"text": ["x"], "label": "a"}])),
        ("array line", ".jsonl", b'["x", "a"]\n'),
        ("unknown extension", ".xml", b"<x/>"),
        ("csv unknown columns", ".csv", "body,tag\n云,cloud\n".encode()),
        ("csv ragged", ".csv", "text,label\n云,cloud,extra\n".encode()),
        ("csv quote", ".csv", 'text,label\n"云,cloud\n'.encode()),
        ("fasttext no label", ".txt", "没有标签\n".encode()),
        ("json not array", ".json", b'"hello"'),
        ("json array of numbers", ".json", b"[1, 2, 3]"),
        ("binary", ".jsonl", bytes(range(256))),
        ("good but gb18030", ".jsonl", jsonl(good).decode().encode("gb18030")),
        (
            "bom csv",
            ".csv",
            codecs.BOM_UTF8
            + b"text,label\n"
            + "\n".join(f"{t},{lab}" for t, lab in zip(GOOD, LABELS)).encode(),
        ),
    ]
    while len(cases) < 350:
        base = jsonl(good)
        kind = rng.choice(["cut", "mutate", "shuffle lines", "random json"])
        if kind == "cut":
            data = base[: rng.randrange(len(base))]
        elif kind == "mutate":
            data = bytearray(base)
            for _ in range(rng.randint(1, 10)):
                data[rng.randrange(len(data))] = rng.choice(b'{}[]",:\n\x00\xff')
            data = bytes(data)
        elif kind == "shuffle lines":
            lines = base.split(b"\n")
            rng.shuffle(lines)
            data = b"\n".join(lines[: rng.randint(0, len(lines))])
        else:
            value = rng.choice(
                [None, 1, "x", [], {}, [1, "a"], {"text": 1}, {"text": "x", "labels": "a|b"}]
            )
            data = jsonl([value, *good])
        cases.append((kind, rng.choice([".jsonl", ".json", ".csv", ".txt"]), data))
    return cases


def classify(result) -> str:
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return "crash"
    if "Traceback" in output:
        return "crash"
    if result.exit_code == 0:
        return "ok"
    if result.exit_code == 1 and "Error:" in output:
        return "clear error"
    return "crash"


def run(cases_tag, cases_train, workdir: Path) -> dict:
    runner = CliRunner()
    counts: Counter[str] = Counter()
    problems: list[str] = []
    model = workdir / "model.joblib"
    train_data = workdir / "good.jsonl"
    train_data.write_text(
        "".join(
            json.dumps({"text": t, "label": lab}, ensure_ascii=False) + "\n"
            for t, lab in zip(GOOD, LABELS)
        )
        * 3,
        encoding="utf-8",
    )
    assert (
        runner.invoke(
            app, ["train", str(train_data), "-o", str(model), "--test-size", "0"]
        ).exit_code
        == 0
    )
    model_bytes = model.read_bytes()
    (workdir / "good.joblib").write_bytes(model_bytes)  # the big file's model (see main)

    for i, (name, data) in enumerate(cases_tag):
        suffix = {"html": ".html", "docx": ".docx"}.get(name.split()[0], ".txt")
        path = workdir / f"article{i}{suffix}"
        path.write_bytes(data)
        out = workdir / "out.json"
        out.write_text('["previous"]', encoding="utf-8")
        result = runner.invoke(
            app, ["tag", str(path), "-m", str(model), "-f", "json", "-o", str(out)]
        )
        verdict = classify(result)
        counts[f"tag {verdict}"] += 1
        try:
            parsed = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            parsed = None
        if parsed is None or (verdict != "ok" and parsed != ["previous"]):
            counts["output lost or corrupted"] += 1
            problems.append(f"tag output: {name}")
        if verdict == "crash":
            problems.append(f"tag crash: {name}: {result.exception!r}")
    # several inputs at once, one of them bad: the others are still tagged
    folder = workdir / "many"
    folder.mkdir()
    for i in range(2000):
        (folder / f"{i:04d}.txt").write_text(GOOD[i % 4], encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01binary")
    result = runner.invoke(
        app, ["tag", str(folder), str(workdir / "missing.txt"), "-m", str(model), "-f", "jsonl"]
    )
    lines = [line for line in result.output.splitlines() if line.startswith("{")]
    verdict = classify(result)
    counts[f"tag {verdict}"] += 1
    if not (
        verdict == "clear error" and len(lines) == 2000 and "2 input(s) failed" in result.output
    ):
        problems.append("directory with 2000 files and two bad inputs")

    for i, (name, suffix, data) in enumerate(cases_train):
        path = workdir / f"data{i}{suffix}"
        path.write_bytes(data)
        result = runner.invoke(app, ["train", str(path), "-o", str(model), "--test-size", "0"])
        verdict = classify(result)
        counts[f"train {verdict}"] += 1
        if verdict != "ok" and model.read_bytes() != model_bytes:
            counts["output lost or corrupted"] += 1
            problems.append(f"train changed the model on failure: {name}")
        try:
            load_model(model)
        except Exception as exc:
            counts["output lost or corrupted"] += 1
            problems.append(f"model unreadable after {name}: {exc}")
        if verdict == "ok":
            model_bytes = model.read_bytes()
        if verdict == "crash":
            problems.append(f"train crash: {name}: {result.exception!r}")
    return {"counts": dict(counts), "problems": problems}


def big_file(workdir: Path, megabytes: int, model: Path) -> dict:
    path = workdir / "big.txt"
    block = ("标题：云计算变局\n\n" + "\n\n".join(GOOD) + "\n\n\n").encode()
    with open(path, "wb") as handle:
        for _ in range(megabytes * (1 << 20) // len(block)):
            handle.write(block)
    out = workdir / "big.jsonl"
    # The peak is the child's VmHWM: its ru_maxrss would start from this (much larger) process's
    # resident size, which Linux carries over through fork and exec.
    code = (
        "import re, sys; from pathlib import Path; from tagger.cli import app\n"
        "try:\n    app(sys.argv[1:], prog_name='tagger')\n"
        "except SystemExit as e:\n"
        "    hwm = re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text()).group(1)\n"
        "    print('exit', e.code, 'peak_kib', hwm, file=sys.stderr); raise\n"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "tag",
            str(path),
            "-m",
            str(model),
            "-f",
            "jsonl",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - start
    peak = next((line.split()[-1] for line in done.stderr.splitlines() if "peak_kib" in line), "?")
    segments = len(out.read_text(encoding="utf-8").splitlines()) if out.exists() else 0
    return {
        "megabytes": round(path.stat().st_size / (1 << 20), 1),
        "exit": done.returncode,
        "seconds": round(seconds, 1),
        "peak_mib": round(int(peak) / 1024, 1) if peak != "?" else None,
        "segments": segments,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--big-mb", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "bad_inputs.md")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        os.environ["TAGGER_HOME"] = str(workdir / "home")
        tag_cases, train_cases = text_cases(rng), data_cases(rng)
        tag_cases += html_cases(rng) + docx_cases(rng)
        start = time.perf_counter()
        result = run(tag_cases, train_cases, workdir)
        result["seconds"] = round(time.perf_counter() - start, 1)
        result["big"] = (
            big_file(workdir, args.big_mb, workdir / "good.joblib") if args.big_mb else None
        )
    counts = result["counts"]
    tried = sum(v for k, v in counts.items() if k.startswith(("tag ", "train ")))
    crashes = counts.get("tag crash", 0) + counts.get("train crash", 0)
    errors = counts.get("tag clear error", 0) + counts.get("train clear error", 0)
    lost = counts.get("output lost or corrupted", 0)
    lines = [
        "# Bad inputs",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} with `.venv/bin/python bench/bad_inputs.py --seed {args.seed} --big-mb {args.big_mb}`",
        f"(cases generated from seed {args.seed}; {result['seconds']} s).",
        "",
        "| cases tried | handled (exit 0) | clear errors (exit 1) | crashes | outputs lost or corrupted |",
        "|---|---|---|---|---|",
        f"| {tried} | {tried - errors - crashes} | {errors} | {crashes} | {lost} |",
        "",
        "By command: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())),
    ]
    if result["big"]:
        big = result["big"]
        lines += [
            "",
            f"A {big['megabytes']} MB article file (`tagger tag big.txt -f jsonl -o out.jsonl`): exit {big['exit']}, "
            f"{big['segments']} segments in {big['seconds']} s, peak memory {big['peak_mib']} MiB (streamed in chunks).",
        ]
    if result["problems"]:
        lines += ["", "Problems:", *(f"- {p}" for p in result["problems"][:50])]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    sys.exit(1 if crashes or lost else 0)


if __name__ == "__main__":
    main()
