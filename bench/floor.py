"""The floor's table: TechEmpower's 12 fortunes (one with markup, to exercise escaping)."""

FORTUNE_TABLE = "bench_fortune"

FORTUNES = [
    "fortune: No such file or directory",
    "A computer scientist is someone who fixes things that aren't broken.",
    "After enough decimal places, nobody gives a damn.",
    "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    "A computer program does what you tell it to do, not what you want it to do.",
    "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
    "Any program that runs right is obsolete.",
    "A list is only as strong as its weakest link. — Donald Knuth",
    "Feature: A bug with seniority.",
    "Computers make very fast, very accurate mistakes.",
    '<script>alert("This should not be displayed in a browser alert box.");</script>',
    "フレームワークのベンチマーク",
]


def create_fortune_table(connection) -> None:
    """(Re)create the floor's table with the 12 rows, on SQLite or PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FORTUNE_TABLE}")
        cursor.execute(
            f"CREATE TABLE {FORTUNE_TABLE} (id integer PRIMARY KEY, message varchar(2048))"
        )
        for pk, message in enumerate(FORTUNES, start=1):
            cursor.execute(
                f"INSERT INTO {FORTUNE_TABLE} (id, message) VALUES (%s, %s)",
                [pk, message],
            )
