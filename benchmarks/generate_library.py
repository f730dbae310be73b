"""Generate a large user playbook library for the planner benchmark.

    python benchmarks/generate_library.py OUT_DIR [--count 2000]

The activities are plausible in shape (every field filled, valid ranges) but not in content.
"""

from __future__ import annotations

import argparse
from pathlib import Path

FACTORS = ["shared-purpose", "personal-contact", "conflict", "altruism", "long-term"]
ARCS = ["open", "explore", "explore", "decide"]

TEMPLATE = """\
- id: generated-{n:05d}
  title: Generated exercise {n}
  factors: [{factor}]
  summary: A generated exercise used to measure how syslead copes with a large library.
  purpose: Exercise the loader and planner at scale.
  arc: {arc}
  energy: {energy}
  evening: {evening}
  duration: {{min: {lo}, default: {mid}, max: {hi}}}
  group_size: {{min: 2, max: 60}}
  configuration: Pairs, then the whole group.
  room: Chairs in a circle.
  materials: [flipchart, markers]
  steps:
    - minutes: {first}
      text: Alone, note an idea.
    - minutes: {second}
      text: In pairs, compare notes and pick one.
  prompts: [What matters most here?]
  debrief: [What did you notice?]
  watch_for: [People repeating the same point.]
  facilitator_notes: Generated for the benchmark.
  source: benchmarks/generate_library.py
"""


def generate(out: Path, count: int) -> None:
    """Write ``count`` activities in files of 100 under ``out/activities``."""
    folder = out / "activities"
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, count, 100):
        chunk = []
        for n in range(start, min(start + 100, count)):
            mid = 20 + (n % 7) * 10
            evening = n % 5 == 0
            chunk.append(
                TEMPLATE.format(
                    n=n,
                    factor=FACTORS[n % 5],
                    arc=ARCS[n % 4],
                    energy="low" if evening else ["medium", "high"][n % 2],
                    evening=str(evening).lower(),
                    lo=mid - 10,
                    mid=mid,
                    hi=mid + 20,
                    first=mid // 2,
                    second=mid - mid // 2,
                )
            )
        (folder / f"generated-{start // 100:03d}.yaml").write_text("".join(chunk), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    generate(args.out, args.count)


if __name__ == "__main__":
    main()
