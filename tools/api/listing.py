#!/usr/bin/env python3
"""The public API of the archpolicy library, one item a line, from rustdoc's
JSON (`RUSTC_BOOTSTRAP=1 cargo rustdoc --lib -- -Z unstable-options
--output-format json`, as .ci/run runs it on the stable toolchain). Lines are `kind path`: the items a user can name from the crate root,
their public fields and variants, their inherent methods, and the traits
implemented for them. `--count` prints the counts instead (docs/performance.md).

Usage: python3 tools/api/listing.py target/doc/archpolicy.json [--count]
"""
import json
import sys


def main():
    doc = json.load(open(sys.argv[1]))
    index = doc["index"]
    root = index[str(doc["root"])]
    lines = set()
    named = 0

    def item(i):
        return index.get(str(i))

    def kind(it):
        return next(iter(it["inner"]))

    def members(it, path):
        inner = it["inner"][kind(it)]
        if kind(it) == "struct":
            fields = inner["kind"].get("plain", {}).get("fields", []) if isinstance(inner["kind"], dict) else []
            for f in fields:
                f = item(f)
                if f and f["visibility"] == "public":
                    lines.add(f"field {path}.{f['name']}")
        if kind(it) == "enum":
            for v in inner["variants"]:
                lines.add(f"variant {path}::{item(v)['name']}")
        for impl_id in inner.get("impls", []):
            impl = item(impl_id)
            if not impl:
                continue
            imp = impl["inner"]["impl"]
            if imp.get("is_synthetic") or imp.get("blanket_impl"):
                continue
            if imp["trait"] is None:
                for m in imp["items"]:
                    m = item(m)
                    if m and m["visibility"] == "public":
                        lines.add(f"{kind(m)} {path}::{m['name']}")
            else:
                lines.add(f"impl {imp['trait']['path']} for {path}")

    def walk(module, prefix):
        nonlocal named
        for i in module["inner"]["module"]["items"]:
            it = item(i)
            if it is None or it["visibility"] != "public":
                continue
            k = kind(it)
            if k == "use":
                use = it["inner"]["use"]
                target = item(use["id"]) if use.get("id") is not None else None
                if target is None:
                    lines.add(f"use {prefix}::{use['name']} = {use['source']}")
                    named += 1
                    continue
                if use.get("is_glob"):
                    walk(target, prefix)
                    continue
                it, k = target, kind(target)
                name = use["name"]
            else:
                name = it["name"]
            path = f"{prefix}::{name}"
            if k == "module":
                lines.add(f"mod {path}")
                named += 1
                walk(it, path)
                continue
            if k == "impl":
                continue
            lines.add(f"{k} {path}")
            named += 1
            if k in ("struct", "enum", "union"):
                members(it, path)

    walk(root, root["name"])
    if "--count" in sys.argv:
        print(f"named items: {named}; with fields, variants, methods and trait impls: {len(lines)}")
    else:
        print("\n".join(sorted(lines)))


main()
