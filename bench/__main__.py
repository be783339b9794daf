"""`make bench`: the benchmark suite (issue 10 fills it with scenarios and baselines)."""

import sys


def main(argv: list[str]) -> int:
    print("no benchmarks yet: the benchmark suite arrives with the benchmark issue")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
