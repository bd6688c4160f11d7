"""CTI benchmark (issue #16): TAXII paging against the store, and correlation of observations with indicators.

Correlation: N generated observations (a proxy/EDR export as CSV: time, src_ip, dst_ip, host, url, sha256) against
M generated indicators (seeded; mostly equality patterns as feeds publish them, a share of complex ones: LIKE AND NOT
LIKE, FOLLOWEDBY ... WITHIN, REPEATS, ISSUBSET ranges, a few LIKE and MATCHES with no equality to anchor them). The
clock covers what `kizashi cti correlate` will do: read the file (kizashi.ingest.observations, under the input
limits) and correlate (kizashi.protect.cti.correlate, patterns compiled first, timed apart). Goal: < 60 s for
1 M observations × 100 k indicators on 2 cores.

Baseline: stix2-matcher run naively, every indicator's compiled pattern matched against the observations (one
matcher call per indicator over a batch of observed-data, the matcher's own best case), measured on a 1 % sample of
the observations and a sample of the indicators (`--naive-indicators`), projected linearly to the whole run; the
projected ratio naive ÷ kizashi is printed. On the sample the two must agree on every one-observation pattern (the
run fails otherwise). Peak memory (max RSS) is printed.

    python benchmarks/taxii.py                                  # 1 M observations × 100 k indicators
    python benchmarks/taxii.py --observations 100000 --indicators 10000
    python benchmarks/taxii.py --workers 1                      # one process
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stix2matcher.matcher import Pattern as MatcherPattern

from kizashi.ingest.observations import Observation, read_observations
from kizashi.protect.cti.correlate import Correlator, Indicator, correlate_file, matching

GOAL_SECONDS = 60.0
GENERATOR_VERSION = 3  # bump when the generated files change, so cached ones are made again
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "kizashi-bench"
START = datetime(2026, 3, 1, tzinfo=UTC)
SPAN_SECONDS = 7 * 24 * 3600  # a week of observations


# ── TAXII paging: 100 k objects in a collection, objects per second through taxii2-client paging against reading
# the same objects straight from the store, and their ratio ─────────────────────────────────────────────────────

# Objects go in by the store's service in batches (one transaction each; they are made valid, so the validator is not
# what is timed), then are read back whole twice, page by page in (date_added, id) order: by taxii2-client from a real
# `kizashi serve` (HTTP Basic, JSON both ways, the policy and the audit on every page), and by the same service in
# this process (`get_objects`, the bodies parsed as the client parses them). Printed: objects per second of each and
# the ratio store ÷ TAXII, i.e. what the HTTP layer costs. SQLite in a temporary folder.

TAXII_PASSWORD = "benchmark horse battery staple"
TAXII_BATCH = 10_000


def taxii_objects(count: int) -> list[dict[str, object]]:
    """`count` valid STIX 2.1 indicators (ipv4 equality patterns, deterministic ids)."""
    import uuid  # this section's imports are its own (the module's head is the correlation part's)

    made: list[dict[str, object]] = []
    for number in range(count):
        made.append(
            {
                "type": "indicator",
                "spec_version": "2.1",
                "id": f"indicator--{uuid.UUID(int=number + 1, version=4)}",
                "created": "2026-01-01T00:00:00.000Z",
                "modified": "2026-01-01T00:00:00.000Z",
                "name": f"address {number}",
                "pattern": f"[ipv4-addr:value = '10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}']",
                "pattern_type": "stix",
                "valid_from": "2026-01-01T00:00:00Z",
            }
        )
    return made


def taxii_paging(count: int, per_request: int) -> None:
    """Add `count` objects, then page through them with taxii2-client and with the store's service; print both."""
    import os
    import socket
    import subprocess
    import urllib.request

    from taxii2client.v21 import Collection, as_pages

    from kizashi.protect.cti.groups import add_collection, add_group
    from kizashi.protect.cti.store import Filters, add_objects, get_objects
    from kizashi.protect.people import actor_for, add_user, owner
    from kizashi.store.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="kizashi-taxii-bench-") as name:
        folder = Path(name) / "ws"
        workspace = Workspace.create(folder)
        user = owner(workspace) or "bench"  # the first user is the workspace's operator, as an admin
        add_user(workspace, actor_for(workspace, user), user, roles=["admin"], password=TAXII_PASSWORD)
        add_group(workspace, actor_for(workspace, user), "bench", [user])
        bench = actor_for(workspace, user)  # now a member: the collection's compartment is in their clearance
        collection_id = add_collection(workspace, bench, "bench", "bench", default_tlp="CLEAR").id
        objects = taxii_objects(count)
        begun = time.perf_counter()
        for start in range(0, count, TAXII_BATCH):
            add_objects(workspace, bench, collection_id, objects[start : start + TAXII_BATCH])
        adding = time.perf_counter() - begun
        print(f"TAXII: {count:,} objects added by the store's service in {adding:.1f} s ({count / adding:,.0f}/s)")

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {**os.environ, "KIZASHI_WORKSPACE": str(folder)}
        env.pop("KIZASHI_DATABASE_URL", None)
        command = [sys.executable, "-m", "kizashi", "serve", "--host", "127.0.0.1", "--port", str(port)]
        server = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(base + "/login", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("kizashi serve did not start") from None
                    time.sleep(0.2)
            collection = Collection(
                f"{base}/taxii2/kizashi/collections/{collection_id}/", user=user, password=TAXII_PASSWORD
            )
            begun = time.perf_counter()
            pages = as_pages(collection.get_objects, per_request=per_request)
            through_taxii = sum(len(page.get("objects", [])) for page in pages)
            taxii_seconds = time.perf_counter() - begun
        finally:
            server.terminate()
            server.wait(timeout=30)

        begun = time.perf_counter()
        from_store, token = 0, None
        while True:
            page = get_objects(workspace, bench, collection_id, Filters(limit=per_request, next=token))
            from_store += len([entry.stix() for entry in page.entries])
            if not page.more:
                break
            token = page.next
        store_seconds = time.perf_counter() - begun
        workspace.close()
    if through_taxii != count or from_store != count:
        raise SystemExit(f"TAXII read {through_taxii:,} objects and the store {from_store:,}; expected {count:,}")
    print(
        f"TAXII paging (taxii2-client, {per_request:,} a page): {count:,} objects in {taxii_seconds:.1f} s "
        f"({count / taxii_seconds:,.0f}/s)"
    )
    print(
        f"store paging (get_objects in this process): {count:,} objects in {store_seconds:.1f} s "
        f"({count / store_seconds:,.0f}/s)"
    )
    print(f"ratio store ÷ TAXII: {taxii_seconds / store_seconds:.2f}× (what HTTP, JSON and Basic authentication cost)")


def taxii_main(argv: list[str] | None = None) -> None:
    """The TAXII part alone (also `python benchmarks/taxii.py --part taxii`)."""
    parser = argparse.ArgumentParser(description="TAXII paging against the store (the TAXII part of this benchmark)")
    parser.add_argument("--objects", type=int, default=100_000, help="objects in the collection (100 000)")
    parser.add_argument("--per-request", type=int, default=1000, help="objects a page (1 000, the server's most)")
    arguments = parser.parse_args(argv)
    taxii_paging(arguments.objects, arguments.per_request)


# ── correlation: generated indicators and observations ─────────────────────────────────────────────────────────


def _ip(rng: random.Random) -> str:
    return f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _domain(rng: random.Random) -> str:
    word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(5, 12)))
    return f"{word}.{rng.choice(['com', 'net', 'example', 'jp', 'io'])}"


