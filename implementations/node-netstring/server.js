'use strict'
// wirecheck echo server for the npm package `netstring` (node-netstring).
// Decoding is done by the library's streaming decoder, `netstring.Stream`,
// which listens to the socket's 'data' events itself; each payload it emits
// is re-encoded with the library's `nsWrite`. Whatever the library accepts is
// echoed; when it emits 'error' the connection is closed lingering.
// The library has no maximum length option: --max-length is accepted (the
// standard configuration passes it) and not used.
// The command line, the server and the lingering close are the shared
// ../_node/echo.js.

const netstring = require('netstring')
const { main, closeLingering, echoer } = require(require('path').join(__dirname, '..', '_node', 'echo.js'))

function handle (socket) {
  const decoder = new netstring.Stream(socket) // binary: no setEncoding
  decoder.on('data', echoer(socket, (payload) => netstring.nsWrite(payload)))
  decoder.on('error', () => closeLingering(socket))

  // End of stream: the decoder works synchronously on each 'data' event, so
  // every frame it could decode has been echoed; a partial frame is dropped.
  socket.on('end', () => closeLingering(socket))
}

main({ maxLength: null }, handle)
