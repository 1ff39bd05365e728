#!/usr/bin/python3
"""Timeline of one sampled transition of an rsc-cluster.sh run.

Usage: rsc-timeline.py KEEP-DIR LABEL [PCAP]

KEEP-DIR is what RSC_KEEP=DIR left (sampler.log, node*.ha-log); LABEL picks
the sampler section ("split brain", "graceful node1 k", ...; the first whose
label contains it).  Prints, with milliseconds since the section started:
each change of state the sampler saw, the resource-related messages in the
capture (PCAP, made with RSC_PCAP) and, per group, how long it ran nowhere
(outage) and on both nodes (double) inside the section.
"""
import os
import subprocess
import sys

GROUPS = {"A": ("vip", "A1", "A2"), "B": ("B1",)}


def section(path, label):
    lines, notes, start, stop, inside = [], [], None, None, False
    with open(path) as f:
        for line in f:
            if line.startswith("# start ") and not inside and label in line:
                inside, start = True, int(line.split()[2])
                continue
            if inside and line.startswith("# stop "):
                stop = int(line.split()[2])
                break
            if inside and " state " in line:
                t, _, rest = line.rstrip("\n").split(" ", 2)
                lines.append((int(t), rest))
            elif inside and " note " in line:
                t, _, rest = line.rstrip("\n").split(" ", 2)
                notes.append((int(t), rest))
    return start, stop, lines, notes


def parse_state(rest):
    """'node1=vip,A1 node2=-' -> {'node1': {'vip','A1'}, 'node2': set()}"""
    out = {}
    for part in rest.split():
        node, _, on = part.partition("=")
        out[node] = set() if on == "-" else set(on.split(","))
    return out


def group_times(start, stop, states):
    """ms each group ran nowhere (in full on no node) / touched both nodes."""
    res = {g: {"outage": 0, "double": 0} for g in GROUPS}
    for i, (t, rest) in enumerate(states):
        end = states[i + 1][0] if i + 1 < len(states) else stop
        st = parse_state(rest)
        for g, members in GROUPS.items():
            full = [n for n, on in st.items() if set(members) <= on]
            touched = [n for n, on in st.items() if on & set(members)]
            if not full:
                res[g]["outage"] += end - t
            if len(touched) > 1:
                res[g]["double"] += end - t
    return res


def main(argv):
    keep, label = argv[1], argv[2]
    pcap = argv[3] if len(argv) > 3 else None
    record = os.path.join(keep, "sampler.log")
    if not os.path.exists(record):
        sys.exit("%s: no sampler.log (run rsc-cluster.sh with RSC_KEEP=DIR)" % keep)
    start, stop, states, notes = section(record, label)
    if start is None:
        sys.exit("no sampler section labelled %r" % label)
    stop = stop or (states[-1][0] if states else start)
    events = [(t, "state " + rest) for t, rest in states]
    events += [(t, "TEST  " + rest) for t, rest in notes]
    if pcap:
        here = os.path.dirname(os.path.abspath(__file__))
        out = subprocess.run([os.path.join(here, "rsc-pcap-summary.py"), pcap,
                              "--since", str(start / 1000), "--until", str(stop / 1000),
                              "--epoch"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            t, rest = line.split(" ", 1)
            events.append((int(float(t) * 1000), "msg   " + rest))
    for t, what in sorted(events):
        print("%+8d ms  %s" % (t - start, what))
    print("section: %d ms" % (stop - start))
    for g, r in group_times(start, stop, states).items():
        print("group %s: nowhere (not complete on any node) %d ms, on both nodes %d ms"
              % (g, r["outage"], r["double"]))


if __name__ == "__main__":
    main(sys.argv)
