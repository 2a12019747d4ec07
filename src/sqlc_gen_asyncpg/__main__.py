import sys


def main() -> int:
    sys.stderr.write("sqlc-gen-asyncpg: not implemented yet\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
