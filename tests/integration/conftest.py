"""Integration tests against the real services: PostgreSQL (through PgBouncer in .ci/run), Redis,
the object store (moto's S3 server) and Celery worker and gunicorn web processes.

They run when DATABASE_URL points at PostgreSQL and REDIS_URL is set (as .ci/run does). Without
them the tests are skipped with the reason; under CI=true that is a failure, because CI must
run them.

The worker is a subprocess started once per session with portal.settings_test, the pytest-django
test database, its own queue on the broker (so that nothing else consuming the same Redis takes
our messages), a file e-mail backend in a temporary directory and the session's prefix on the
object store. The web processes (``web_servers``) get the same environment: the processes share
only PostgreSQL, Redis and the object store, as on separate machines.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
WORKER_START_TIMEOUT = 60

TEMPLATES = {
    "subject.txt": "Integration check {{ number }}",
    "body.txt": "Message number {{ number }} went through Redis and the worker.",
}


def running_in_ci():
    return os.environ.get("CI", "").lower() == "true"


def missing_services():
    """Why the integration tests cannot run here, or "" when they can."""
    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("DATABASE_URL does not point at PostgreSQL")
    if not settings.REDIS_URL:
        problems.append("REDIS_URL is not set")
    else:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            problems.append(f"Redis at {settings.REDIS_URL} does not answer ({error})")
    return "; ".join(problems)


@pytest.fixture(scope="session")
def services():
    problem = missing_services()
    if problem:
        reason = f"integration tests need PostgreSQL, Redis and a Celery worker: {problem}"
        if running_in_ci():
            pytest.fail(reason + " (under CI=true a missing service is a failure)")
        pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def pooled_connections_released(django_db_setup, django_db_blocker):
    """Through PgBouncer (PGBOUNCER=1, as .ci/run runs these tests) the pooler keeps its server
    connections to the test database open after the processes are gone, and PostgreSQL refuses
    to drop a database in use: close them from PgBouncer's console before pytest-django drops it."""
    yield
    if not settings.PGBOUNCER:
        return
    import psycopg
    from django.db import connection

    with django_db_blocker.unblock():
        connection.close()
        params = connection.settings_dict
        name = params["NAME"]
        console = {"host": params["HOST"], "port": params["PORT"], "user": params["USER"], "dbname": "pgbouncer"}
        with psycopg.connect(**console, autocommit=True, prepare_threshold=None) as admin:
            # The console takes no parameters; the name is pytest-django's test_<name>.
            admin.execute(f'KILL "{name}"')
            admin.execute(f'RESUME "{name}"')


def database_url(settings_dict):
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


@pytest.fixture(scope="session")
def queue_name():
    return f"abonent-it-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def mail_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("worker-mail")


@pytest.fixture(scope="session")
def shared_store(object_store):
    """The object store as every process of the session uses it: one prefix for the session."""
    from tests.object_store import with_new_prefix

    return with_new_prefix(object_store)


@pytest.fixture(scope="session")
def process_environment(services, django_db_setup, django_db_blocker, queue_name, mail_dir, shared_store):
    """The environment of a portal process of this session (worker or web): the test database,
    the broker and the session's queue, the object store."""
    from django.db import connection

    with django_db_blocker.unblock():
        test_database = database_url(connection.settings_dict)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": test_database,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_EAGER": "0",
        "CELERY_QUEUE": queue_name,
        "EMAIL_FILE_PATH": str(mail_dir),
        "TEST_FILES_DIR": str(settings.TEST_FILES_DIR),
        "OUTBOX_RETRY_BASE_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
        "SECRET_KEY": "integration-" + "k" * 50,  # the same in every process (sessions, CSRF)
        **shared_store.environment(shared_store.prefix),
    }
    environment.pop("EMAIL_URL", None)
    return environment


