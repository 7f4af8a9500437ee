// wirecheck echo server for @endo/netstring.
// The library's reader (makeNetstringReader, an async iterator over an async
// iterable of byte chunks) decodes, with maxMessageLength = --max-length; each
// message is echoed through the library's writer (makeNetstringWriter) over a
// small writer object that writes to the socket. When the reader throws, the
// connection is closed lingering; when it finishes (the peer half-closed),
// our side is ended. The command line, the server, the socket's chunks as an
// async iterable and the lingering close are the shared ../_node/echo.js.

import { makeNetstringReader } from '@endo/netstring/reader.js'
import { makeNetstringWriter } from '@endo/netstring/writer.js'
import echo from '../_node/echo.js'

const { main, closeLingering, socketChunks, waitDrain } = echo

// A writer in the shape @endo/stream expects (next/return/throw promises).
function socketWriter (socket) {
  return {
    async next (bytes) {
      if (socket.destroyed || socket.writableEnded) return { done: true, value: undefined }
      if (!socket.write(bytes)) await waitDrain(socket)
      return { done: false, value: undefined }
    },
    async return () { return { done: true, value: undefined } },
    async throw () { return { done: true, value: undefined } },
    [Symbol.asyncIterator] () { return this }
  }
}

async function handle (socket, opts) {
  const reader = makeNetstringReader(socketChunks(socket), {
    name: 'socket',
    maxMessageLength: opts.maxLength
  })
  const writer = makeNetstringWriter(socketWriter(socket))
  try {
    for await (const message of reader) {
      await writer.next(message)
    }
  } catch (err) {
    // The reader rejected the input (or found a partial frame at the end).
  }
  closeLingering(socket)
}

main({ maxLength: 1024 }, handle)
