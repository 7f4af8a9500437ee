"""``wirecheck serve`` (a bundled echo server) and ``wirecheck echo-client`` (the reference client)."""

from __future__ import annotations

from wirecheck import protocols
from wirecheck.endpoints import bundled
from wirecheck.errors import UsageError
from wirecheck.run import EXIT_OK, split_host_port

from .parser import params_from


def main(args, out) -> int:
    spec = protocols.get(args.protocol)
    config = protocols.endpoint_group(spec, params_from(args), "client" if args.client else "server")
    if args.client:
        from wirecheck.endpoints.client import run as run_client

        host, port = split_host_port(args.connect, "--connect")
        served = run_client(args.protocol, config, host, port, give_up=args.give_up)
        print(f"served {served} connections", file=out)
        if not served:
            raise UsageError(f"nothing at {host}:{port} accepted a connection within --give-up {args.give_up:g}s")
        return EXIT_OK

    def ready(host, port):
        print(f"listening on {host}:{port}", file=out, flush=True)

    serve = bundled.server(args.impl)
    try:
        serve(args.protocol, config, args.host, args.port, ready)
    except NotImplementedError as exc:
        raise UsageError(f"--impl {args.impl} does not implement {args.protocol}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return EXIT_OK
