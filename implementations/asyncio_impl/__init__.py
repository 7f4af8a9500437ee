"""Echo servers on asyncio, with parsers written independently of wirecheck's codecs."""
