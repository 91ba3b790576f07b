#!/usr/bin/env python3
"""Splits a `perf script` dump of the server into components, in µs per request.

Each sample goes to the first component (in the order of RULES) found anywhere on its stack, so a sample inside
DuckDB called by the loader counts as DuckDB, and one writing a response counts as `send`. Record it during one
round of the load run (server started with DOTNET_PerfMapEnabled=1 so JIT'd frames have names):

    perf record -F 999 -g -p <server pid> -o ingest.data -- sleep 12
    perf script -i ingest.data -F comm,ip,sym,dso > ingest.txt
    bench/perf_split.py bare.txt 40 ingest.txt 75     # dump and server µs per request of that round, for each

The µs come from the round's "server CPU per request"; the shares come from the samples.
"""
import collections
import sys

RULES = [
    ("send", lambda s, d: s == "__send" or "DoSend" in s or "tcp_sendmsg" in s),
    ("recv", lambda s, d: "__libc_recv" in s or "DoReceive" in s),
    ("epoll", lambda s, d: "epoll_wait" in s or "SocketAsyncEngine" in s),
    ("duckdb", lambda s, d: "libduckdb" in d or "Storage.DuckDb" in s),
    ("spool", lambda s, d: "EventSpool" in s),
    ("enrich", lambda s, d: "EventEnricher" in s or "Enrichment" in s),
    ("parse-body", lambda s, d: "EventPayloadReader" in s),
    ("client-ip", lambda s, d: "ClientIpResolver" in s),
    ("rate-limit", lambda s, d: "RateLimiter" in s),
    ("writer", lambda s, d: "EventBatchWriter" in s),
    ("completion", lambda s, d: "IngestionQueue" in s),
    ("ingest-endpoint", lambda s, d: "IngestionEndpoints" in s),
    ("http-parse", lambda s, d: "Http1Connection::ParseRequest" in s or "TryParseRequest" in s),
    ("middleware", lambda s, d: "Middleware" in s),
    ("kestrel", lambda s, d: "Kestrel" in s or "HostingApplication" in s),
    ("thread-pool", lambda s, d: "ThreadPool" in s or "Dispatch()" in s),
    ("runtime/gc", lambda s, d: "libcoreclr" in d),
    ("jit", lambda s, d: "libclrjit" in d),
    ("scheduler", lambda s, d: "schedule" in s or "futex" in s),
]


def shares(path):
    counts, total, frames = collections.Counter(), 0, []

    def flush():
        nonlocal total
        if not frames:
            return
        total += 1
        name = next((n for n, rule in RULES if any(rule(s, d) for s, d in frames)), "other")
        counts[name] += 1

    for line in open(path, errors="replace"):
        if not line.strip():
            flush()
            frames.clear()
        elif not line.startswith("\t"):
            frames.clear()
        else:
            rest = line.strip().split(" ", 1)[1] if " " in line.strip() else ""
            cut = rest.rfind(" (")
            frames.append((rest[:cut], rest[cut + 2:-1]))
    flush()
    return {k: v / max(total, 1) for k, v in counts.items()}


def main(args):
    runs = [(shares(args[i]), float(args[i + 1]), args[i]) for i in range(0, len(args) - 1, 2)]
    names = sorted({k for s, _, _ in runs for k in s}, key=lambda k: -max(s.get(k, 0) * us for s, us, _ in runs))
    print("component        " + "".join(f"{name[-14:]:>16}" for _, _, name in runs))
    for k in names:
        print(f"{k:16} " + "".join(f"{s.get(k, 0) * us:16.1f}" for s, us, _ in runs))


if __name__ == "__main__":
    if len(sys.argv) < 3 or len(sys.argv) % 2 == 0:
        sys.exit(__doc__)
    main(sys.argv[1:])
