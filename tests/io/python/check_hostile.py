"""Checks exported files whose names are hostile against the same model exported with plain names.

Reads JSON lines on stdin, one file each: {"id", "lang": "python" | "json", "ref", "role":
"benign" | "hostile", "code", "doc": the start the module docstring must have (or null),
"names": strings that must each be the value of some `name=` argument or JSON "name"}.
A benign file (plain names n0, n1, ...) is the reference for the hostile files with the same
"ref". Prints {"checked": n, "failed": n, "failures": [{"id", "why"}] (the first 20)}.
Nothing is executed: files are only parsed, with ast and json.

A hostile Python file passes when it is valid UTF-8 without NUL bytes, parses, and its syntax
tree equals the reference's once string constants are blanked and the identifiers inside the
model (class Model, def build_model: locals, arguments, self.<attribute>) are renamed in order
of first appearance (method names too): so a name added no statement, call, operator or
import, and no layer's identifier merged with another name (a layer called `torch` or
`forward` would). Whatever a name brings is therefore inside a string or a comment. Where
PyTorch is installed, class Model must also assign no attribute of torch.nn.Module
(`self.training = ...` merges with nothing in the file, but breaks the module). Its docstring must start with "doc",
and every string of "names" must be a `name=` value (Keras layer names are the user's, exactly).

For speed, the top-level statements a file shares word for word with the end of its reference
(the training loop, build_model) are not parsed again: the rest must parse as a complete
module, which leaves the tokenizer where a fresh file starts, so the shared text means what it
means in the reference. A top-level statement whose text equals the reference's at the same
place (the helpers) has the reference's tree: a statement parses the same wherever it stands.
"""
import ast
import json
import sys

_module_attributes = []


def module_attributes():
    """dir(torch.nn.Module()), or None without PyTorch; imported on first use (only PyTorch files need it)."""
    if not _module_attributes:
        try:
            import torch

            _module_attributes.append(set(dir(torch.nn.Module())))
        except ImportError:
            _module_attributes.append(None)
    return _module_attributes[0]

SCOPES = {"Model", "build_model"}


def rename_scope(scope):
    table = {}

    def token(name):
        if name not in table:
            table[name] = f"v{len(table)}"
        return table[name]

    nodes = list(ast.walk(scope))
    self_attributes = {
        id(n) for n in nodes if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self"
    }
    for n in nodes:
        if isinstance(n, ast.Name):
            n.id = token(n.id)
        elif isinstance(n, ast.arg):
            n.arg = token(n.arg)
        elif isinstance(n, ast.Attribute) and id(n) in self_attributes:
            n.attr = token(n.attr)
        elif isinstance(n, ast.FunctionDef) and n is not scope:
            n.name = token(n.name)


def canonical(statement):
    """One top-level statement with its strings blanked and the model's identifiers renamed."""
    for node in ast.walk(statement):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = "S"
    if isinstance(statement, (ast.ClassDef, ast.FunctionDef)) and statement.name in SCOPES:
        rename_scope(statement)
    return ast.dump(statement)


def module_attributes_taken(statement):
    """The attributes of torch.nn.Module that class Model assigns (self.forward = ..., self.training = ...)."""
    if not (isinstance(statement, ast.ClassDef) and statement.name == "Model") or module_attributes() is None:
        return []
    return sorted(
        {
            t.attr
            for n in ast.walk(statement)
            if isinstance(n, ast.Assign)
            for t in n.targets
            if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"
        }
        & module_attributes()
    )


def call_names(tree):
    return {
        k.value.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        for k in n.keywords
        if k.arg == "name" and isinstance(k.value, ast.Constant)
    }


def parse(code):
    code.encode("utf-8")  # a lone surrogate cannot be written as UTF-8
    return compile(code, "<export>", "exec", ast.PyCF_ONLY_AST)  # refuses NUL bytes