@pytest.fixture(scope="session")
def celery_worker(process_environment, queue_name, tmp_path_factory):
    """A real `celery -A portal worker` on the test database; stopped before the database is dropped."""
    log_path = tmp_path_factory.mktemp("worker-log") / "worker.log"
    node = f"{queue_name}@%h"
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--concurrency=1",
        "--loglevel=INFO", "-n", node, "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=BASE_DIR, env=process_environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_ready(process, log_path)
        yield process
    finally:
        stop(process)
        forget_queue(queue_name)


def forget_queue(queue_name):
    """Remove the session's queue and kombu's bindings for it from Redis."""
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2)
    client.delete(queue_name, f"_kombu.binding.{queue_name}", f"_kombu.binding_permanent.{queue_name}")


def wait_until_ready(process, log_path):
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while time.monotonic() < deadline:
        output = log_path.read_text(errors="replace")
        if " ready." in output:
            return
        if process.poll() is not None:
            pytest.fail(f"The Celery worker exited with {process.returncode}:\n{output[-4000:]}")
        time.sleep(0.2)
    stop(process)
    pytest.fail(f"The Celery worker was not ready after {WORKER_START_TIMEOUT}s:\n{log_path.read_text()[-4000:]}")


def stop(process):
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # warm shutdown; the worker has its own session
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture
def broker(celery_worker, queue_name, monkeypatch):
    """Switch this test process from eager tasks to the real broker and the worker's queue.

    Returns a function that points the process at another broker URL (the outage proxy)."""
    from kombu import pools as kombu_pools

    from portal.celery import app

    # Celery prefers these variables to its configuration; the URL must come from app.conf here.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")}

    def forget_connections_and_routes():
        # Celery caches pools, queues and routes built from the configuration at first use, and
        # kombu keeps the pools in global groups: close and forget them all.
        kombu_pools.reset()
        app._pool = None
        app.amqp._producer_pool = None
        app.amqp._rtable = None
        for name in ("queues", "default_queue", "default_exchange", "router"):
            app.amqp.__dict__.pop(name, None)

    def use(url):
        app.conf.broker_url = url
        forget_connections_and_routes()

    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue_name
    use(settings.CELERY_BROKER_URL)
    yield use
    app.conf.update(saved)
    forget_connections_and_routes()


@pytest.fixture
def message_templates(settings, tmp_path):
    folder = tmp_path / "templates" / "notifications" / "integration_check"
    folder.mkdir(parents=True)
    for name, text in TEMPLATES.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}]


def wait_for_status(notification, status, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.status == status:
            return notification
        time.sleep(0.2)
    raise AssertionError(
        f"notification {notification.pk} is {notification.status!r} after {timeout}s, not {status!r}"
        f" (attempts={notification.attempts}, last_error={notification.last_error!r})"
    )


WEB_START_TIMEOUT = 60


@pytest.fixture(scope="session")
def web_servers(process_environment, tmp_path_factory):
    """Two `gunicorn portal.wsgi` processes on two loopback ports: "web A" and "web B" of a load
    balancer, each with its own memory, sharing only the database, the broker and the object store."""
    from tests.object_store import free_port

    processes, addresses = [], []
    logs = tmp_path_factory.mktemp("web-logs")
    try:
        for name in ("a", "b"):
            port = free_port()
            command = [
                sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                "--threads", "2", "--timeout", "60", "--access-logfile", "-", "--error-logfile", "-",
            ]  # fmt: skip
            log_path = logs / f"web-{name}.log"
            with log_path.open("wb") as log:
                process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                    command, cwd=BASE_DIR, env=process_environment, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            processes.append(process)
            address = f"http://127.0.0.1:{port}"
            wait_for_web(process, address, log_path)
            addresses.append(address)
        yield addresses
    finally:
        for process in processes:
            stop(process)


def wait_for_web(process, address, log_path):
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + WEB_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn at {address} exited with {process.returncode}:\n{log_path.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{address}/healthz/", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    stop(process)
    pytest.fail(f"gunicorn at {address} did not answer after {WEB_START_TIMEOUT}s:\n{log_path.read_text()[-4000:]}")
