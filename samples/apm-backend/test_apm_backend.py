"""Starts the APM backend on a free loopback port, asks it about the demo dump and checks its
figures against the CLI's report of the same dump; then a missing dump (422) and no dump (400).
usage: test_apm_backend.py JAVA CLASSPATH JNI_LIBRARY HEAPSCOPE_CLI DUMP"""

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

java, classpath, jni, cli, dump = sys.argv[1:6]
server = subprocess.Popen([java, f"-Dheapscope.jni={jni}", "-cp", classpath,
                           "dev.heapscope.apm.ApmBackend", "0"],
                          stdout=subprocess.PIPE, text=True)
try:
    line = server.stdout.readline()
    assert line.startswith("listening on "), line
    base = f"http://127.0.0.1:{int(line.split()[-1])}/analyze"

    def get(query):
        try:
            with urllib.request.urlopen(base + query, timeout=240) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    status, answer = get("?dump=" + urllib.parse.quote(dump))
    assert status == 200, (status, answer)
    cli_run = subprocess.run([cli, "analyze", "-q", "--format", "json", dump],
                             capture_output=True, text=True, check=False)
    assert cli_run.returncode in (0, 1), cli_run.stderr
    report = json.loads(cli_run.stdout)
    assert answer["dump"] == dump
    assert answer["verdict"] == report["verdict"], answer["verdict"]
    for key in ("registered", "pending", "being_finalized", "held_only_count", "held_only_bytes"):
        assert answer["finalizer"][key] == report["finalizer"][key], key
    assert len(answer["timers"]) == len(report["timers"]) >= 1
    for got, want in zip(answer["timers"], report["timers"]):
        assert got["queue_size"] == want["queue_size"]
        assert got["cancelled_tasks"] == want["tasks"]["cancelled"]
        assert got["held_only_bytes"] == want["held_only_bytes"]
    # The demo: PgTimerLeak's 2000 cancelled statement-timeout tasks.
    assert answer["timers"][0]["cancelled_tasks"] == 2000, answer["timers"][0]

    status, answer = get("?dump=/nonexistent.hprof")
    assert status == 422 and answer["error"]["code"] == 3, (status, answer)
    status, answer = get("")
    assert status == 400 and answer["error"]["code"] == 2, (status, answer)
    print("apm-backend: figures equal the CLI report; errors 422 and 400: ok")
finally:
    server.terminate()
    server.wait(timeout=30)
