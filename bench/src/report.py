#!/usr/bin/python3
"""Turns the benchmark's manifests into Markdown tables (stdout).

Usage: report.py INPUTS.tsv BENCH.tsv
  INPUTS.tsv: key, title, description            (one line per input, in order)
  BENCH.tsv:  key, tool, invocation, hyperfine JSON, exit code, peak RSS (KiB)
The first row of an input whose tool is "whichbase" is the ratio's denominator.
"""
import json
import sys


def decimals(x):
    """Digits after the point for a time in ms: about three significant digits."""
    if x < 10:
        return 2
    if x < 1000:
        return 1
    return 0


def fmt_ms(x, nd=None):
    return f"{x:.{decimals(x) if nd is None else nd}f}"


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def result(jpath):
    """The one result of a hyperfine JSON export."""
    with open(jpath, encoding="utf-8") as f:
        return json.load(f)["results"][0]


def main():
    inputs = read_tsv(sys.argv[1])
    rows = read_tsv(sys.argv[2])
    out = []
    for key, title, desc in inputs:
        mine = [r for r in rows if r[0] == key]
        if not mine:
            continue
        stats = []
        for _, tool, inv, jpath, code, rss in mine:
            stats.append((tool, inv, result(jpath), code, rss))
        base = next((s[2]["mean"] for s in stats if s[0] == "whichbase"), None)
        out.append(f"### {title}\n")
        out.append(f"{desc}\n")
        out.append("| Tool | Invocation | Mean ± σ (ms) | Min (ms) | Runs | Ratio to whichbase | Peak RSS (MiB) | Exit |")
        out.append("|---|---|---:|---:|---:|---:|---:|---:|")
        for tool, inv, res, code, rss in stats:
            mean = res["mean"] * 1000
            sd = (res.get("stddev") or 0.0) * 1000
            mn = res["min"] * 1000
            runs = len(res.get("times", []))
            if tool == "whichbase":
                ratio = "1.00 (baseline)"
            elif base:
                ratio = f"{res['mean'] / base:.2f}"
            else:
                ratio = "n/a"
            rss_s = f"{int(rss) / 1024:.1f}" if rss.isdigit() else rss
            code_s = code if code == "0" else f"{code} (ignored)"
            out.append(
                f"| {tool} | `{inv}` | {fmt_ms(mean)} ± {fmt_ms(sd, decimals(mean))} | {fmt_ms(mn)} | {runs} "
                f"| {ratio} | {rss_s} | {code_s} |"
            )
        out.append("")
    out.extend(beyond_startup(inputs, rows))
    print("\n".join(out))


# The one-file tools whose start-up row (tool name in the "startup" input) is subtracted.
STARTUP_OF = {"whichbase": "whichbase", "readelf -d": "readelf", "libtree": "libtree", "scanelf -n": "scanelf"}


def beyond_startup(inputs, rows):
    """A table of each one-file time less its tool's start-up (the "startup" input)."""
    def mean_ms(jpath):
        return result(jpath)["mean"] * 1000

    startup = {r[1]: mean_ms(r[3]) for r in rows if r[0] == "startup"}
    if "whichbase" not in startup:
        return []
    tools = [t for t in STARTUP_OF if STARTUP_OF[t] in startup]
    out = ["### What each tool spends on the file, beyond its start-up\n",
           "Mean on the file less the mean of the same tool's start-up row above (ms). "
           "Means of separate hyperfine runs: differences below about 0.05 ms are noise.\n",
           "| Input | " + " | ".join(tools) + " |",
           "|---|" + "---:|" * len(tools)]
    for key, title, _ in inputs:
        if key in ("startup", "usrbin", "usrlib", "usr"):
            continue
        cells = []
        for t in tools:
            r = next((r for r in rows if r[0] == key and r[1] == t), None)
            # A difference below 0.005 ms prints as 0.00, not -0.00.
            cells.append(f"{mean_ms(r[3]) - startup[STARTUP_OF[t]]:.2f}".replace("-0.00", "0.00") if r else "")
        if any(cells):
            out.append(f"| {title.split(':')[0]} | " + " | ".join(cells) + " |")
    out.append("")
    return out


if __name__ == "__main__":
    main()
