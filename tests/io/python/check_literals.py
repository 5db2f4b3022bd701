"""Reads back what ConvScope writes for Python: string literals, docstring text and identifiers.

Reads JSON lines on stdin: {"text", "literal", "doc", "shown", "identifier"}: the original
string, pyString(text), pyDocText(text), terminalText(text) and pyIdentifier(text). For each,
checks that the literal evaluates to exactly the text, that a docstring holding the docstring
text evaluates to the shown text, and that the identifier is one a model can use: a Python
identifier, no keyword or soft keyword, no builtin, no attribute of torch.nn.Module (when
PyTorch is installed). Nothing is executed but ast.literal_eval. Prints {"checked", "failures"}.
The first line of output, with "--names", is instead the names Python and PyTorch reserve.
"""
import ast
import builtins
import json
import keyword
import sys

try:
    import torch

    MODULE_ATTRIBUTES = set(dir(torch.nn.Module()))
except ImportError:
    MODULE_ATTRIBUTES = None


def reserved():
    return {
        "keywords": keyword.kwlist + keyword.softkwlist,
        "builtins": dir(builtins),
        "module": sorted(MODULE_ATTRIBUTES) if MODULE_ATTRIBUTES is not None else None,
    }


def problem(job):
    literal = job["literal"]
    literal.encode("utf-8")
    if ast.literal_eval(literal) != job["text"]:
        return "the literal reads back as another string"
    doc = ast.parse(f'"""{job["doc"]}"""\n').body[0].value.value
    if doc != job["shown"]:
        return f"the docstring reads {doc!r}, not {job['shown']!r}"
    ident = job["identifier"]
    if not ident.isidentifier() or not ident.isascii():
        return f"{ident!r} is not an ASCII identifier"
    if keyword.iskeyword(ident) or keyword.issoftkeyword(ident) or hasattr(builtins, ident):
        return f"{ident!r} is a keyword or a builtin"
    if MODULE_ATTRIBUTES is not None and ident in MODULE_ATTRIBUTES:
        return f"{ident!r} is an attribute of torch.nn.Module"
    return None


def main():
    if "--names" in sys.argv:
        json.dump(reserved(), sys.stdout)
        return
    checked, failures = 0, []
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        checked += 1
        try:
            why = problem(job)
        except Exception as e:
            why = f"{type(e).__name__}: {e}"
        if why:
            failures.append({"text": job["text"], "why": why})
    json.dump({"checked": checked, "failures": failures[:20], "torch": MODULE_ATTRIBUTES is not None}, sys.stdout)


main()
