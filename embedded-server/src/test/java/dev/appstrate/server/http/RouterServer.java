package dev.appstrate.server.http;

import java.net.URI;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** A Jetty on a free loopback port serving one router through the real handler: tests of the HTTP framework alone. */
final class RouterServer implements AutoCloseable {
    private final Server jetty;
    private final URI base;

    private RouterServer(Server jetty, URI base) {
        this.jetty = jetty;
        this.base = base;
    }

    static RouterServer start(Router router) throws Exception {
        ServerState state = new ServerState();
        state.ready();
        Server jetty = new Server(new QueuedThreadPool(8, 2));
        ServerConnector connector = new ServerConnector(jetty, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setErrorHandler(new ProblemErrorHandler()); // as AppstrateServer: what Jetty answers itself is problem+json
        jetty.setHandler(new AppstrateHandler(router, state, new HostGuard("127.0.0.1", null), 1 << 20, null));
        jetty.start();
        return new RouterServer(jetty, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
    }

    URI base() {
        return base;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
