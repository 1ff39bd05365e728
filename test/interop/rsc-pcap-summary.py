#!/usr/bin/python3
"""One line per heartbeat message in a tcpdump capture (udp/694, Ethernet).

Usage: rsc-pcap-summary.py FILE.pcap [--all] [--since EPOCH] [--until EPOCH] [--epoch]

Prints "<time> <src> t=<type> <other fields>" for every message except
status heartbeats and NS_ackmsg (--all keeps them).  Only the fields that
matter for resource negotiation are shown (rsc_hold, info, rtype, isstable,
ipaddr, dest, weown, ok, node, result, st for non-status messages).
Times are local wall-clock with milliseconds (--epoch: seconds since the
epoch).  Reads heartbeat 3.0's
netstring framing ("###" ... "%%%") and the classic one (">>>" ... "<<<").
"""
import struct
import sys
import time

SHOWN = ("rsc_hold", "info", "rtype", "isstable", "ipaddr", "dest", "weown",
         "ok", "node", "result", "st", "seq", "hg")


def packets(path):
    with open(path, "rb") as f:
        head = f.read(24)
        magic = struct.unpack("<I", head[:4])[0]
        endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        nano = magic in (0xA1B23C4D, 0x4D3CB2A1)
        while True:
            h = f.read(16)
            if len(h) < 16:
                return
            sec, frac, incl, _ = struct.unpack(endian + "IIII", h)
            data = f.read(incl)
            ts = sec + frac / (1e9 if nano else 1e6)
            yield ts, data


def udp_payload(frame):
    if len(frame) < 14 or frame[12:14] != b"\x08\x00":
        return None
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    if ip[9] != 17:
        return None
    return ip[ihl + 8:]


def fields(payload):
    """name -> value (bytes decoded latin-1) of a netstring or classic message."""
    out = {}
    if payload.startswith(b"###\n"):
        pos = 4
        while pos < len(payload) and not payload.startswith(b"%%%", pos):
            colon = payload.index(b":", pos)
            length = int(payload[pos:colon])
            item = payload[colon + 1:colon + 1 + length]
            pos = colon + 1 + length + 1  # skip the trailing comma
            if item.startswith(b"(") and b")" in item:
                item = item[item.index(b")") + 1:]
            name, _, value = item.partition(b"=")
            out[name.decode("latin-1")] = value.decode("latin-1")
    else:
        for line in payload.split(b"\n"):
            name, eq, value = line.partition(b"=")
            if eq:
                out[name.decode("latin-1")] = value.decode("latin-1")
    return out


def main(argv):
    path = argv[1]
    keep_all = "--all" in argv
    since = float(argv[argv.index("--since") + 1]) if "--since" in argv else 0
    until = float(argv[argv.index("--until") + 1]) if "--until" in argv else 1e12
    epoch = "--epoch" in argv
    for ts, frame in packets(path):
        if not since <= ts <= until:
            continue
        payload = udp_payload(frame)
        if payload is None:
            continue
        try:
            msg = fields(payload)
        except (ValueError, IndexError):
            continue
        mtype = msg.get("t", "?")
        if not keep_all and mtype in ("status", "NS_ackmsg"):
            continue
        if epoch:
            stamp = "%.3f" % ts
        else:
            stamp = time.strftime("%H:%M:%S", time.localtime(ts)) + ".%03d" % (ts % 1 * 1000)
        extra = " ".join("%s=%s" % (k, msg[k]) for k in SHOWN if k in msg and
                         not (mtype == "status" and k in ("seq", "hg")))
        print("%s %s t=%s %s" % (stamp, msg.get("src", "?"), mtype, extra))


if __name__ == "__main__":
    main(sys.argv)
