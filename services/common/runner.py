"""``continuity-service NAME``: run one Continuity process (a service or the gateway).

Checks the broker first so a missing RabbitMQ gives one clear line and a non-zero
exit within seconds, not a traceback wall or a hang.
"""

from __future__ import annotations

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()  # must precede every other import

import argparse  # noqa: E402
import errno  # noqa: E402
import gc  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from .config import load_config  # noqa: E402
from .credentials import ConfigError, development_mode, operator_line  # noqa: E402
from .registry import facts, process_class, process_names  # noqa: E402

# Python's cycle collector, tuned for a service: a roster batch allocates and drops
# thousands of dicts, and with the default thresholds every tenth young collection
# walks everything the imports built (figures in decision 0016).
# What exists once the service is loaded lives as long as the process (gc.freeze).
GC_THRESHOLDS = (20_000, 20, 50)

EXIT_BROKER = 3
EXIT_DATABASE = 4
EXIT_PORT = 5
EXIT_CONFIG = 6

BROKER_HELP = (
    "Start RabbitMQ and try again: `rabbitmq-server -detached` on this machine, "
    "`docker run -d -p 5672:5672 rabbitmq:3.13` with Docker, or point AMQP_URI at a "
    "running broker."
)


def redact(uri: str) -> str:
    from kombu.utils.url import maybe_sanitize_url

    return maybe_sanitize_url(uri)


def broker_problem(amqp_uri: str, timeout: float = 3.0) -> str | None:
    """None when the broker answers, else a one-line reason."""
    from kombu import Connection

    try:
        with Connection(amqp_uri, connect_timeout=timeout) as conn:
            conn.ensure_connection(
                max_retries=2, interval_start=1, interval_step=1, interval_max=2,
                timeout=timeout,
            )
    except Exception as exc:  # noqa: BLE001 - every failure is reported the same way
        return f"{exc.__class__.__name__}: {exc}".strip()
    return None


def green_psycopg2() -> None:
    """Let psycopg2 yield to the eventlet hub while it waits on PostgreSQL."""
    from .green_pg import make_psycopg2_green

    make_psycopg2_green()


def own_port(name: str, config: dict) -> int:
    if facts(name).front:
        return int(config["WEB_SERVER_ADDRESS"].rsplit(":", 1)[1])
    return int(config.get("METRICS_PORT") or 0)


def port_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        # as the servers do: connections of a previous run in TIME_WAIT do not count
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def load_service(name: str):
    """The process type's class, as registered in pyproject.toml's entry points."""
    return process_class(name)


def port_setting(name: str) -> str:
    """The variable that moves the process's own port."""
    return "GATEWAY_PORT" if facts(name).front else "METRICS_PORT"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="continuity-service")
    parser.add_argument("name", choices=process_names())
    args = parser.parse_args(argv)
    try:
        config = load_config(args.name)
    except ConfigError as exc:
        print(f"{args.name}: {exc}.", file=sys.stderr)
        return EXIT_CONFIG
    if facts(args.name).front and development_mode(os.environ) \
            and not os.environ.get("CONTINUITY_LAUNCHED"):
        print(f"{args.name}: {operator_line(os.environ, config)}", file=sys.stderr)

    from .observability import configure_logging

    configure_logging(args.name, config["LOG_LEVEL"])
    log = logging.getLogger("continuity")

    problem = broker_problem(config["AMQP_URI"])
    if problem:
        print(
            f"{args.name}: cannot reach RabbitMQ at {redact(config['AMQP_URI'])} "
            f"({problem}). {BROKER_HELP}",
            file=sys.stderr,
        )
        return EXIT_BROKER

    port = own_port(args.name, config)
    if port and not port_free(port):
        print(f"{args.name}: port {port} is already in use. Stop what holds it, or set "
              f"{port_setting(args.name)}.", file=sys.stderr)
        return EXIT_PORT

    green_psycopg2()
    from .jsoncodec import install_message_codec

    install_message_codec()
    service_cls = load_service(args.name)

    from nameko.cli.run import run
    from sqlalchemy.exc import OperationalError

    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    log.info("starting %s", args.name)
    try:
        run([service_cls], config)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        port = config.get("WEB_SERVER_ADDRESS") or config.get("METRICS_PORT")
        print(f"{args.name}: its port is already in use ({port}). Stop what holds it, "
              f"or set {port_setting(args.name)}.",
              file=sys.stderr)
        return EXIT_PORT
    except OperationalError as exc:
        print(
            f"{args.name}: cannot use its database {redact(config['DATABASE_URL'])} "
            f"({exc.orig!r}). Start PostgreSQL or unset DATABASE_URL for SQLite.",
            file=sys.stderr,
        )
        return EXIT_DATABASE
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
