#!/usr/bin/env python3
"""Freezes the policies of every earlier release into tests/compat/.

For each commit that changed the language (grammar/, docs/language.md or
policies/), writes tests/compat/<short-commit>/ with:
  policies/*.policy         the standard pack of that commit (checked together)
  docs/<doc>.md.<n>.policy  each ```policy example of docs/*.md (checked alone)
  examples/*.arch.yaml      the example proposals of that commit
The verdicts (verdicts.txt) are written by the test, see tests/compat.rs.
Run from the repository's root: python3 tests/compat/extract.py
"""
import os, re, subprocess

def git(*args):
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout

commits = git("log", "--format=%H", "--", "grammar/", "docs/language.md", "policies/").split()
for full in commits:
    short = full[:8]
    out = os.path.join("tests", "compat", short)
    files = git("ls-tree", "-r", "--name-only", full).split("\n")
    for path in files:
        wanted = None
        if path.startswith("policies/") and path.endswith(".policy"):
            wanted = [(path, git("show", f"{full}:{path}"))]
        elif path.startswith("examples/") and path.endswith(".arch.yaml") and "/imported/" not in path:
            wanted = [("examples/" + path[len("examples/"):].replace("/", "--"), git("show", f"{full}:{path}"))]
        elif path.startswith("docs/") and path.endswith(".md"):
            text = git("show", f"{full}:{path}")
            blocks = re.findall(r"^```policy\n(.*?)^```", text, re.S | re.M)
            wanted = [(f"docs/{os.path.basename(path)}.{i}.policy", b) for i, b in enumerate(blocks)]
        for name, text in wanted or []:
            target = os.path.join(out, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w") as f:
                f.write(text)
    print(short)
