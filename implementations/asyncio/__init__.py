"""Echo servers on plain asyncio, with parsers written independently of wirecheck's codecs."""
