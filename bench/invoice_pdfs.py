"""Invoice PDFs: documents per second of plain WeasyPrint vs billing/pdf_batch.py side by side,
and a worker's RSS over many renders (#12, goals 3 and 6).

    .venv/bin/python bench/invoice_pdfs.py --docs 30 --rounds 3 --rss-renders 1000

Uses the invoices in the database (run ``manage.py seed_demo`` first: its invoices cover the
demo tenants, Russian ones with the GOST payment QR code). "Naive" is what the task did before:
the template rendered to a string and ``HTML(string=…).write_pdf()`` with the static-only
fetcher, the stylesheet fetched and parsed and the fonts configured for every document
(portal.pdf.render_invoice_pdf_bytes). "Ours" is ``billing.pdf_batch.renderer().render``. Both
get the same context (billing.documents.invoice_pdf_extras, the QR code included) per document;
rounds alternate so that a noisy neighbour slows both alike. The RSS runs each start a fresh
process, as a recycled Celery worker child would be.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from billing.documents import invoice_pdf_extras  # noqa: E402
from billing.models import Invoice  # noqa: E402
from billing.pdf_batch import renderer  # noqa: E402
from portal import pdf  # noqa: E402


def invoices(count):
    rows = list(
        Invoice.objects.select_related("tenant", "account", "account__branch", "application").order_by("pk")[:count]
    )
    if not rows:
        sys.exit("No invoices in this database: run manage.py seed_demo first.")
    return rows


def naive(invoice):
    return pdf.render_invoice_pdf_bytes(invoice, invoice_pdf_extras(invoice))


def ours(invoice):
    return renderer().render(invoice, invoice_pdf_extras(invoice))


def rate(render, rows):
    """(documents per second of wall time, per second of this process's CPU time): on a shared
    machine the CPU rate is the one that compares, WeasyPrint works in this process only."""
    started, cpu = time.perf_counter(), time.process_time()
    for invoice in rows:
        render(invoice)
    return len(rows) / (time.perf_counter() - started), len(rows) / (time.process_time() - cpu)


def rss_mb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def rss_run(kind, renders, docs):
    """In this (fresh) process: RSS every 100 renders of ``kind``, printed as one line."""
    render = {"naive": naive, "ours": ours}[kind]
    rows = invoices(docs)
    samples = [f"{rss_mb():.0f}"]
    for index in range(1, renders + 1):
        render(rows[index % len(rows)])
        if index % 100 == 0:
            samples.append(f"{rss_mb():.0f}")
    print(" ".join(samples))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rss-renders", type=int, default=1000)
    parser.add_argument("--rss-run", choices=["naive", "ours"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_run:
        return rss_run(args.rss_run, args.rss_renders, args.docs)
    rows = invoices(args.docs)
    sizes = {"naive": len(naive(rows[0])), "ours": len(ours(rows[0]))}  # warm both (imports, fonts)
    rates = {"naive": [], "ours": []}
    for _round in range(args.rounds):
        rates["naive"].append(rate(naive, rows))
        rates["ours"].append(rate(ours, rows))
    print(f"{len(rows)} invoices × {args.rounds} rounds, load average {os.getloadavg()[0]:.1f}")
    for label, kind in (("naive WeasyPrint", "naive"), ("billing.pdf_batch", "ours")):
        wall = statistics.median(r[0] for r in rates[kind])
        cpu = statistics.median(r[1] for r in rates[kind])
        print(
            f"{label}: {wall:.1f} docs/s wall ({1000 / wall:.0f} ms/doc), {cpu:.1f} docs/s CPU "
            f"({1000 / cpu:.0f} ms CPU/doc), first PDF {sizes[kind]} bytes"
        )
    for index, name in ((0, "wall"), (1, "CPU")):
        naive_rate = statistics.median(r[index] for r in rates["naive"])
        our_rate = statistics.median(r[index] for r in rates["ours"])
        print(f"ratio ({name}): {our_rate / naive_rate:.2f}×")
    if args.rss_renders:
        for kind in ("naive", "ours"):
            out = subprocess.run(
                [sys.executable, __file__, "--rss-run", kind, "--rss-renders", str(args.rss_renders),
                 "--docs", str(args.docs)],
                capture_output=True, text=True, check=True,
            ).stdout.strip().splitlines()[-1]  # fmt: skip
            samples = [float(value) for value in out.split()]
            print(
                f"RSS {kind}, MB at 0, 100, … {args.rss_renders} renders: {out} "
                f"(start {samples[0]:.0f}, end {samples[-1]:.0f}, max {max(samples):.0f})"
            )


if __name__ == "__main__":
    main()
