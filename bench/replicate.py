"""Replicas of the sample disclosures, for benchmarks at scale: each copy is published by
other organizations (the zone name gets a distinct two-character district) in another
fiscal year, so replicas never collapse onto the same IRIs.

    python -m bench.replicate OUT_DIR [--triples 1000000]

writes OUT_DIR/replica-NNN-<sample>.txt until the replicas hold about that many triples
(estimated from the samples' own sizes; the estimate is printed).
"""
from __future__ import annotations

import argparse
import itertools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ZONE = "山西转型综合改革示范区"
# District names: one per replica round, never a word the parsers look for: two characters for
# the first 110 rounds (about a million triples and more), then three (for up to ten million).
DISTRICT_CHARS = ("甲乙丙丁戊己庚辛壬癸", "东南西北中上下前后左右")
THIRD_DISTRICT_CHARS = "金木水火土"
# A year as the documents print it: before 年, or inside the brackets of a 文号.
YEAR = re.compile(r"(?<!\d)(20[0-4]\d)(?=年|〕|】|\]|\)|）)")
YEARS_SPREAD = 10


def districts() -> list[str]:
    two = [a + b for a, b in itertools.product(*DISTRICT_CHARS)]
    return two + [d + c for c in THIRD_DISTRICT_CHARS for d in two]


def replicate_text(text: str, district: str, shift: int) -> str:
    text = text.replace(ZONE, f"{ZONE}{district}片区")
    return YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)


def write_replicas(out: Path, triples: int = 1_000_000, per_sample: dict[str, int] | None = None) -> list[Path]:
    """Write replicas of examples/*.txt into ``out`` until about ``triples`` triples."""
    samples = sorted(EXAMPLES.glob("*.txt"))
    sizes = per_sample or sample_sizes(samples)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    total = 0
    for round_no, district in enumerate(districts()):
        for sample in samples:
            if total >= triples:
                return written
            text = sample.read_text(encoding="utf-8")
            path = out / f"replica-{round_no:03d}-{sample.name}"
            path.write_text(replicate_text(text, district, round_no % YEARS_SPREAD), encoding="utf-8")
            written.append(path)
            total += sizes[sample.name]
    raise SystemExit(f"bench.replicate: {len(districts())} districts make about {total} triples, fewer than {triples}")


def sample_sizes(samples: list[Path]) -> dict[str, int]:
    from budgetkg import api

    return {p.name: len(set(api.parse_file(str(p)).triples)) for p in samples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--triples", type=int, default=1_000_000)
    args = parser.parse_args()
    sizes = sample_sizes(sorted(EXAMPLES.glob("*.txt")))
    files = write_replicas(args.out, args.triples, sizes)
    estimate = sum(sizes[p.name.split("-", 2)[2]] for p in files)
    print(f"wrote {len(files)} replicas to {args.out}, about {estimate} triples")


if __name__ == "__main__":
    main()