def _url(rng: random.Random, host: str) -> str:
    return f"http://{host}/{rng.choice(['login', 'dl', 'api', 'img'])}/{rng.getrandbits(32):08x}"


def _sha256(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


def indicators(count: int, seed: int, complex_share: float) -> list[Indicator]:
    """Mostly equality patterns (one value, an OR of two, an IN of three); a share of complex ones."""
    rng = random.Random(seed)
    made: list[Indicator] = []
    for number in range(count):
        valid_from = START - timedelta(days=rng.randrange(0, 365))
        valid_until = None if rng.random() < 0.8 else START + timedelta(seconds=rng.randrange(SPAN_SECONDS))
        pattern = _complex_pattern(rng) if rng.random() < complex_share else _simple_pattern(rng)
        made.append(Indicator(f"indicator--{number:08d}", pattern, valid_from, valid_until))
    return made


def _simple_pattern(rng: random.Random) -> str:
    def comparison() -> str:
        kind = rng.random()
        if kind < 0.4:
            return f"ipv4-addr:value = '{_ip(rng)}'"
        if kind < 0.7:
            return f"domain-name:value = '{_domain(rng)}'"
        if kind < 0.8:
            return f"url:value = '{_url(rng, _domain(rng))}'"
        return f"file:hashes.'SHA-256' = '{_sha256(rng)}'"

    shape = rng.random()
    if shape < 0.85:
        return f"[{comparison()}]"
    if shape < 0.95:
        return f"[{comparison()} OR {comparison()}]"
    return f"[domain-name:value IN ('{_domain(rng)}', '{_domain(rng)}', '{_domain(rng)}')]"


def _complex_pattern(rng: random.Random) -> str:
    shape = rng.random()
    host = _domain(rng)
    if shape < 0.4:
        return f"[url:value LIKE 'http://{host}/login/%' AND url:value NOT LIKE '%.png']"
    if shape < 0.6:
        return f"([ipv4-addr:value = '{_ip(rng)}'] FOLLOWEDBY [domain-name:value = '{host}']) WITHIN 3600 SECONDS"
    if shape < 0.75:
        return f"[domain-name:value = '{host}'] REPEATS 3 TIMES WITHIN 86400 SECONDS"
    if shape < 0.98:
        return f"[ipv4-addr:value ISSUBSET '{_ip(rng).rsplit('.', 1)[0]}.0/24']"
    if shape < 0.99:
        return f"[url:value LIKE '%/{rng.getrandbits(16):04x}%']"
    return (
        f"[domain-name:value MATCHES '^{rng.choice('abcdefghijklmnopqrstuvwxyz')}{rng.choice('aeiou')}[a-z]+\\\\.io$']"
    )


def observations_file(cache: Path, count: int, seed: int, known: list[Indicator]) -> Path:
    """A proxy/EDR export of `count` rows; about 2 % of the rows carry a value some indicator names."""
    path = cache / f"observations-n{count}-seed{seed}-i{len(known)}-v{GENERATOR_VERSION}.csv"
    if path.exists():
        return path
    print(f"generating {count:,} observations into {path} ...", file=sys.stderr)
    cache.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 1)
    values: dict[str, list[str]] = {"ipv4-addr": [], "domain-name": [], "url": [], "file": []}
    for indicator in known:
        for kind in values:
            if f"[{kind}:" in indicator.pattern and " = '" in indicator.pattern:
                values[kind].append(indicator.pattern.split(" = '", 1)[1].split("'", 1)[0])
    partial = path.with_suffix(".part")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["time", "src_ip", "dst_ip", "host", "url", "sha256"])
        for _ in range(count):
            moment = START + timedelta(seconds=rng.randrange(SPAN_SECONDS), microseconds=rng.randrange(10**6))
            known_value = rng.random() < 0.02

            def pick(kind: str, made: str, known_value: bool = known_value) -> str:
                return rng.choice(values[kind]) if known_value and values[kind] and rng.random() < 0.5 else made

            host = pick("domain-name", _domain(rng))
            edr = rng.random() < 0.1
            out.writerow(
                [
                    moment.isoformat().replace("+00:00", "Z"),
                    f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                    pick("ipv4-addr", _ip(rng)),
                    host,
                    pick("url", _url(rng, host)),
                    pick("file", _sha256(rng)) if edr else "",
                ]
            )
    partial.rename(path)
    return path


