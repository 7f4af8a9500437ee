'use strict'
// wirecheck echo server for the npm package frame-stream.
// The socket is piped into the library's Decoder (frame.decode) with
// lengthSize = --width (1, 2 or 4 bytes, big-endian) and maxSize =
// --max-length; each frame it emits is re-encoded by the library's Encoder
// (frame.encode) with the same lengthSize and written back. The decoder's
// 'error' closes the connection lingering; its 'end' (after the peer's
// half-close) ends our side. The command line, the server, the piping and
// the lingering close are the shared ../_node/echo.js.

const frame = require('frame-stream')
const { main, echoer, pipeDecoder } = require(require('path').join(__dirname, '..', '_node', 'echo.js'))

function handle (socket, opts) {
  const width = Number(opts.width)
  const decoder = frame.decode({ lengthSize: width, maxSize: opts.maxLength })
  const encoder = frame.encode({ lengthSize: width })

  encoder.on('data', echoer(socket))
  pipeDecoder(socket, decoder, (payload) => encoder.write(payload))
}

main({ maxLength: 0, width: 4 }, handle)
