// wirecheck echo server for it-length-prefixed.
// The library's decode() runs over an async iterable of the socket's chunks,
// with maxDataLength = --max-length; each message is echoed re-encoded with
// the library's encode.single(). --width varint uses the library's default
// (unsigned varint) length decoder/encoder; --width 1, 2 or 4 passes
// fixed-width big-endian lengthDecoder/lengthEncoder functions in the shape
// the library documents (a short read throws RangeError, which the library
// takes as "wait for more bytes"). When decode() throws, the connection is
// closed lingering; when it finishes (the peer half-closed), our side ends.
// The command line, the server, the socket's chunks as an async iterable and
// the lingering close are the shared ../_node/echo.js.

import * as lp from 'it-length-prefixed'
import echo from '../_node/echo.js'

const { main, closeLingering, socketChunks, waitDrain } = echo

// Fixed-width big-endian length codecs for the lengthDecoder/lengthEncoder
// options. The decoder reads from the library's Uint8ArrayList; its
// getUintN throws RangeError while fewer than `width` bytes are buffered.
function fixedWidthCodecs (width) {
  const read = {
    1: (list) => list.getUint8(0),
    2: (list) => list.getUint16(0, false),
    4: (list) => list.getUint32(0, false)
  }[width]
  if (!read) throw new Error('unsupported width ' + width)
  const lengthDecoder = (list) => read(list)
  lengthDecoder.bytes = width
  const lengthEncoder = (value) => {
    const out = new Uint8Array(width)
    const view = new DataView(out.buffer)
    if (width === 1) view.setUint8(0, value)
    else if (width === 2) view.setUint16(0, value, false)
    else view.setUint32(0, value, false)
    return out
  }
  lengthEncoder.bytes = width
  return { lengthDecoder, lengthEncoder }
}

async function handle (socket, opts) {
  const codecOpts = opts.width === 'varint' ? {} : fixedWidthCodecs(Number(opts.width))
  const decodeOpts = { maxDataLength: opts.maxLength }
  const encodeOpts = { maxDataLength: opts.maxLength }
  if (codecOpts.lengthDecoder) decodeOpts.lengthDecoder = codecOpts.lengthDecoder
  if (codecOpts.lengthEncoder) encodeOpts.lengthEncoder = codecOpts.lengthEncoder
  try {
    for await (const message of lp.decode(socketChunks(socket), decodeOpts)) {
      const framed = lp.encode.single(message, encodeOpts)
      if (socket.destroyed) break
      if (!socket.write(framed.subarray())) await waitDrain(socket)
    }
  } catch (err) {
    // decode() rejected the input, or found a partial frame at the end.
  }
  closeLingering(socket)
}

main({ maxLength: 1024, width: 'varint' }, handle)
