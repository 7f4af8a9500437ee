"""Echo servers on Twisted's reactor, built from Twisted's own receivers.

NetstringReceiver, Int8/16/32StringReceiver, LineReceiver or LineOnlyReceiver
(``line_only``), and Banana in the server role.  Each echoes what it receives
with Twisted's own send method; Twisted closes the connection itself on what it
considers invalid input.  This is how wirecheck shows Twisted's real behaviour
over a socket, quirks included.
"""

from __future__ import annotations

from twisted.internet.protocol import Factory  # ImportError here means: pip install 'wirecheck[twisted]'
from twisted.protocols import basic
from twisted.spread import banana


def make_factory(protocol: str, params: dict, line_only: bool = False):
    if protocol == "banana":

        class EchoBanana(banana.Banana):
            def __init__(self):
                super().__init__(isClient=0)
                self.knownDialects = [d.encode() for d in params.get("dialects", ["pb", "none"])]

            def expressionReceived(self, value):
                self.sendEncoded(value)

        return Factory.forProtocol(EchoBanana)

    if protocol == "line":
        base = basic.LineOnlyReceiver if line_only else basic.LineReceiver

        class EchoLines(base):
            delimiter = bytes.fromhex(params.get("delimiter", "0d0a"))
            MAX_LENGTH = params.get("max_length", 16384)

            def lineReceived(self, line):
                self.sendLine(line)

        return Factory.forProtocol(EchoLines)

    base = {
        "netstring": basic.NetstringReceiver,
        "int8": basic.Int8StringReceiver,
        "int16": basic.Int16StringReceiver,
        "int32": basic.Int32StringReceiver,
    }.get(protocol)
    if base is None:
        raise NotImplementedError(f"Twisted has no receiver for {protocol}")

    class EchoStrings(base):
        MAX_LENGTH = params.get("max_length", 99999)

        def stringReceived(self, string):
            self.sendString(string)

    return Factory.forProtocol(EchoStrings)


def serve(protocol: str, params: dict, host: str, port: int, ready, line_only: bool = False) -> None:
    """Echo until stopped (``wirecheck serve --impl twisted`` / ``twisted-lineonly``)."""
    if line_only and protocol != "line":
        raise NotImplementedError("LineOnlyReceiver is for lines only")
    factory = make_factory(protocol, params, line_only)
    from twisted.internet import reactor

    listening = reactor.listenTCP(port, factory, interface=host)
    address = listening.getHost()
    ready(address.host, address.port)
    reactor.run()
