package dev.appstrate.server.docker;

import dev.appstrate.server.concurrent.NamedExecutors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A byte relay from an address containers can reach (the Docker network's gateway on this host) to
 * the server on loopback, which stays bound to 127.0.0.1. Bytes only: the server still authenticates
 * every request (sink signatures, run tokens), so the relay adds no trust.
 */
final class TcpRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpRelay.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private volatile boolean closed;

    TcpRelay(InetAddress bind, InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(bind, 0), 128);
        NamedExecutors.thread("docker-relay-" + IDS.incrementAndGet(), this::acceptLoop).start();
        LOG.debug("Relay listening on {} -> {}", listener.getLocalSocketAddress(), upstream);
    }

    int port() {
        return listener.getLocalPort();
    }

    InetAddress address() {
        return listener.getInetAddress();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket in = listener.accept();
                Socket out = new Socket();
                try {
                    out.connect(upstream, 5_000);
                } catch (IOException e) {
                    LOG.debug("Relay upstream {} unreachable: {}", upstream, e.toString());
                    in.close();
                    out.close();
                    continue;
                }
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                AtomicInteger open = new AtomicInteger(2);
                pump(in, out, open, "up");
                pump(out, in, open, "down");
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("Relay accept failed: {}", e.toString());
                }
            } catch (RuntimeException | Error e) {
                // one connection's failure (a pump thread that could not start) must not end the relay for every run
                LOG.error("Relay connection failed; the relay goes on", e);
            }
        }
    }

    /** Copies one direction; a half-close is passed on, and both sockets close when both directions are done. */
    private static void pump(Socket from, Socket to, AtomicInteger open, String dir) {
        Thread t = NamedExecutors.thread("docker-relay-" + dir, () -> {
            byte[] buf = new byte[16 * 1024];
            boolean clean = false;
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
                clean = true;
            } catch (IOException e) {
                // either side went away
            } finally {
                if (!clean || open.decrementAndGet() == 0) {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }
        });
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
