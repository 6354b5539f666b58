from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's command (``seed_bench``) and floor template; installed only by
    ``bench.settings``, never by the site's own settings."""

    name = "bench"
    verbose_name = "Benchmark"
