"""cProfile of one page, in-process, on the bench database (what "the profile shows" in README).

DATABASE_URL=postgres://…/abonent_bench .venv/bin/python bench/profile_page.py /azersu/readings/form/ [-n 50]
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECRET_KEY", "bench-profile-not-secret")
os.environ.setdefault("STATIC_ROOT", str(Path(__file__).resolve().parent / "results" / "static"))  # run.py collects it


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("-n", type=int, default=50, help="profiled requests")
    parser.add_argument("--user", default=None, help="e-mail of the user to log in (default: the bench user)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--set", action="append", default=[], help="NAME=VALUE: a setting overridden (string)")
    parser.add_argument("--time", action="store_true", help="only the CPU time a request, without the profiler")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings

    for assignment in args.set:
        name, value = assignment.split("=", 1)
        setattr(settings, name, value)
    import generate
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    user = get_user_model().objects.get(email=args.user or generate.BENCH_EMAIL)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    tenant = args.path.strip("/").split("/")[0]
    client.post(f"/{tenant}/readings/", {"code": generate.SMALL_CODE})
    for _ in range(5):
        assert client.get(args.path).status_code == 200
    if args.time:
        started = time.process_time()
        for _ in range(args.n):
            client.get(args.path)
        print(f"{(time.process_time() - started) / args.n * 1000:.2f} ms CPU a request (test client)")
        return
    profile = cProfile.Profile()
    started = time.process_time()
    profile.enable()
    for _ in range(args.n):
        client.get(args.path)
    profile.disable()
    print(f"{(time.process_time() - started) / args.n * 1000:.2f} ms CPU a request (profiled, test client)")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
