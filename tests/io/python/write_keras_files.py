"""Writes Keras model files with h5py and zipfile, laid out exactly as Keras writes them.

Input (JSON on stdin): {"out": path, "format": "h5" | "keras" | "weights-h5",
"config": the model's JSON config (object), "configAsStr": write model_config as str instead of bytes,
"layers": [{"name", "className", "weights": [{"name", "shape", "values"}]}]}.

- "h5": Keras 2's `model.save("m.h5")` (keras/saving/hdf5_format.py, save_model_to_hdf5): root
  attributes keras_version, backend, model_config (JSON, utf-8 bytes); group model_weights with
  attributes layer_names, backend, keras_version; one group per layer with attribute weight_names
  and a dataset per weight at <layer>/<weight name> ("conv1/kernel:0" nests a group conv1).
- "weights-h5": Keras 2's `save_weights("w.h5")`: the same layer groups at the root, no model_config.
- "keras": Keras 3's `model.save("m.keras")` (keras/src/saving/saving_lib.py): a zip holding
  metadata.json, config.json and model.weights.h5, whose variables lie at layers/<name>/vars/<i>
  where <name> is the snake-cased class name, numbered _1, _2 … per class in layer order.
"""
import io
import json
import re
import sys
import zipfile

import h5py
import numpy as np


def array(w):
    values = w.get("values")
    shape = tuple(w["shape"])
    if values is None:
        return np.zeros(shape, dtype="float32")
    return np.asarray(values, dtype="float32").reshape(shape)


def keras2_layers(group, layers):
    group.attrs["layer_names"] = [l["name"].encode("utf8") for l in layers]
    group.attrs["backend"] = b"tensorflow"
    group.attrs["keras_version"] = b"2.11.0"
    for layer in layers:
        g = group.create_group(layer["name"])
        names = [w["name"].encode("utf8") for w in layer["weights"]]
        g.attrs["weight_names"] = names
        for w in layer["weights"]:
            g.create_dataset(w["name"], data=array(w))


def snake(name):
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def keras3_weights(layers):
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        used = {}
        f.create_group("vars")
        for layer in layers:
            name = snake(layer["className"])
            if name in used:
                used[name] += 1
                name = f"{name}_{used[name]}"
            else:
                used[name] = 0
            g = f.create_group(f"layers/{name}/vars")
            for i, w in enumerate(layer["weights"]):
                g.create_dataset(str(i), data=array(w))
        f.create_group("optimizer/vars")
    return buffer.getvalue()


def main():
    job = json.load(sys.stdin)
    out, fmt, layers = job["out"], job["format"], job["layers"]
    if fmt in ("h5", "weights-h5"):
        with h5py.File(out, "w") as f:
            if fmt == "h5":
                f.attrs["keras_version"] = b"2.11.0"
                f.attrs["backend"] = b"tensorflow"
                text = json.dumps(job["config"])
                f.attrs["model_config"] = text if job.get("configAsStr") else text.encode("utf8")
                keras2_layers(f.create_group("model_weights"), layers)
            else:
                keras2_layers(f, layers)
    else:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("metadata.json", json.dumps({"keras_version": "3.3.3", "date_saved": "2024-05-01@12:00:00"}))
            z.writestr("config.json", json.dumps(job["config"]))
            z.writestr("model.weights.h5", keras3_weights(layers))
    print(json.dumps({"written": out}))


main()
