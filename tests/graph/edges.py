"""Resource-to-resource references of CloudFormation templates, as
cfn-lint's template graph (`cfnlint.graph`) reads them: for each file
given, a JSON object {file, edges: [[from, to], ...], error}.

Edges are `Ref` and `Fn::GetAtt` (`Fn::Sub` variables included) from a
resource's `Properties` to another resource; `DependsOn` is an order, not a
use, and is left out. Run by tests/import_graph.rs.
"""

import json
import sys

from cfnlint.decode import decode
from cfnlint.template import Template


def edges(path):
    tpl, matches = decode(path)
    if tpl is None:
        return None, "; ".join(str(m) for m in matches) or "not decoded"
    template = Template(path, tpl, ["us-east-1"])
    graph = template.graph.graph
    resources = set(tpl.get("Resources", {}) or {})
    out = set()
    for a, b, data in graph.edges(data=True):
        if a not in resources or b not in resources or a == b:
            continue
        if data.get("label") not in ("Ref", "GetAtt"):
            continue
        paths = data.get("source_paths") or []
        if paths and paths[0] != "Properties":
            continue
        out.add((a, b))
    return sorted(out), None


def main():
    results = []
    for path in sys.argv[1:]:
        try:
            found, error = edges(path)
        except Exception as e:  # a template cfn-lint cannot read is reported, not fatal
            found, error = None, f"{type(e).__name__}: {e}"
        results.append({"file": path, "edges": found, "error": error})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
