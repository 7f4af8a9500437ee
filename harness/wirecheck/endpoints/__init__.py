"""The bundled endpoints: the reference echo server and client, and the implementations
under test that ``wirecheck serve --impl`` starts (``bundled``)."""
