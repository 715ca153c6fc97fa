package dev.genledger.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The native epoll transport where the platform has it, NIO otherwise. */
final class Transports {
    private Transports() {}

    static final boolean EPOLL = Epoll.isAvailable() && !Boolean.getBoolean("genledger.nio");

    static String name() {
        return EPOLL ? "epoll" : "nio";
    }

    static EventLoopGroup group(int threads) {
        IoHandlerFactory f = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        // named, so a thread dump or a profile tells the proxy's loops from other Netty loops in the JVM
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("genledger-proxy"), f);
    }

    static Class<? extends ServerChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends Channel> clientChannel(io.netty.channel.EventLoop loop) {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
