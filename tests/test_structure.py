"""The code stays readable and language-neutral: short modules and functions, language facts in lang/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "detente"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
CODES = ("ru", "uk", "kk", "en")
# readers of public gold sets that exist only in some languages (BSNLP: ru and uk) name them
GOLD_READERS = {"evaluate"}
_ALTERNATION = re.compile(r"\b(?:ru|uk|kk|en)\|(?:ru|uk|kk|en)\b")


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_over_400_lines() -> None:
    long = {str(p.relative_to(SRC)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_over_60_lines() -> None:
    long = []
    for p in _modules():
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{p.relative_to(SRC)}:{node.lineno} {node.name} ({n} lines)")
    assert long == []


def _code_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """Lists of language codes written out, and comparisons of a language with one code."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            codes = [e.value for e in node.elts if isinstance(e, ast.Constant) and e.value in CODES]
            if len(codes) >= 2:
                found.append((node.lineno, f"list of codes {codes}"))
        elif isinstance(node, ast.Dict):
            codes = [k.value for k in node.keys if isinstance(k, ast.Constant) and k.value in CODES]
            if len(codes) >= 2:
                found.append((node.lineno, f"table keyed by codes {codes}"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _ALTERNATION.search(node.value):
            found.append((node.lineno, f"codes in a pattern {node.value!r}"))
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            lang = any(isinstance(s, ast.Name) and "lang" in s.id for s in sides)
            code = any(isinstance(s, ast.Constant) and s.value in CODES for s in sides)
            if lang and code:
                found.append((node.lineno, "comparison of a language with a code"))
    return found


def test_language_lists_live_in_the_registry() -> None:
    """No module outside ``lang/`` writes out the languages or branches on one of them."""
    found = []
    for p in _modules():
        rel = p.relative_to(SRC)
        if rel.parts[0] in ({"lang"} | GOLD_READERS):
            continue
        found += [f"{rel}:{line} {what}" for line, what in _code_literals(ast.parse(p.read_text()))]
    assert found == []


def test_the_check_sees_a_written_out_list() -> None:
    tree = ast.parse('LANGS = ("ru", "uk", "kk", "en")\nif lang == "kk":\n    P = "^(ru|uk)$"\n')
    assert sorted(what for _, what in _code_literals(tree)) == [
        "codes in a pattern '^(ru|uk)$'", "comparison of a language with a code",
        "list of codes ['ru', 'uk', 'kk', 'en']"]


def test_every_bundled_language_has_its_folder() -> None:
    folders = {p.parent.name for p in (SRC / "lang").glob("*/language.yaml")}
    assert set(CODES) <= folders
    for code in CODES:
        text = (SRC / "lang" / code / "language.yaml").read_text(encoding="utf-8")
        assert re.search(rf"^code: {code}$", text, re.MULTILINE)


def test_extract_does_not_import_the_database_or_web_layers() -> None:
    """`detente extract` needs no store: the CLI imports a command's module only when it runs."""
    import subprocess
    import sys

    code = ("import sys; from detente.cli import cli; cli.get_command(None, 'extract'); "
            "print(sorted(m for m in ('sqlalchemy', 'fastapi', 'uvicorn', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
