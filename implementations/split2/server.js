'use strict'
// wirecheck echo server for the npm package split2.
// The socket is piped into split2(delimiter, {maxLength: --max-length}),
// the delimiter given as a string (split2 matches strings: it decodes its
// input as UTF-8 itself). Each line it emits is echoed as its UTF-8 bytes
// followed by the delimiter. split2's 'error' (its maxLength) closes the
// connection lingering; its 'end' (after the peer's half-close, when split2
// has flushed what it held) ends our side. The command line, the server, the
// piping and the lingering close are the shared ../_node/echo.js.

const split2 = require('split2')
const { main, echoer, pipeDecoder } = require(require('path').join(__dirname, '..', '_node', 'echo.js'))

function handle (socket, opts) {
  const delimiterBytes = Buffer.from(opts.delimiter, 'hex')
  const splitter = split2(delimiterBytes.toString('latin1'), { maxLength: opts.maxLength })
  pipeDecoder(socket, splitter, echoer(socket, (line) => Buffer.concat([Buffer.from(line, 'utf8'), delimiterBytes])))
}

main({ maxLength: undefined, delimiter: '0a' }, handle)
