"""A stand-in for the `keras` package that records what exported Keras code builds.

Only for ConvScope's tests: it checks the structure of generated code where Keras itself is not
installed. Every layer records its class, its arguments and the layers it was called on.
"""
from . import layers

RECORD = []


class KerasTensor:
    def __init__(self, record):
        self.record = record


def Input(shape, name=None):
    record = {"class_name": "InputLayer", "name": name, "config": {"batch_input_shape": [None, *shape]}, "inputs": []}
    RECORD.append(record)
    return KerasTensor(record)


class Model:
    def __init__(self, inputs, outputs, name=None):
        self.name = name
        self.outputs = [o.record["name"] for o in (outputs if isinstance(outputs, list) else [outputs])]


class Sequential:
    def __init__(self, items, name=None):
        self.name = name
        previous = None
        for item in items:
            previous = item if isinstance(item, KerasTensor) else item(previous)
        self.outputs = [previous.record["name"]]
