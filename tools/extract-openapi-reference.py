#!/usr/bin/env python3
"""Copies, from the original's OpenAPI document, the operations this server also serves and the
components they reference, into embedded-server/src/main/resources/openapi/reference.json.
The server merges that file with what its router knows. Re-run when routes are added:
  python3 tools/extract-openapi-reference.py ../shared/reference/appstrate-openapi.json tools/openapi-operations.txt \
    > embedded-server/src/main/resources/openapi/reference.json"""
import json, sys

src = json.load(open(sys.argv[1]))
ops = [l.strip() for l in open(sys.argv[2]) if l.strip() and not l.startswith('#')]
out_ops = {}
refs = set()

def walk(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == '$ref' and isinstance(v, str) and v.startswith('#/components/'):
                refs.add(v)
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)

for op in ops:
    method, path = op.split(' ', 1)
    o = src['paths'].get(path, {}).get(method.lower())
    if o is None:
        continue
    keep = {k: o[k] for k in ('operationId', 'tags', 'summary', 'description', 'requestBody', 'responses') if k in o}
    keep['parameters'] = [p for p in o.get('parameters', [])
                          if p.get('$ref') not in ('#/components/parameters/XOrgId',)]
    out_ops[op] = keep
    walk(keep)

components = {}
seen = set()
while refs - seen:
    for r in sorted(refs - seen):
        seen.add(r)
        _, _, kind, name = r.split('/', 3)
        node = src['components'][kind][name]
        components.setdefault(kind, {})[name] = node
        walk(node)

json.dump({'source': 'Appstrate OpenAPI 3.1 (apps/api/src/openapi/baseline.json), operations this server serves',
           'operations': out_ops, 'components': components}, sys.stdout, indent=1, sort_keys=True)
