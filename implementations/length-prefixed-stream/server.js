'use strict'
// wirecheck echo server for the npm package length-prefixed-stream.
// The socket is piped into the library's decoder (lps.decode) with
// limit = --max-length and its other options at their defaults; each message
// it emits is re-encoded by the library's encoder (lps.encode, an unsigned
// varint length) and written back. The decoder's 'error' closes the
// connection lingering; its 'end' (after the peer's half-close) ends our side.
// The command line, the server, the piping and the lingering close are the
// shared ../_node/echo.js.

const lps = require('length-prefixed-stream')
const { main, echoer, pipeDecoder } = require(require('path').join(__dirname, '..', '_node', 'echo.js'))

function handle (socket, opts) {
  const decoder = lps.decode({ limit: opts.maxLength })
  const encoder = lps.encode()

  encoder.on('data', echoer(socket))
  pipeDecoder(socket, decoder, (message) => encoder.write(message))
}

main({ maxLength: 0 }, handle)
