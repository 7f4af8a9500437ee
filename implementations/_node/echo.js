'use strict'
// The socket side shared by the Node.js echo adapters under implementations/
// (node-netstring, endo-netstring, frame-stream, it-length-prefixed,
// length-prefixed-stream, split2, node-readline, serialport-delimiter,
// serialport-readline), kept in one place so that they all treat the
// connection the same way and each adapter holds only what is specific to its
// library (how it is built, fed and read, and how a frame is re-encoded):
// the command line, the TCP server (half-open connections on 127.0.0.1), the
// lingering close after an error or at the end of the stream, the piping of
// the socket into a decoding stream, and the socket's chunks as an async
// iterable. This folder has no manifest.json: it is not an implementation.
// Plain CommonJS with Node built-ins only, so that both server.js (require)
// and server.mjs (a default import) can load it.

const net = require('net')

// --port N, --host H and --max-length N are always accepted; --delimiter HEX
// and --width W only by an adapter whose `defaults` name them (delimiter,
// width). Numbers for port and max-length; the other values as given.
const FLAGS = {
  '--port': ['port', Number],
  '--host': ['host', (v) => v],
  '--max-length': ['maxLength', Number],
  '--delimiter': ['delimiter', (v) => v],
  '--width': ['width', (v) => v]
}
const ALWAYS = new Set(['port', 'host', 'maxLength'])

function parseArgs (argv, defaults) {
  const opts = { port: 0, host: '127.0.0.1', ...defaults }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const flag = Object.prototype.hasOwnProperty.call(FLAGS, a) ? FLAGS[a] : null
    if (!flag || !(ALWAYS.has(flag[0]) || flag[0] in defaults)) throw new Error('unknown argument ' + a)
    opts[flag[0]] = flag[1](argv[++i])
  }
  return opts
}

// A TCP server that keeps half-open connections (the peer's end of stream
// does not end our side), with Nagle off and a socket error destroying the
// socket; handle(socket, opts) does the rest.
function serve (opts, handle) {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.setNoDelay(true)
    socket.on('error', () => socket.destroy())
    handle(socket, opts)
  })
  server.listen(opts.port, opts.host)
  return server
}

// The adapter's whole main: flags from process.argv, then serve.
function main (defaults, handle) {
  return serve(parseArgs(process.argv.slice(2), defaults), handle)
}

// Close the connection without losing echoes already queued: end the write
// side, then read and discard until the peer closes (or 2 s pass). Sets
// socket.wcClosing, after which nothing more is echoed.
function closeLingering (socket) {
  if (socket.wcClosing) return
  socket.wcClosing = true
  socket.removeAllListeners('data')
  socket.on('data', () => {})
  const timer = setTimeout(() => socket.destroy(), 2000)
  socket.once('close', () => clearTimeout(timer))
  if (socket.readableEnded) {
    socket.end(() => socket.destroy())
  } else {
    socket.once('end', () => socket.destroy())
    socket.end()
  }
  socket.resume()
}

// closeLingering on the turn after `emitter` emits `event`, so that what the
// library pushed just before is echoed first.
function closeAfter (socket, emitter, event) {
  emitter.on(event, () => setImmediate(() => closeLingering(socket)))
}

// A listener that writes encode(item) to the socket (item itself without
// encode) unless the connection is already being closed.
function echoer (socket, encode) {
  return (item) => {
    if (!socket.wcClosing) socket.write(encode ? encode(item) : item)
  }
}

// The socket piped into a decoding stream, onItem called with each thing it
// emits. Its 'error' unpipes it and closes the connection lingering, its
// 'end' (after the peer's half-close, once it has flushed what it held) too,
// each on the next turn so that what it already pushed is echoed first.
function pipeDecoder (socket, decoder, onItem) {
  decoder.on('data', onItem)
  decoder.on('error', () => {
    socket.unpipe(decoder)
    setImmediate(() => closeLingering(socket))
  })
  closeAfter(socket, decoder, 'end')
  socket.pipe(decoder)
}

// The socket's chunks as an async iterable. Unlike the socket's own async
// iterator, leaving the loop early (the library throwing) does not destroy
// the socket, so that the connection can still be closed lingering.
async function * socketChunks (socket) {
  const queue = []
  let ended = false
  let wake = null
  const onData = (chunk) => {
    queue.push(chunk)
    socket.pause()
    if (wake) wake()
  }
  const onEnd = () => {
    ended = true
    if (wake) wake()
  }
  socket.on('data', onData)
  socket.on('end', onEnd)
  socket.on('close', onEnd) // a reset: no 'end' will come
  try {
    for (;;) {
      if (queue.length) {
        yield queue.shift()
        continue
      }
      if (ended) return
      socket.resume()
      await new Promise((resolve) => { wake = resolve })
      wake = null
    }
  } finally {
    socket.off('data', onData)
    socket.off('end', onEnd)
    socket.off('close', onEnd)
  }
}

// Resolves on the socket's next 'drain' (or 'close').
function waitDrain (socket) {
  return new Promise((resolve) => {
    const done = () => { socket.off('drain', done); socket.off('close', done); resolve() }
    socket.on('drain', done)
    socket.on('close', done)
  })
}

module.exports = {
  parseArgs,
  serve,
  main,
  closeLingering,
  closeAfter,
  echoer,
  pipeDecoder,
  socketChunks,
  waitDrain
}
