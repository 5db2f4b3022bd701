"""Layer classes for the recording stand-in of `keras` (see __init__.py)."""


def _plain(value):
    if callable(value):
        # A Lambda's function: its code is checked in the source, not run here.
        return "<function>"
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class _Layer:
    class_name = None

    def __init__(self, *args, name=None, **kwargs):
        self.name = name
        self.config = {k: _plain(v) for k, v in kwargs.items()}
        if args:
            self.config["__args__"] = [a.describe() if isinstance(a, _Layer) else _plain(a) for a in args]

    def describe(self):
        return {"class_name": self.class_name, "config": self.config}

    def __call__(self, inputs, *more):
        from . import KerasTensor, RECORD

        # A list is a merge's inputs; further arguments are MultiHeadAttention's value and key.
        tensors = inputs if isinstance(inputs, list) else [inputs, *more]
        record = {"class_name": self.class_name, "name": self.name, "config": self.config, "inputs": [t.record["name"] for t in tensors]}
        RECORD.append(record)
        return KerasTensor(record)


def __getattr__(class_name):
    return type(class_name, (_Layer,), {"class_name": class_name})
