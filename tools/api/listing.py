#!/usr/bin/env python3
"""The public API of the archpolicy library, one item a line, from rustdoc's
JSON (`RUSTC_BOOTSTRAP=1 cargo rustdoc --lib -- -Z unstable-options
--output-format json`, as .ci/run runs it on the stable toolchain). Lines are `kind path`: the items a user can name from the crate root,
their public fields and variants, their inherent methods, and the traits
implemented for them. `--count` prints the counts instead (docs/performance.md).
`--missing-examples` prints instead the items whose documentation has no
``` example (functions, methods, structs, enums, traits, type aliases,
constants; fields and variants are shown by their type's example), and exits
1 if there is any (issue 27: every public item has a doc example that runs).

Usage: python3 tools/api/listing.py target/doc/archpolicy.json [--count | --missing-examples]
"""
import json
import re
import sys

# A doc example: a fenced block Rust runs or at least compiles (no info
# string, or only rustdoc's own attributes); ```text or ```ignore is none.
RUST_FENCE = re.compile(r"^\s*```(?P<info>[^`\n]*)$", re.M)
RUST_ATTRS = {"", "rust", "no_run", "should_panic", "compile_fail"}


def has_example(docs):
    for fence in RUST_FENCE.finditer(docs):
        info = {a.strip() for a in fence["info"].split(",")}
        if all(a in RUST_ATTRS or a.startswith("edition") for a in info):
            return True
    return False


def main():
    doc = json.load(open(sys.argv[1]))
    index = doc["index"]
    root = index[str(doc["root"])]
    lines = set()
    named = 0
    # The items that should show an example, and the docs of each.
    documented = []
    example_kinds = ("function", "struct", "enum", "trait", "type_alias", "constant", "static")

    def note(k, path, it):
        if k in example_kinds:
            documented.append((f"{k} {path}", it.get("docs") or ""))

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
                        note(kind(m), f"{path}::{m['name']}", m)
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
            note(k, path, it)
            named += 1
            if k in ("struct", "enum", "union"):
                members(it, path)

    walk(root, root["name"])
    if "--missing-examples" in sys.argv:
        # Two impl blocks may give a name twice (`Failure::reports`): each needs one.
        missing = sorted({line for line, docs in documented if not has_example(docs)})
        for line in missing:
            print(line)
        if missing:
            print(
                f"{len(missing)} of {len({line for line, _ in documented})} public items have no doc example: "
                "add a ``` block that runs to each one's doc comment (docs/embedding.md)",
                file=sys.stderr,
            )
            sys.exit(1)
    elif "--count" in sys.argv:
        print(f"named items: {named}; with fields, variants, methods and trait impls: {len(lines)}")
    else:
        print("\n".join(sorted(lines)))


main()
