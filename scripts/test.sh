#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, N failed[, N skipped]", totalled over all projects.
# The unit projects first, with no server; then the integration project against an instance of the real servers of its
# own (topology/local.topology on other ports and folders, never the dev one of scripts/up.sh), which is destroyed at
# the end, also when the run fails or is interrupted. Chromium (the browser tests) is installed before that project.
set -uo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT_DIR"
RESULTS="$ROOT_DIR/.artifacts/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# The integration tests' servers (tests/Integration.Tests/Infrastructure/RealServers.cs starts them under this name).
export PAYMENTS_INSTANCE="it-$$"
destroy_servers() { "$ROOT_DIR/scripts/services.sh" destroy >/dev/null 2>&1 || true; }
trap destroy_servers EXIT
trap 'exit 130' INT TERM

# promtool: the rules checks of K8s.Tests.
"$ROOT_DIR/scripts/promtool.sh" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
if ! dotnet build Payments.sln -c Release -nologo -v quiet; then
    echo "build failed"
    echo "0 passed, 1 failed"
    exit 1
fi

status=0
run_project() {
    local project="$1" name
    name="$(basename "$project" .csproj)"
    echo "== $name"
    dotnet test "$project" -c Release --no-build -nologo \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
        --results-directory "$RESULTS" || status=1
}

for project in tests/*/*.csproj; do
    [[ "$project" == tests/Integration.Tests/* ]] || run_project "$project"
done
if "$ROOT_DIR/scripts/browser.sh" >/dev/null; then
    PAYMENTS_PORT_OFFSET=auto run_project tests/Integration.Tests/Integration.Tests.csproj
else
    echo "no Chromium for the browser tests: Integration.Tests not run"
fi

# The failed tests are listed (with their message's first line) just above the summary, where a reader of the end
# of the output finds them; the counts go to the summary line.
python3 - "$RESULTS" "$RESULTS/counts" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    root = ET.parse(path).getroot()
    counters = root.find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
    for result in root.iterfind("t:Results/t:UnitTestResult", ns):
        if result.get("outcome") in ("Passed", "NotExecuted"):
            continue
        message = (result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip().splitlines() or [""])[0]
        print(f"FAILED {result.get('testName')} ({result.get('outcome')}): {message[:300]}")
open(sys.argv[2], "w").write(f"{passed} {failed} {skipped}\n")
PY
read -r passed failed skipped < "$RESULTS/counts" || { echo "the test results could not be read"; echo "0 passed, 1 failed"; exit 1; }
trx_count=$(ls "$RESULTS"/*.trx 2>/dev/null | wc -l)
project_count=$(ls tests/*/*.csproj | wc -l)
if [[ "$trx_count" -ne "$project_count" ]]; then
    echo "only $trx_count of $project_count test projects reported results"
    failed=$((failed + project_count - trx_count))
fi
[[ "$failed" -gt 0 ]] && status=1
summary="$passed passed, $failed failed"
[[ "$skipped" -gt 0 ]] && summary="$summary, $skipped skipped"
echo "$summary"
exit "$status"
