"""The reference codecs behind an asyncio echo server."""
