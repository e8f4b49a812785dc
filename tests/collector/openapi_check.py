#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""ctest collector_openapi: docs/openapi.yaml parses as YAML, is OpenAPI 3,
and describes every route of the collector's dispatch table (printed by
print_api_routes) with that method, and no route the table lacks.

usage: openapi_check.py PRINT_API_ROUTES OPENAPI_YAML"""
import subprocess
import sys

import yaml


def main():
    routes_bin, spec_path = sys.argv[1], sys.argv[2]
    out = subprocess.run([routes_bin], check=True, capture_output=True, text=True).stdout
    routes = {tuple(line.split(" ", 1)) for line in out.splitlines() if line}
    if not routes:
        sys.exit("FAIL: the route table is empty")
    with open(spec_path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    if not str(spec.get("openapi", "")).startswith("3."):
        sys.exit("FAIL: %s is not OpenAPI 3" % spec_path)
    documented = set()
    for path, ops in (spec.get("paths") or {}).items():
        for method in ops:
            if method.lower() in ("get", "post", "put", "delete", "patch"):
                documented.add((method.upper(), path))
    missing = sorted(routes - documented)
    extra = sorted(documented - routes)
    if missing:
        sys.exit("FAIL: routes not in %s: %s" % (spec_path, missing))
    if extra:
        sys.exit("FAIL: %s describes routes the collector lacks: %s" % (spec_path, extra))
    for method, path in sorted(routes):
        op = spec["paths"][path][method.lower()]
        if "200" not in op.get("responses", {}):
            sys.exit("FAIL: %s %s: no 200 response" % (method, path))
    print("ok: %d routes, all in %s" % (len(routes), spec_path))


if __name__ == "__main__":
    main()
