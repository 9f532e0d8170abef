package io.eventfn.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** Finds TCP ports on 127.0.0.1 that are free right now, for the broker's listeners and the demo's app. */
public final class LoopbackPort {

    /** 127.0.0.1 itself: {@code InetAddress.getLoopbackAddress()} may be ::1 when IPv6 is preferred. */
    static final InetAddress LOOPBACK;

    static {
        try {
            LOOPBACK = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LoopbackPort() {
    }

    /**
     * A port nobody listens on at the moment of the call. Another process may still take it before
     * the caller binds it; on a test machine that race is rare enough to accept.
     */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free TCP port on 127.0.0.1", e);
        }
    }
}
