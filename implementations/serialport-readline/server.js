'use strict'
// wirecheck echo server for @serialport/parser-readline.
// The socket is piped into a ReadlineParser({delimiter: the configured
// bytes}) with its other options at their defaults (includeDelimiter false,
// encoding 'utf8', so it emits strings); each line it emits is echoed as its
// UTF-8 bytes followed by the delimiter. The parser has no maximum length and
// no error of its own: --max-length is accepted and unused. When the peer
// half-closes, the parser's 'end' (after it has flushed what it held) ends
// our side. The command line, the server, the piping and the lingering close
// are the shared ../_node/echo.js.

const { ReadlineParser } = require('@serialport/parser-readline')
const { main, echoer, pipeDecoder } = require(require('path').join(__dirname, '..', '_node', 'echo.js'))

function handle (socket, opts) {
  const delimiterBytes = Buffer.from(opts.delimiter, 'hex')
  const parser = new ReadlineParser({ delimiter: delimiterBytes })
  pipeDecoder(socket, parser, echoer(socket, (line) => Buffer.concat([Buffer.from(line, 'utf8'), delimiterBytes])))
}

main({ maxLength: null, delimiter: '0a' }, handle)
