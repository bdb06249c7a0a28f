#!/usr/bin/python3
"""deploy/kubernetes/check.py FILE... — checks Kubernetes manifests against
the API's own models, those of the Kubernetes Python client (Debian:
python3-kubernetes): every field a field of its object, of its type, and
every required field present (the models refuse a None where the API
requires a value). Prints the objects as JSON, one a line, for tests to
read what the pods run; exits 1 with one line per error.

yamllint checks the YAML itself; this checks what Kubernetes would read.
"""
import json
import re
import sys

import yaml
from kubernetes import client

KINDS = {
    ("v1", "ConfigMap"): "V1ConfigMap",
    ("batch/v1", "Job"): "V1Job",
}


def check(value, typ, path, errors):
    """Walks value as the model type typ (a name of openapi_types)."""
    if value is None:
        return
    m = re.fullmatch(r"list\[(.+)\]", typ)
    if m:
        if not isinstance(value, list):
            errors.append(f"{path}: a list, not {type(value).__name__}")
            return
        for i, v in enumerate(value):
            check(v, m.group(1), f"{path}[{i}]", errors)
        return
    m = re.fullmatch(r"dict\(str, (.+)\)", typ)
    if m:
        if not isinstance(value, dict):
            errors.append(f"{path}: a map, not {type(value).__name__}")
            return
        for k, v in value.items():
            check(v, m.group(1), f"{path}.{k}", errors)
        return
    simple = {"str": str, "int": int, "bool": bool, "float": (int, float)}
    if typ in simple:
        # YAML reads 3 as an int: a str field must be quoted ("3").
        if not isinstance(value, simple[typ]) or (typ == "int" and isinstance(value, bool)):
            errors.append(f"{path}: want {typ}, have {type(value).__name__} {value!r}")
        return
    if typ == "object":
        return
    model = getattr(client, typ)
    if not isinstance(value, dict):
        errors.append(f"{path}: want an object {typ}, have {type(value).__name__}")
        return
    fields = {json_name: attr for attr, json_name in model.attribute_map.items()}
    for k, v in value.items():
        if k not in fields:
            errors.append(f"{path}.{k}: no such field of {typ}")
            continue
        check(v, model.openapi_types[fields[k]], f"{path}.{k}", errors)


def main(paths):
    errors = []
    api = client.ApiClient()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
        if not docs:
            errors.append(f"{path}: no object")
        for i, doc in enumerate(docs):
            where = f"{path}#{i + 1}"
            key = (doc.get("apiVersion"), doc.get("kind"))
            if key not in KINDS:
                errors.append(f"{where}: unknown apiVersion/kind {key}")
                continue
            before = len(errors)
            check(doc, KINDS[key], where, errors)
            if len(errors) > before:
                continue
            try:
                # The models' constructors refuse a missing required field.
                api._ApiClient__deserialize(doc, KINDS[key])
            except (ValueError, TypeError) as e:
                errors.append(f"{where}: {e}")
                continue
            print(json.dumps(doc, sort_keys=True))
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
