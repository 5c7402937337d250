//! `openapi-spec-validator` (PyPI) as the judge of the team server's
//! OpenAPI document, and `jsonschema` (which comes with it) of recorded
//! responses against the document's schemas. `scripts/install-snmpsim.sh`
//! installs both into the test venv (`snmpsim_venv`); without them
//! [`openapi_check`] fails naming the script, so tests never skip silently.

use crate::process::io;
use crate::process::venv_script;
use crate::TestkitError;

/// One response as a client received it, to check against the document:
/// the route template (as in the document), method, status and JSON body.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub body: serde_json::Value,
}

/// Validates `spec` (JSON) as an OpenAPI document, then each response's
/// body against the schema the document gives its route, method and status
/// (or the status's `4XX`/`5XX` range). Every mismatch is in the error.
pub fn openapi_check(spec: &str, responses: &[Recorded]) -> Result<(), TestkitError> {
    const SCRIPT: &str = r#"
import json, sys
from openapi_spec_validator import validate
from jsonschema import Draft202012Validator
spec = json.load(open(sys.argv[1]))
validate(spec)
schemas = spec.get("components", {}).get("schemas", {})
def inline(node, seen=()):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref is not None:
            name = ref.rsplit("/", 1)[-1]
            if name in seen:
                raise SystemExit("recursive schema " + name)
            return inline(schemas[name], seen + (name,))
        return {k: inline(v, seen) for k, v in node.items()}
    if isinstance(node, list):
        return [inline(v, seen) for v in node]
    return node
bad = []
for r in json.load(open(sys.argv[2])):
    op = spec["paths"][r["path"]][r["method"].lower()]
    codes = op["responses"]
    resp = codes.get(str(r["status"])) or codes.get(str(r["status"])[0] + "XX")
    where = "%s %s %d" % (r["method"], r["path"], r["status"])
    if resp is None:
        bad.append(where + ": status not in the document")
        continue
    schema = resp.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        bad.append(where + ": no JSON schema for this response")
        continue
    for e in Draft202012Validator(inline(schema)).iter_errors(r["body"]):
        bad.append("%s: %s at %s" % (where, e.message, list(e.absolute_path)))
if bad:
    raise SystemExit("\n".join(bad))
print("ok")
"#;
    let dir = tempfile::tempdir().map_err(|e| io("temp dir", e))?;
    let (spec_file, rec_file) = (dir.path().join("openapi.json"), dir.path().join("responses.json"));
    std::fs::write(&spec_file, spec).map_err(|e| io("write the document", e))?;
    let rec: Vec<serde_json::Value> = responses
        .iter()
        .map(|r| serde_json::json!({"method": r.method, "path": r.path, "status": r.status, "body": r.body}))
        .collect();
    let rec = serde_json::to_vec(&rec).map_err(|e| TestkitError::Peer(format!("encode responses: {e}")))?;
    std::fs::write(&rec_file, rec).map_err(|e| io("write the responses", e))?;
    venv_script("openapi-spec-validator", "the OpenAPI check", SCRIPT, &[spec_file.into(), rec_file.into()])?;
    Ok(())
}
