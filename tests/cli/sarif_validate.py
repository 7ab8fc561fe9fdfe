"""Validates SARIF documents against the published SARIF 2.1.0 schema, for tests/cli/formats.rs.

  sarif_validate.py SCHEMA SHA256 DOC...

Checks that SCHEMA is the expected file (its sha256), then validates each DOC with Debian's
python3-jsonschema (Draft 4, as the schema declares, with format checks). Prints one line per
DOC, `ok DOC` or `invalid DOC: <first errors>`, and exits 0 only when every DOC is valid.
"""
import hashlib
import json
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("python3-jsonschema is missing: apt-get install python3-jsonschema (.ci/run does)")

schema_path, want, *docs = sys.argv[1:]
raw = open(schema_path, "rb").read()
got = hashlib.sha256(raw).hexdigest()
if got != want:
    sys.exit(f"{schema_path}: sha256 {got}, expected {want}: not the published schema")
schema = json.loads(raw)
jsonschema.Draft4Validator.check_schema(schema)
validator = jsonschema.Draft4Validator(
    schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
)
failed = False
for path in docs:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        failed = True
        shown = "; ".join(
            f"{'/'.join(map(str, e.absolute_path)) or '$'}: {e.message}" for e in errors[:5]
        )
        print(f"invalid {path}: {shown}")
    else:
        print(f"ok {path}")
sys.exit(1 if failed else 0)
