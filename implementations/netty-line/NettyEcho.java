// Echo server for wirecheck around Netty's frame decoders (docs/endpoint-contract.md).
//
// Shared by netty-line, netty-line-close, netty-delimiter, netty-delimiter-close,
// netty-lengthfield and netty-lengthfield-close; run with Java's single-file source launcher:
//
//   java -cp NETTY_JARS NettyEcho.java line        default|close PORT MAX_LENGTH DELIMITER_HEX
//   java -cp NETTY_JARS NettyEcho.java delimiter   default|close PORT MAX_LENGTH DELIMITER_HEX
//   java -cp NETTY_JARS NettyEcho.java lengthfield default|close PORT MAX_LENGTH WIDTH
//
// Errors are whatever the decoder raises; the adapter validates nothing itself.
//   default: no exceptionCaught of ours, so Netty's pipeline tail logs the exception and the
//            connection stays open (Netty's default handling).
//   close:   exceptionCaught stops echoing, waits until the echoes already written are out, shuts
//            down the output and reads and discards until the peer closes (or 2 s pass), then
//            closes.
// End of stream: half-closure is allowed; on ChannelInputShutdownEvent (after the decoder has
// run decodeLast, which never completes a partial frame) the connection is closed once the
// echoes are out. Every echo is written with writeAndFlush.

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

public final class NettyEcho {
    private static final long LINGER_MILLIS = 2000;

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: NettyEcho.java line|delimiter|lengthfield default|close PORT MAX_LENGTH DELIMITER_HEX|WIDTH");
            System.exit(2);
        }
        final String mode = args[0];
        final boolean closeOnError;
        switch (args[1]) {
            case "default": closeOnError = false; break;
            case "close": closeOnError = true; break;
            default: throw new IllegalArgumentException("error handling must be default or close: " + args[1]);
        }
        final int port = Integer.parseInt(args[2]);
        final int maxLength = Integer.parseInt(args[3]);
        final byte[] delimiter;
        final int width;
        switch (mode) {
            case "line":
            case "delimiter":
                delimiter = unhex(args[4]);
                width = 0;
                break;
            case "lengthfield":
                delimiter = null;
                width = Integer.parseInt(args[4]);
                if (width != 1 && width != 2 && width != 4) {
                    throw new IllegalArgumentException("width must be 1, 2 or 4: " + width);
                }
                break;
            default:
                throw new IllegalArgumentException("mode must be line, delimiter or lengthfield: " + mode);
        }

        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        switch (mode) {
                            case "line":
                                p.addLast("decoder", new LineBasedFrameDecoder(maxLength, true, true));
                                break;
                            case "delimiter":
                                p.addLast("decoder", new DelimiterBasedFrameDecoder(
                                    maxLength, true, true, Unpooled.wrappedBuffer(delimiter)));
                                break;
                            default:
                                // Netty's maxFrameLength counts the whole frame, header included.
                                p.addLast("decoder", new LengthFieldBasedFrameDecoder(
                                    ByteOrder.BIG_ENDIAN, maxLength + width, 0, width, 0, width, true));
                                p.addLast("encoder", new LengthFieldPrepender(width));
                                break;
                        }
                        p.addLast("echo", closeOnError ? new ClosingEcho(delimiter) : new Echo(delimiter));
                    }
                });
            ChannelFuture bound = b.bind(new InetSocketAddress("127.0.0.1", port)).sync();
            System.out.println("listening on 127.0.0.1:" + port);
            System.out.flush();
            bound.channel().closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    private static byte[] unhex(String s) {
        if (s.isEmpty() || s.length() % 2 != 0) {
            throw new IllegalArgumentException("delimiter must be non-empty hex: " + s);
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** Echoes each decoded frame at once; Netty's default exception handling (the tail logs it). */
    static class Echo extends ChannelInboundHandlerAdapter {
        private final byte[] delimiter; // null: the encoder in the pipeline writes the framing
        private ChannelFuture lastEcho;  // writes complete in order: this one done, all are

        Echo(byte[] delimiter) {
            this.delimiter = delimiter;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            if (delimiter == null) {
                lastEcho = ctx.writeAndFlush(frame);
            } else {
                lastEcho = ctx.writeAndFlush(Unpooled.wrappedBuffer(frame, Unpooled.wrappedBuffer(delimiter)));
            }
        }

        /** Runs then once every echo written so far has been written to the socket (or failed).
         *  (No empty buffer is written to wait for them: an encoder would frame it.) */
        protected void afterEchoes(ChannelHandlerContext ctx, ChannelFutureListener then) {
            (lastEcho != null ? lastEcho : ctx.newSucceededFuture()).addListener(then);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof ChannelInputShutdownEvent) {
                // The peer half-closed: the decoder has already run decodeLast. Close once the
                // echoes are out.
                afterEchoes(ctx, ChannelFutureListener.CLOSE);
                return;
            }
            super.userEventTriggered(ctx, evt);
        }
    }

    /** The same echo, closing lingering on the first exception the pipeline raises. */
    static final class ClosingEcho extends Echo {
        private boolean failed;

        ClosingEcho(byte[] delimiter) {
            super(delimiter);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (failed) {
                // Nothing decoded after the first error is echoed; the bytes are read and dropped.
                ReferenceCountUtil.release(msg);
                return;
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof ChannelInputShutdownEvent && failed) {
                // The peer closed while we lingered.
                afterEchoes(ctx, ChannelFutureListener.CLOSE);
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failed) {
                return;
            }
            failed = true;
            final SocketChannel ch = (SocketChannel) ctx.channel();
            // Once the echoes written before the error are out, shut down the output and keep
            // reading (autoRead) until the peer closes or the linger time passes.
            afterEchoes(ctx, written -> {
                if (!ch.isOpen()) {
                    return;
                }
                if (!written.isSuccess() || ch.isInputShutdown()) {
                    ch.close();
                    return;
                }
                ch.shutdownOutput().addListener((ChannelFutureListener) shut -> {
                    if (!shut.isSuccess() || ch.isInputShutdown()) {
                        ch.close();
                        return;
                    }
                    ch.eventLoop().schedule(() -> { ch.close(); }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
                });
            });
        }
    }
}
