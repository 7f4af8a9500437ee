'use strict'
// wirecheck echo server for @serialport/parser-delimiter.
// The socket is piped into a DelimiterParser({delimiter: the configured
// bytes, includeDelimiter: false}) with its stream options at their defaults;
// each chunk it emits is echoed followed by the delimiter. The parser has no
// maximum length and no error of its own: --max-length is accepted and
// unused. When the peer half-closes, the parser's 'end' (after it has
// flushed what it held) ends our side. The command line, the server, the
// piping and the lingering close are the shared ../_node/echo.js.

const { DelimiterParser } = require('@serialport/parser-delimiter')
const { main, echoer, pipeDecoder } = require(require('path').join(__dirname, '..', '_node', 'echo.js'))

function handle (socket, opts) {
  const delimiterBytes = Buffer.from(opts.delimiter, 'hex')
  const parser = new DelimiterParser({ delimiter: delimiterBytes, includeDelimiter: false })
  pipeDecoder(socket, parser, echoer(socket, (line) => Buffer.concat([line, delimiterBytes])))
}

main({ maxLength: null, delimiter: '0a' }, handle)
