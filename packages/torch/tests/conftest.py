"""Puts the package on sys.path and writes ``.vitest-report.json`` (the counts tooling/scripts/test-summary.mjs
adds up for the monorepo's test run) when the session ends."""
import json
import os
import sys

PACKAGE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
ROOT = os.path.abspath(os.path.join(PACKAGE, "..", ".."))
FIXTURES = os.path.join(ROOT, "packages", "interop", "fixtures")
sys.dont_write_bytecode = True  # no __pycache__ in packages/models/bench
sys.path[:0] = [PACKAGE, os.path.join(PACKAGE, "scripts"), os.path.join(ROOT, "packages", "models", "bench")]


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or os.environ.get("LATENTLAB_TORCH_REPORT") != "1":
        return
    count = lambda key: len([r for r in reporter.stats.get(key, []) if getattr(r, "when", "call") == "call"])  # noqa: E731
    errors = len(reporter.stats.get("error", []))
    report = {"numPassedTests": count("passed"), "numFailedTests": count("failed") + errors,
              "numPendingTests": count("skipped") + count("xfailed"), "numTodoTests": 0,
              "success": exitstatus == 0}
    from latentlab_torch.safetensors import write_atomic
    write_atomic(os.path.join(PACKAGE, ".vitest-report.json"), json.dumps(report).encode())
