'use strict'
// wirecheck echo server for Node.js's built-in readline module.
// Each connection gets readline.createInterface({input: socket, crlfDelay:
// Infinity}); every 'line' it emits is echoed as its UTF-8 bytes followed by
// the configured delimiter. readline has no maximum line length and no
// error of its own: --max-length is accepted and unused. When the peer
// half-closes, readline emits what it still holds and then 'close', on which
// our side is ended. The command line, the server and the lingering close are
// the shared ../_node/echo.js.

const readline = require('readline')
const { main, closeAfter, echoer } = require(require('path').join(__dirname, '..', '_node', 'echo.js'))

function handle (socket, opts) {
  const delimiterBytes = Buffer.from(opts.delimiter, 'hex')
  const rl = readline.createInterface({ input: socket, crlfDelay: Infinity })
  // The interface re-emits its input's errors (an EPIPE when the peer left while we echoed):
  // unhandled, they would end the whole server.
  rl.on('error', () => socket.destroy())
  rl.on('line', echoer(socket, (line) => Buffer.concat([Buffer.from(line, 'utf8'), delimiterBytes])))
  closeAfter(socket, rl, 'close')
}

main({ maxLength: null, delimiter: '0a' }, handle)