def statements(code, tree):
    """Each top-level statement's text, from its first line (decorators included) to its last."""
    lines = code.splitlines(keepends=True)
    starts = [min([s.lineno] + [d.lineno for d in getattr(s, "decorator_list", [])]) for s in tree.body]
    return starts, ["".join(lines[start - 1 : s.end_lineno]) for start, s in zip(starts, tree.body)]


def reference_summary(code):
    tree = parse(code)
    starts, texts = statements(code, tree)
    lines = code.splitlines(keepends=True)
    tails = [("".join(lines[start - 1 :]), i) for i, start in enumerate(starts)]
    return {"shape": [canonical(s) for s in tree.body], "texts": texts, "tails": tails}


def python_summary(code, reference):
    """The file's canonical statements. What it shares with the reference word for word is not
    parsed again (a shared end) or not canonicalised again (a statement with the same text)."""
    code.encode("utf-8")
    shared = []
    for tail, index in reference["tails"] if reference else []:
        prefix = code[: len(code) - len(tail)]
        if code.endswith(tail) and (prefix == "" or prefix.endswith("\n")):
            shared = reference["shape"][index:]
            code = prefix
            break
    tree = parse(code)
    doc = tree.body[0].value.value if tree.body and isinstance(tree.body[0], ast.Expr) else None
    texts = statements(code, tree)[1]
    known = reference["texts"] if reference else []
    shape, names, taken = [], set(), []
    for i, (statement, text) in enumerate(zip(tree.body, texts)):
        if i < len(known) and text == known[i]:
            shape.append(reference["shape"][i])
        else:
            names |= call_names(statement)
            taken += module_attributes_taken(statement)
            shape.append(canonical(statement))
    return {"shape": shape + shared, "doc": doc, "names": names, "taken": taken}


def json_names(value, found):
    """Every "name" value in Keras JSON: the model's and each layer's."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "name" and isinstance(v, str):
                found.add(v)
            json_names(v, found)
    elif isinstance(value, list):
        for v in value:
            json_names(v, found)
    return found


def blank(value):
    if isinstance(value, dict):
        return {k: blank(v) for k, v in value.items()}
    if isinstance(value, list):
        return [blank(v) for v in value]
    return "S" if isinstance(value, str) else value


def json_summary(code):
    code.encode("utf-8")
    data = json.loads(code)
    return {"shape": json.dumps(blank(data)), "doc": None, "names": json_names(data, set())}


def why_not(job, summary, reference):
    if reference is None:
        return "no reference file"
    if summary.get("taken"):
        return f"class Model assigns attributes of torch.nn.Module: {summary['taken']!r}"
    if summary["shape"] != reference["shape"]:
        return "the structure differs from the plain-named export's"
    if job.get("doc") is not None and not (summary["doc"] or "").startswith(job["doc"]):
        return f"docstring {summary['doc']!r} does not start with {job['doc']!r}"
    missing = [n for n in job.get("names", []) if n not in summary["names"]]
    if missing:
        return f"names missing from name= / JSON: {missing!r}"
    return None


def main():
    references = {}
    failures = []
    checked = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            if job["lang"] == "json":
                summary = json_summary(job["code"])
            elif job["role"] == "benign":
                summary = reference_summary(job["code"])
            else:
                summary = python_summary(job["code"], references.get(job["ref"]))
        except Exception as e:  # SyntaxError, ValueError (NUL), UnicodeEncodeError (lone surrogate), JSON errors
            failures.append({"id": job["id"], "why": f"{type(e).__name__}: {e}"})
            continue
        if job["role"] == "benign":
            references[job["ref"]] = summary
            continue
        checked += 1
        why = why_not(job, summary, references.get(job["ref"]))
        if why:
            failures.append({"id": job["id"], "why": why})
    report = {"checked": checked, "failures": failures[:20], "failed": len(failures)}
    json.dump({**report, "torch": bool(_module_attributes and _module_attributes[0] is not None)}, sys.stdout)


main()
