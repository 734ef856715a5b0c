package dev.appstrate.runner.http;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * An {@link SSLContext} that becomes {@link SSLContext#getDefault()} on first use.
 *
 * <p>{@code HttpClient.newBuilder().build()} initializes the default SSL context eagerly (JSSE provider,
 * cacerts), about a third of a second of a cold JVM. Runs usually speak plain HTTP (to the sidecar and the
 * server on loopback), so the runner defers that cost to the first https connection. Trust and protocol
 * defaults are exactly the JDK's.
 */
final class LazyDefaultSslContext extends SSLContext {

    private LazyDefaultSslContext() {
        super(new Spi(), null, "Default");
    }

    /** An HTTP/1.1 client whose TLS setup is deferred until an https URL is used. */
    static HttpClient.Builder httpClientBuilder() {
        return HttpClient.newBuilder()
                .sslContext(new LazyDefaultSslContext())
                // null cipher suites/protocols = the engine's defaults; avoids asking the context at build time
                .sslParameters(new SSLParameters());
    }

    private static final class Spi extends SSLContextSpi {
        private volatile SSLContext delegate;

        private SSLContext delegate() {
            SSLContext d = delegate;
            if (d == null) {
                synchronized (this) {
                    if (delegate == null) {
                        try {
                            delegate = SSLContext.getDefault();
                        } catch (GeneralSecurityException e) {
                            throw new IllegalStateException("default SSLContext unavailable", e);
                        }
                    }
                    d = delegate;
                }
            }
            return d;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            throw new UnsupportedOperationException("the default context is already initialized");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return delegate().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate().getSupportedSSLParameters();
        }
    }
}