# ── correlation: the runs ──────────────────────────────────────────────────────────────────────────────────────


def naive(patterns: list[Indicator], sample: list[Observation]) -> tuple[float, set[tuple[int, str]]]:
    """Seconds for stix2-matcher, naively, on every pattern over the sample; and its (row, indicator) hits."""
    found: set[tuple[int, str]] = set()
    begun = time.perf_counter()
    for indicator in patterns:
        compiled = MatcherPattern(indicator.pattern, "2.1")
        valid = [
            o
            for o in sample
            if indicator.valid_from <= o.time and (indicator.valid_until is None or o.time < indicator.valid_until)
        ]
        if valid:
            for position in matching(compiled, valid, 10_000):
                found.add((valid[position].row, indicator.id))
    return time.perf_counter() - begun, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--observations", type=int, default=1_000_000)
    parser.add_argument("--indicators", type=int, default=100_000)
    parser.add_argument("--complex-share", type=float, default=0.01, help="share of complex patterns (0.01)")
    parser.add_argument("--naive-indicators", type=int, default=200, help="indicators in the naive sample (200)")
    parser.add_argument("--workers", type=int, default=2, help="processes sharing the file (2)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--part", choices=("all", "taxii", "correlation"), default="all")
    parser.add_argument("--objects", type=int, default=100_000, help="objects in the TAXII collection (100 000)")
    parser.add_argument("--per-request", type=int, default=1000, help="objects a TAXII page (1 000, the most)")
    arguments = parser.parse_args()
    if arguments.part in ("all", "taxii"):
        taxii_paging(arguments.objects, arguments.per_request)
    if arguments.part == "taxii":
        return

    known = indicators(arguments.indicators, arguments.seed, arguments.complex_share)
    path = observations_file(arguments.cache, arguments.observations, arguments.seed, known)

    cpu = time.process_time()
    begun = time.perf_counter()
    correlator = Correlator(known)
    compiled = time.perf_counter() - begun
    run_begun = time.perf_counter()
    result = correlate_file(correlator, path, workers=arguments.workers)
    correlating = time.perf_counter() - run_begun
    total = compiled + correlating
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_worker = children.ru_maxrss / 1024

    print(
        f"indicators {len(known):,}: {result.indexed:,} indexed, {result.matched:,} by stix2-matcher, "
        f"{len(result.skipped)} not evaluated; compiled in {compiled:.1f} s"
    )
    print(
        f"observations {result.observations:,} read and correlated in {correlating:.1f} s "
        f"({result.observations / correlating:,.0f}/s, {arguments.workers} process(es)); hits {len(result.hits):,}"
    )
    print(f"CPU time {cpu:.1f} s, all processes (wall above CPU ÷ processes: the machine was busy with other work)")
    print(
        f"total {total:.1f} s (goal < {GOAL_SECONDS:.0f} s: {'met' if total < GOAL_SECONDS else 'NOT met'}); "
        f"peak memory {peak:,.0f} MiB (a worker: {peak_worker:,.0f} MiB)"
    )

    # Naive stix2-matcher on a 1 % sample of the observations and a sample of the indicators, projected.
    rng = random.Random(arguments.seed + 2)
    sample = list(read_observations(path, share=(0, 100)))  # every 100th row
    rows = result.observations
    chosen = rng.sample(known, min(arguments.naive_indicators, len(known)))
    # A few indicators that hit the sample too, so that the agreement below compares hits, not two empty sets.
    in_sample = {o.row for o in sample}
    hitting = sorted({hit.indicator for hit in result.hits if hit.row in in_sample} - {i.id for i in chosen})[:50]
    chosen += [indicator for indicator in known if indicator.id in set(hitting)]
    seconds, naive_hits = naive(chosen, sample)
    projected = seconds * (len(known) / len(chosen)) * (rows / len(sample))
    print(
        f"naive stix2-matcher: {len(chosen)} indicators × {len(sample):,} observations in {seconds:.1f} s; "
        f"projected to the whole run {projected:,.0f} s ({projected / 3600:,.1f} h)"
    )
    print(f"projected ratio naive ÷ kizashi: {projected / total:,.0f}×")

    ids = {
        indicator.id
        for indicator in chosen
        if "FOLLOWEDBY" not in indicator.pattern and "REPEATS" not in indicator.pattern
    }
    ours = {(hit.row, hit.indicator) for hit in result.hits if hit.indicator in ids and hit.row in in_sample}
    theirs = {pair for pair in naive_hits if pair[1] in ids}
    if ours != theirs:
        print(
            f"MISMATCH on the sample: kizashi only {sorted(ours - theirs)[:5]}, naive only {sorted(theirs - ours)[:5]}"
        )
        sys.exit(1)
    print(f"the sample agrees: {len(ours)} hits of one-observation patterns")


if __name__ == "__main__":
    main()
