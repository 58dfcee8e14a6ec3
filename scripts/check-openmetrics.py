#!/usr/bin/python3
"""Validates OpenMetrics text with the reference parser of the Prometheus Python client
(Debian python3-prometheus-client): names, labels, escaping, family order, unique label sets,
the closing "# EOF". Usage: check-openmetrics.py FILE... ('-' = stdin) [--expect NAME=VALUE...]
--expect checks that a sample (name plus {labels} as written, e.g. 'x{a="b"}') has that value."""
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families


def sample_key(s):
    labels = ",".join(f'{k}="{v}"' for k, v in s.labels.items())
    return s.name + ("{" + labels + "}" if labels else "")


def main(argv):
    files = [a for a in argv if not a.startswith("--expect")]
    expects = [a.split("=", 1)[1] for a in argv if a.startswith("--expect=")]
    samples = {}
    for path in files:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
        try:
            families = list(text_string_to_metric_families(text))
        except Exception as e:  # the parser raises ValueError with the offending line
            print(f"{path}: not valid OpenMetrics: {e}", file=sys.stderr)
            return 1
        seen = set()
        for line in text.splitlines():  # this parser version lets a repeated label set through
            key = line.rsplit(" ", 1)[0]
            if not line.startswith("#") and key in seen:
                print(f"{path}: the sample {key} appears twice", file=sys.stderr)
                return 1
            seen.add(key)
        count = 0
        for f in families:
            for s in f.samples:
                samples[sample_key(s)] = s.value
                count += 1
        print(f"{path}: {len(families)} families, {count} samples: valid OpenMetrics")
    for e in expects:
        key, want = e.rsplit("=", 1)
        if key not in samples:
            print(f"missing sample {key}", file=sys.stderr)
            return 1
        if float(want) != samples[key]:
            print(f"{key} is {samples[key]}, expected {want}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
